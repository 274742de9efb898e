/**
 * Formulas (1) and (2), the forward convolution with its bias and activation (tfjs's
 * `fused.conv2d`; the plain convolution is this kernel with no bias and the identity), one output
 * element per thread. Symbols as in backend-cpu's
 * `conv2d.ts` and core's `WindowInfo`: input a `[N,C,H,W]`, filter w_rot `[K,C,kh,kw]`, output z
 * `[N,K,outH,outW]`; (x, y) is the output pixel, x down the rows and y across the columns; stride
 * (sh, sw), padding (ph, pw). The window of (x, y) reads input row x·sh + u − ph and column
 * y·sw + v − pw; reads outside the input are padding zeros and are skipped.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { EpilogueConstants } from './epilogue.js';
import type { KernelThis } from './kernel-this.js';

/**
 * `out[n,k](x, y) = f(Σ_c Σ_u Σ_v a[n,c](x·sh + u − ph, y·sw + v − pw) · w_rot[k,c](u, v) + b[k])`.
 * Output `[N,K,outH,outW]` flat: thread i is (n, k, x, y), decoded from the right. `bias` is
 * w_rot itself when there is no bias (never read then).
 */
export function conv2dKernel(
  this: KernelThis<WindowExtents & EpilogueConstants>,
  a: Float32Array,
  wRot: Float32Array,
  bias: Float32Array,
): number {
  const i = this.thread.x;
  const nkx = Math.floor((i + 0.5) / this.constants.outWidth);
  const y = i - nkx * this.constants.outWidth;
  const nk = Math.floor((nkx + 0.5) / this.constants.outHeight);
  const x = nkx - nk * this.constants.outHeight;
  const n = Math.floor((nk + 0.5) / this.constants.outChannels);
  const k = nk - n * this.constants.outChannels;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  const ph = this.constants.padHeight;
  const pw = this.constants.padWidth;
  let sum = 0;
  for (let c = 0; c < this.constants.inChannels; c++) {
    for (let u = 0; u < this.constants.kernelHeight; u++) {
      const row = x * sh + u - ph;
      if (row >= 0 && row < this.constants.inHeight) {
        const aRow = ((n * this.constants.inChannels + c) * this.constants.inHeight + row) * this.constants.inWidth;
        const wRow = ((k * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth;
        for (let v = 0; v < this.constants.kernelWidth; v++) {
          const col = y * sw + v - pw;
          if (col >= 0 && col < this.constants.inWidth) {
            sum += a[aRow + col] * wRot[wRow + v];
          }
        }
      }
    }
  }
  return this.fusedEpilogue(sum, bias[k]);
}
