/**
 * Matrix product with optional transposes: the kernel behind fully connected layers
 * (y = x·Wᵀ + b) and their gradients.
 * @module
 */
import type { Shape } from '@lenet/core';

/**
 * out = op(A) · op(B), `[m,k] · [k,n] → [m,n]`, where op(M) is M or Mᵀ:
 *
 * ```text
 *   out(i, j) = Σ_{t=0..k−1} op(A)(i, t) · op(B)(t, j)
 * ```
 *
 * With `transposeA`, A is stored `[k,m]` and op(A)(i, t) = A(t, i); with `transposeB`, B is
 * stored `[n,k]` and op(B)(t, j) = B(j, t). No transposed copy is made: only the reads change.
 * The backward pass of out = A·B is dA = dOut·Bᵀ and dB = Aᵀ·dOut, two calls with a flag set.
 *
 * @example
 * // [[1,2],[3,4]] · [[5],[6]] = [[17],[39]]
 * matmul(Float32Array.of(1, 2, 3, 4), [2, 2], Float32Array.of(5, 6), [2, 1], false, false)
 */
export function matmul(
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
  transposeA: boolean,
  transposeB: boolean,
): Float32Array {
  const [aRows, aCols] = aShape;
  const [bRows, bCols] = bShape;
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  // A(row, col) and B(row, col) of the matrices as stored, row-major.
  const storedA = (row: number, col: number): number => a[row * aCols + col];
  const storedB = (row: number, col: number): number => b[row * bCols + col];
  const opA = (i: number, t: number): number => (transposeA ? storedA(t, i) : storedA(i, t));
  const opB = (t: number, j: number): number => (transposeB ? storedB(j, t) : storedB(t, j));

  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += opA(i, t) * opB(t, j);
      out[i * n + j] = sum;
    }
  }
  return out;
}
