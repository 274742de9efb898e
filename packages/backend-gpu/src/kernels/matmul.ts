/**
 * Matrix product with either operand transposed, by strides (see `matmulConstants`), with the
 * fused bias and activation (tfjs's `fused.matMul`) or a gradient epilogue (both compile-time
 * constants; a call uses one or neither).
 * @module
 */
import type { TensorInfo } from '@lenet/core';
import type { EpilogueConstants } from './epilogue.js';
import type { GradientEpilogueConstants } from './gradient-epilogue.js';
import type { KernelThis } from './kernel-this.js';

/**
 * The inner extent k, the output's column count n, and how to step through op(a) `[m,k]` and
 * op(b) `[k,n]` in their stored layouts: op(a)[r,p] = a[r·aRowStride + p·aColStride].
 */
export interface MatmulConstants {
  readonly inner: number;
  readonly outColumns: number;
  readonly aRowStride: number;
  readonly aColStride: number;
  readonly bRowStride: number;
  readonly bColStride: number;
}

/**
 * out[r,c] = Σ_{p<k} op(a)[r,p] · op(b)[p,c], with out `[m,n]` flat (r = ⌊i / n⌋, c = i − r·n),
 * then f(· + bias[c]) or the gradient epilogue. `bias` and `other` are b itself when unused.
 */
export function matmulKernel(
  this: KernelThis<MatmulConstants & EpilogueConstants & GradientEpilogueConstants>,
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  const i = this.thread.x;
  const r = Math.floor((i + 0.5) / this.constants.outColumns);
  const c = i - r * this.constants.outColumns;
  const aBase = r * this.constants.aRowStride;
  const bBase = c * this.constants.bColStride;
  let sum = 0;
  for (let p = 0; p < this.constants.inner; p++) {
    sum += a[aBase + p * this.constants.aColStride] * b[bBase + p * this.constants.bRowStride];
  }
  if (this.constants.epilogue === 0) {
    return this.fusedEpilogue(sum, bias[c]);
  }
  return this.gradientEpilogue(sum, other[i], lr);
}

/** op(a) · op(b) as the matmul kernels index it: the output's row count and the strides (see `MatmulConstants`). */
export function matmulConstants(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): { rows: number; constants: MatmulConstants } {
  const [aRows, aCols] = a.shape;
  const [bRows, bCols] = b.shape;
  return {
    rows: transposeA ? aCols : aRows,
    constants: {
      inner: transposeA ? aRows : aCols,
      outColumns: transposeB ? bRows : bCols,
      aRowStride: transposeA ? 1 : aCols,
      aColStride: transposeA ? aCols : 1,
      bRowStride: transposeB ? 1 : bCols,
      bColStride: transposeB ? bCols : 1,
    },
  };
}
