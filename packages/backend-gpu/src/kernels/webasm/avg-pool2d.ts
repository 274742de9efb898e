/**
 * Average pooling and its gradient (`../avg-pool2d.ts`) for webasm, on a grid over NCHW as it is:
 * the column on the SIMD lanes, the row and the (example, channel) on the grid's y and z, so those
 * are the same for the four lanes and their index arithmetic is done once per quad, not per lane
 * (the flat kernels' `unflatten`). C1's gradient through S2 (1.2 million values) ran 1.7× faster
 * so. Symbols as in `../avg-pool2d.ts`; `| 0` as in `conv2d.ts`.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { GradientEpilogueConstants } from '../gradient-epilogue.js';
import type { KernelThis } from '../kernel-this.js';

/**
 * Grid `[outW, outH, N·C]`: `out[n,c](x, y) = (1 / (kh·kw)) · Σ_u Σ_v a[n,c](x·sh + u − ph, y·sw + v − pw)`
 * for (x, y) = (thread.y, thread.x); padding cells count as zeros and stay in the divisor.
 */
export function avgPool2dRowsKernel(this: KernelThis<WindowExtents>, a: Float32Array): number {
  const x = this.thread.y;
  const y = this.thread.x;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const row = x * this.constants.strideHeight + u - this.constants.padHeight;
    if (row >= 0 && row < this.constants.inHeight) {
      const aRow = (this.thread.z * this.constants.inHeight + row) * this.constants.inWidth;
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const col = y * this.constants.strideWidth + v - this.constants.padWidth;
        if (col >= 0 && col < this.constants.inWidth) {
          sum += a[aRow + col];
        }
      }
    }
  }
  return sum / (this.constants.kernelHeight * this.constants.kernelWidth);
}

/**
 * Grid `[W, H, N·C]`: `da[n,c](x, y) = Σ dOut[n,c](row, col) / (kh·kw)` over the windows that cover
 * input pixel (x, y) = (thread.y, thread.x), row = (x + ph − u)/sh and col = (y + pw − v)/sw whole
 * numbers inside the output; then the gradient epilogue.
 */
export function avgPool2dBackpropRowsKernel(
  this: KernelThis<WindowExtents & GradientEpilogueConstants>,
  dOut: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  const x = this.thread.y;
  const y = this.thread.x;
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
          sum += dOut[(this.thread.z * this.constants.outHeight + row) * this.constants.outWidth + col];
        }
      }
    }
  }
  const da = sum / (this.constants.kernelHeight * this.constants.kernelWidth);
  return this.gradientEpilogue(da, other[(this.thread.z * this.constants.inHeight + x) * this.constants.inWidth + y], lr);
}
