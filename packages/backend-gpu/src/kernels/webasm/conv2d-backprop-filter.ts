/**
 * ∂L/∂w_rot of formula (1) in the batch-last layout (`transpose.ts`): each thread sums one example's
 * contribution to one filter element, so the four lanes of a SIMD quad read four neighbouring
 * floats of a and of dz; the backend then sums the examples (`sumTo` over the last axis, which
 * takes the gradient epilogue). Symbols as in backend-cpu's `conv2d-backprop-filter.ts`; `| 0` as in
 * `conv2d.ts`.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { KernelThis } from '../kernel-this.js';

/**
 * Grid `[N, kh·kw, K·C]`, output `[K, C, kh, kw, N]`; a is `[C, H, W, N]`, dz `[K, outH, outW, N]`:
 * `dw_n[k,c](u, v) = Σ_x Σ_y a[c, x·sh + u − ph, y·sw + v − pw, n] · dz[k, x, y, n]`.
 */
export function conv2dBackpropFilterBatchLastKernel(this: KernelThis<WindowExtents>, a: Float32Array, dz: Float32Array): number {
  const u = Math.floor((this.thread.y + 0.5) / this.constants.kernelWidth) | 0;
  const v = this.thread.y - u * this.constants.kernelWidth;
  const k = Math.floor((this.thread.z + 0.5) / this.constants.inChannels) | 0;
  const c = this.thread.z - k * this.constants.inChannels;
  let sum = 0;
  for (let x = 0; x < this.constants.outHeight; x++) {
    const row = x * this.constants.strideHeight + u - this.constants.padHeight;
    if (row >= 0 && row < this.constants.inHeight) {
      // a[c, row, col, ·] and dz[k, x, y, ·] for y = 0, then a step of sw columns and one column per y
      let aAt = ((c * this.constants.inHeight + row) * this.constants.inWidth + v - this.constants.padWidth) * this.constants.batch;
      let dzAt = (k * this.constants.outHeight + x) * this.constants.outWidth * this.constants.batch;
      for (let y = 0; y < this.constants.outWidth; y++) {
        const col = y * this.constants.strideWidth + v - this.constants.padWidth;
        if (col >= 0 && col < this.constants.inWidth) {
          sum += a[aAt + this.thread.x] * dz[dzAt + this.thread.x];
        }
        aAt += this.constants.strideWidth * this.constants.batch;
        dzAt += this.constants.batch;
      }
    }
  }
  return sum;
}
