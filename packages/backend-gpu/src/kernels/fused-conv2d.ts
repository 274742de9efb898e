/**
 * Formulas (1) and (2) in one kernel, after tfjs's `fused.conv2d`: the convolution, its bias and its
 * activation, one output element per thread (backend-cpu composes `conv2d`, `add` and the
 * activation). Symbols as in `conv2d.ts`.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { IKernelFunctionThis } from 'gpu.js';
import type { EpilogueConstants } from './epilogue.js';

/**
 * `out[n,k](x, y) = f(Σ_c Σ_u Σ_v a[n,c](x·sh + u − ph, y·sw + v − pw) · w_rot[k,c](u, v) + b[k])`.
 * Output `[N,K,outH,outW]` flat; `bias` is w_rot itself when there is no bias (never read then).
 */
export function fusedConv2dKernel(
  this: IKernelFunctionThis<WindowExtents & EpilogueConstants>,
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
  let z = 0;
  for (let c = 0; c < this.constants.inChannels; c++) {
    for (let u = 0; u < this.constants.kernelHeight; u++) {
      const row = x * sh + u - ph;
      if (row >= 0 && row < this.constants.inHeight) {
        const aRow = ((n * this.constants.inChannels + c) * this.constants.inHeight + row) * this.constants.inWidth;
        const wRow = ((k * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth;
        for (let v = 0; v < this.constants.kernelWidth; v++) {
          const col = y * sw + v - pw;
          if (col >= 0 && col < this.constants.inWidth) {
            z += a[aRow + col] * wRot[wRow + v];
          }
        }
      }
    }
  }
  if (this.constants.hasBias === 1) {
    z += bias[k];
  }
  if (this.constants.activation === 1) {
    const e = Math.exp(-Math.abs(z));
    if (z >= 0) {
      return 1 / (1 + e);
    }
    return e / (1 + e);
  }
  if (this.constants.activation === 2) {
    const e2 = Math.exp(-2 * Math.abs(z));
    const t = (1 - e2) / (1 + e2);
    if (z < 0) {
      return -t;
    }
    return t;
  }
  if (this.constants.activation === 3) {
    return Math.max(0, z);
  }
  return z;
}
