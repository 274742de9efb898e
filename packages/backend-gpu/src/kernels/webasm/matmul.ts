/**
 * The matrix product for webasm, with the output column on the SIMD lanes (`transpose.ts`): the
 * four lanes share the row r, so they read one element of a (once) and four neighbouring elements
 * of b. It carries both epilogues of the NCHW kernels: the fused bias and activation and
 * the gradient epilogue of `../matmul.ts` (both compile-time constants;
 * a call uses one or neither).
 * @module
 */
import type { EpilogueConstants } from '../epilogue.js';
import type { GradientEpilogueConstants } from '../gradient-epilogue.js';
import type { KernelThis } from '../kernel-this.js';

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
  this: KernelThis<MatmulRowsConstants & EpilogueConstants & GradientEpilogueConstants>,
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
  if (this.constants.epilogue === 0) {
    return this.fusedEpilogue(z, bias[this.thread.x]);
  }
  return this.gradientEpilogue(z, other[r * this.constants.outColumns + this.thread.x], lr);
}
