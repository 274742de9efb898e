/**
 * Average pooling (the subsampling of formula (3)) and its gradient. Symbols as in backend-cpu's
 * `avg-pool2d.ts`: input a `[N,C,H,W]`, output `[N,C,outH,outW]`, window (kh, kw), stride (sh, sw),
 * padding (ph, pw); the window of output pixel (x, y) covers input rows x·sh − ph … x·sh − ph + kh − 1
 * and the same for columns.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { GradientEpilogueConstants } from './gradient-epilogue.js';
import type { KernelThis } from './kernel-this.js';

/**
 * `out[n,c](x, y) = (1 / (kh·kw)) · Σ_u Σ_v a[n,c](x·sh + u − ph, y·sw + v − pw)`;
 * padding cells count as zeros and stay in the divisor. One output element per thread.
 */
export function avgPool2dKernel(this: KernelThis<WindowExtents>, a: Float32Array): number {
  const i = this.thread.x;
  const ncx = Math.floor((i + 0.5) / this.constants.outWidth);
  const y = i - ncx * this.constants.outWidth;
  const nc = Math.floor((ncx + 0.5) / this.constants.outHeight);
  const x = ncx - nc * this.constants.outHeight;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  const ph = this.constants.padHeight;
  const pw = this.constants.padWidth;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const row = x * sh + u - ph;
    if (row >= 0 && row < this.constants.inHeight) {
      const aRow = (nc * this.constants.inHeight + row) * this.constants.inWidth;
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const col = y * sw + v - pw;
        if (col >= 0 && col < this.constants.inWidth) {
          sum += a[aRow + col];
        }
      }
    }
  }
  return sum / (this.constants.kernelHeight * this.constants.kernelWidth);
}

/**
 * `da[n,c](x, y) = Σ dOut[n,c](row, col) / (kh·kw)` over the windows (row, col) that cover input
 * pixel (x, y), i.e. the (u, v) for which row = (x + ph − u)/sh and col = (y + pw − v)/sw are whole
 * numbers inside the output. One input element per thread.
 */
export function avgPool2dBackpropKernel(
  this: KernelThis<WindowExtents & GradientEpilogueConstants>,
  dOut: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  const i = this.thread.x;
  const ncx = Math.floor((i + 0.5) / this.constants.inWidth);
  const y = i - ncx * this.constants.inWidth;
  const nc = Math.floor((ncx + 0.5) / this.constants.inHeight);
  const x = ncx - nc * this.constants.inHeight;
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
          sum += dOut[(nc * this.constants.outHeight + row) * this.constants.outWidth + col];
        }
      }
    }
  }
  const da = sum / (this.constants.kernelHeight * this.constants.kernelWidth);
  return this.gradientEpilogue(da, other[i], lr);
}
