/**
 * Formulas (1) and (2) in the batch-last layout (`transpose.ts`): the convolution, its bias and its
 * activation, as `../conv2d.ts` computes them, for the four examples of a SIMD quad at once.
 * The plain convolution is this kernel without bias and with the identity. Symbols as in
 * backend-cpu's `conv2d.ts`.
 *
 * The `| 0` after each `Math.floor` makes the value an integer for gpu.js (`|` is an integer
 * operation), so with `strictIntegers` the index arithmetic below stays in i32 instead of float32.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { EpilogueConstants } from '../epilogue.js';
import type { KernelThis } from '../kernel-this.js';

/**
 * Grid `[N, outH·outW, K]`, output batch-last `[K, outH, outW, N]`; a is `[C, H, W, N]`:
 * `out[k, x, y, n] = f(Σ_c Σ_u Σ_v a[c, x·sh + u − ph, y·sw + v − pw, n] · w_rot[k,c](u, v) + b[k])`.
 * `bias` is w_rot itself when there is no bias (never read then).
 */
export function conv2dBatchLastKernel(
  this: KernelThis<WindowExtents & EpilogueConstants>,
  a: Float32Array,
  wRot: Float32Array,
  bias: Float32Array,
): number {
  const x = Math.floor((this.thread.y + 0.5) / this.constants.outWidth) | 0;
  const y = this.thread.y - x * this.constants.outWidth;
  const k = this.thread.z;
  let z = 0;
  for (let c = 0; c < this.constants.inChannels; c++) {
    for (let u = 0; u < this.constants.kernelHeight; u++) {
      const row = x * this.constants.strideHeight + u - this.constants.padHeight;
      if (row >= 0 && row < this.constants.inHeight) {
        // a[c, row, col, ·] and w_rot[k, c, u, v] for v = 0, then a step of one column per v
        let aAt =
          ((c * this.constants.inHeight + row) * this.constants.inWidth + y * this.constants.strideWidth - this.constants.padWidth) *
          this.constants.batch;
        let wAt = ((k * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth;
        for (let v = 0; v < this.constants.kernelWidth; v++) {
          const col = y * this.constants.strideWidth + v - this.constants.padWidth;
          if (col >= 0 && col < this.constants.inWidth) {
            z += a[aAt + this.thread.x] * wRot[wAt];
          }
          aAt += this.constants.batch;
          wAt += 1;
        }
      }
    }
  }
  return this.fusedEpilogue(z, bias[k]);
}
