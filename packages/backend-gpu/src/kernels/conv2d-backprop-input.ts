/**
 * ∂L/∂a of formula (1), one input element per thread. Symbols as in backend-cpu's
 * `conv2d-backprop-input.ts`: dz `[N,K,outH,outW]`, w_rot `[K,C,kh,kw]` → da `[N,C,H,W]`; (x, y)
 * is the input pixel; stride (sh, sw), padding (ph, pw).
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { KernelThis } from './kernel-this.js';

/**
 * The "full" convolution of dz with the filter rotated by 180°: input pixel (x, y) collects
 * `da[n,c](x, y) = Σ_k Σ_u Σ_v dz[n,k](row, col) · w_rot[k,c](u, v)` over the windows (row, col) that
 * read it through (u, v), i.e. where row = (x + ph − u)/sh and col = (y + pw − v)/sw are whole
 * numbers inside the output. backend-cpu writes the same sum with dz stuffed with the stride's
 * zeros; here the thread skips those zeros instead of reading them.
 */
export function conv2dBackpropInputKernel(this: KernelThis<WindowExtents>, dz: Float32Array, wRot: Float32Array): number {
  const i = this.thread.x;
  const ncx = Math.floor((i + 0.5) / this.constants.inWidth);
  const y = i - ncx * this.constants.inWidth;
  const nc = Math.floor((ncx + 0.5) / this.constants.inHeight);
  const x = ncx - nc * this.constants.inHeight;
  const n = Math.floor((nc + 0.5) / this.constants.inChannels);
  const c = nc - n * this.constants.inChannels;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  const ph = this.constants.padHeight;
  const pw = this.constants.padWidth;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const rowTimesStride = x + ph - u;
    const row = Math.floor((rowTimesStride + 0.5) / sh);
    if (rowTimesStride >= 0 && row * sh === rowTimesStride && row < this.constants.outHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const colTimesStride = y + pw - v;
        const col = Math.floor((colTimesStride + 0.5) / sw);
        if (colTimesStride >= 0 && col * sw === colTimesStride && col < this.constants.outWidth) {
          for (let k = 0; k < this.constants.outChannels; k++) {
            sum +=
              dz[((n * this.constants.outChannels + k) * this.constants.outHeight + row) * this.constants.outWidth + col] *
              wRot[((k * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth + v];
          }
        }
      }
    }
  }
  return sum;
}
