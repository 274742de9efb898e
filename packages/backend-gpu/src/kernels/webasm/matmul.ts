/**
 * The matrix product for webasm, with the output column on the SIMD lanes (`transpose.ts`): the
 * four lanes share the row r, so they read one element of a (once) and four neighbouring elements
 * of b. It carries both epilogues of the NCHW kernels: the fused bias and activation of
 * `../fused-matmul.ts` and the gradient epilogue of `../matmul.ts` (both compile-time constants;
 * a call uses one or neither).
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';
import type { EpilogueConstants } from '../epilogue.js';
import type { GradientEpilogueConstants } from '../gradient-epilogue.js';

/** The inner extent k, the output's column count n, and how a is stored: op(a)[r,p] = a[r·aRowStride + p·aColStride]. */
export interface MatmulRowsConstants {
  readonly inner: number;
  readonly outColumns: number;
  readonly aRowStride: number;
  readonly aColStride: number;
}

/**
 * Grid `[n, m]`, out `[m, n]`: out[r,c] = Σ_{p<k} op(a)[r,p] · b[p,c] with b `[k, n]` as stored,
 * then f(· + bias[c]) or the gradient epilogue. `bias` and `other` are b itself when unused.
 */
export function matmulRowsKernel(
  this: IKernelFunctionThis<MatmulRowsConstants & EpilogueConstants & GradientEpilogueConstants>,
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  const r = this.thread.y;
  let z = 0;
  for (let p = 0; p < this.constants.inner; p++) {
    z += a[r * this.constants.aRowStride + p * this.constants.aColStride] * b[p * this.constants.outColumns + this.thread.x];
  }
  if (this.constants.hasBias === 1) {
    z += bias[this.thread.x];
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
  if (this.constants.epilogue === 1) {
    const activated = other[r * this.constants.outColumns + this.thread.x];
    if (this.constants.epilogueActivation === 1) {
      return z * activated * (1 - activated);
    }
    if (this.constants.epilogueActivation === 2) {
      return z * (1 - activated * activated);
    }
    if (activated > 0) {
      return z;
    }
    return 0;
  }
  if (this.constants.epilogue === 2) {
    return other[r * this.constants.outColumns + this.thread.x] - lr * z;
  }
  return z;
}
