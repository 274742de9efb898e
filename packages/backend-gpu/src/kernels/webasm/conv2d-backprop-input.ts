/**
 * ∂L/∂a of formula (1) in the batch-last layout (`transpose.ts`), as `../conv2d-backprop-input.ts`
 * computes it, for the four examples of a SIMD quad at once. Symbols as in backend-cpu's
 * `conv2d-backprop-input.ts`; `| 0` as in `conv2d.ts`.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { KernelThis } from '../kernel-this.js';

/**
 * Grid `[N, H·W, C]`, output batch-last `[C, H, W, N]`; dz is `[K, outH, outW, N]`: input pixel
 * (x, y) collects `da[c, x, y, n] = Σ_u Σ_v Σ_k dz[k, row, col, n] · w_rot[k,c](u, v)` over the
 * windows that read it, row = (x + ph − u)/sh and col = (y + pw − v)/sw whole numbers inside the output.
 */
export function conv2dBackpropInputBatchLastKernel(this: KernelThis<WindowExtents>, dz: Float32Array, wRot: Float32Array): number {
  const x = Math.floor((this.thread.y + 0.5) / this.constants.inWidth) | 0;
  const y = this.thread.y - x * this.constants.inWidth;
  const c = this.thread.z;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const rowTimesStride = x + this.constants.padHeight - u;
    const row = Math.floor((rowTimesStride + 0.5) / sh) | 0;
    if (rowTimesStride >= 0 && row * sh === rowTimesStride && row < this.constants.outHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const colTimesStride = y + this.constants.padWidth - v;
        const col = Math.floor((colTimesStride + 0.5) / sw) | 0;
        if (colTimesStride >= 0 && col * sw === colTimesStride && col < this.constants.outWidth) {
          // dz[k, row, col, ·] and w_rot[k, c, u, v] for k = 0, then a step of one channel / filter per k
          let dzAt = (row * this.constants.outWidth + col) * this.constants.batch;
          let wAt = (c * this.constants.kernelHeight + u) * this.constants.kernelWidth + v;
          for (let k = 0; k < this.constants.outChannels; k++) {
            sum += dz[dzAt + this.thread.x] * wRot[wAt];
            dzAt += this.constants.outHeight * this.constants.outWidth * this.constants.batch;
            wAt += this.constants.inChannels * this.constants.kernelHeight * this.constants.kernelWidth;
          }
        }
      }
    }
  }
  return sum;
}
