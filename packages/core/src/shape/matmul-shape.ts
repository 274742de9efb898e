/**
 * The shape of a matrix product, computed once for `matmul` and `fusedMatmul`.
 * @module
 */
import { formatShape, type Shape } from './shape.js';

/**
 * `[m, n]` of op(a) · op(b) for `a` and `b` of rank 2, op transposing when asked:
 * `[m,k]·[k,n] → [m,n]`.
 * @throws RangeError naming `op` and both shapes when the inner dimensions differ
 * @example matmulShape('matmul', [256, 400], [120, 400], false, true) // [256, 120]
 */
export function matmulShape(op: string, a: Shape, b: Shape, transposeA: boolean, transposeB: boolean): [number, number] {
  const [m, kA] = transposeA ? [a[1], a[0]] : [a[0], a[1]];
  const [kB, n] = transposeB ? [b[1], b[0]] : [b[0], b[1]];
  if (kA !== kB) {
    throw new RangeError(
      `${op}: inner dimensions differ: ${formatShape(a)}${transposeA ? 'ᵀ' : ''} · ` +
        `${formatShape(b)}${transposeB ? 'ᵀ' : ''} needs the columns of the first (${kA}) to equal the rows of the second (${kB})`,
    );
  }
  return [m, n];
}
