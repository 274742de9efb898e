/**
 * Formula (1) in the batch-last layout (`transpose.ts`): the convolution, for the four examples of
 * a SIMD quad at once and four filters per thread (register blocking): each value of a read is
 * used four times, so a thread does four multiply-adds per load of a. Its bias and activation
 * (formula (2)) are added when the result moves back to NCHW (`unblock.ts`). Symbols as in
 * backend-cpu's `conv2d.ts`.
 *
 * The `| 0` after each `Math.floor` makes the value an integer for gpu.js (`|` is an integer
 * operation), so with `strictIntegers` the index arithmetic below stays in i32 instead of float32.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { KernelQuad } from '../../runtime/kernel-runner.js';
import type { KernelThis } from '../kernel-this.js';

/**
 * Grid `[N, outH·outW, ⌈K/4⌉, 4]`, output blocked batch-last `[⌈K/4⌉, outH, outW, N, 4]` (`unblock.ts`);
 * a is `[C, H, W, N]`: `out[k, x, y, n] = Σ_c Σ_u Σ_v a[c, x·sh + u − ph, y·sw + v − pw, n] · w_rot[k,c](u, v)`
 * for the block's filters k = 4·z … 4·z + 3 (past the last filter, the last one again, never read).
 */
export function conv2dBatchLastKernel(this: KernelThis<WindowExtents>, a: Float32Array, wRot: Float32Array): KernelQuad {
  const x = Math.floor((this.thread.y + 0.5) / this.constants.outWidth) | 0;
  const y = this.thread.y - x * this.constants.outWidth;
  const filterSize = this.constants.inChannels * this.constants.kernelHeight * this.constants.kernelWidth;
  const k0 = this.thread.z * 4;
  // w_rot[k0 + i] lies filterStep_i after w_rot[k0] (past the last filter, the last one's)
  const filtersLeft = this.constants.outChannels - 1 - k0;
  const filterStep1 = filtersLeft < 1 ? filtersLeft * filterSize : 1 * filterSize;
  const filterStep2 = filtersLeft < 2 ? filtersLeft * filterSize : 2 * filterSize;
  const filterStep3 = filtersLeft < 3 ? filtersLeft * filterSize : 3 * filterSize;
  let z0 = 0;
  let z1 = 0;
  let z2 = 0;
  let z3 = 0;
  for (let c = 0; c < this.constants.inChannels; c++) {
    for (let u = 0; u < this.constants.kernelHeight; u++) {
      const row = x * this.constants.strideHeight + u - this.constants.padHeight;
      if (row >= 0 && row < this.constants.inHeight) {
        // a[c, row, col, ·] and w_rot[k0, c, u, v] for v = 0, then a step of one column per v
        let aAt =
          ((c * this.constants.inHeight + row) * this.constants.inWidth + y * this.constants.strideWidth - this.constants.padWidth) *
          this.constants.batch;
        let wAt = ((k0 * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth;
        for (let v = 0; v < this.constants.kernelWidth; v++) {
          const col = y * this.constants.strideWidth + v - this.constants.padWidth;
          if (col >= 0 && col < this.constants.inWidth) {
            const value = a[aAt + this.thread.x];
            z0 += value * wRot[wAt];
            z1 += value * wRot[wAt + filterStep1];
            z2 += value * wRot[wAt + filterStep2];
            z3 += value * wRot[wAt + filterStep3];
          }
          aAt += this.constants.batch;
          wAt += 1;
        }
      }
    }
  }
  return [z0, z1, z2, z3];
}
