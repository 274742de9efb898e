/**
 * A dense layer as one op, after tfjs's `fused.matMul`: the matrix product, then the bias, then the
 * activation, each by the readable kernel that computes it alone (the GPU backend does all three in
 * one kernel and is tested against this composition).
 * @module
 */
import type { FusedActivation, Shape } from '@lenet/core';
import { epilogue } from './epilogue.js';
import { matmul } from './matmul.js';

/**
 * y[r,c] = f(Σ_p op(a)[r,p] · op(b)[p,c] + bias[c]), op transposing when asked ({@link matmul}); the
 * bias `[n]` is skipped when null.
 *
 * Shapes: op(a) `[m, k]`, op(b) `[k, n]`, bias `[n]` → `[m, n]`.
 */
export function fusedMatmul(
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
  bias: Float32Array | null,
  activation: FusedActivation,
  transposeA: boolean,
  transposeB: boolean,
): Float32Array {
  const rows = transposeA ? aShape[1] : aShape[0];
  const columns = transposeB ? bShape[0] : bShape[1];
  const z = matmul(a, aShape, b, bShape, transposeA, transposeB);
  return epilogue(z, [rows, columns], bias, [1, columns], activation);
}
