/**
 * Matrix product of 2-D tensors, optionally transposing either operand without copying it.
 *
 *   C = op(A) · op(B),  C[m,n] = Σ_k op(A)[m,k] · op(B)[k,n]
 *
 * Gradients (for C = A·B): ∂L/∂A = dC · Bᵀ, ∂L/∂B = Aᵀ · dC — each again one matmul kernel with
 * transpose flags, for every combination of flags.
 * @module
 */
import { record } from '../autograd/record.js';
import { formatShape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputs, checkRank } from './checks.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ: A is stored `[k, m]`. */
  readonly transposeA?: boolean;
  /** Use Bᵀ: B is stored `[n, k]` (how `Linear` uses its `[out, in]` weight). */
  readonly transposeB?: boolean;
}

/**
 * `[m,k] · [k,n] → [m,n]`.
 * @example matmul(x, weight, { transposeB: true }) // x [N,in] · weightᵀ, weight [out,in] → [N,out]
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  checkInputs('matmul', a, b);
  checkRank('matmul', 'the first operand', a, 2, '[rows, columns]');
  checkRank('matmul', 'the second operand', b, 2, '[rows, columns]');
  const [m, kA] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kB, n] = transposeB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (kA !== kB) {
    throw new RangeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} · ` +
        `${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''} needs the columns of the first (${kA}) to equal the rows of the second (${kB})`,
    );
  }
  const dataId = a.backend.matmul(a, b, transposeA, transposeB);
  return record('matmul', [a, b], dataId, [m, n], (dy) => {
    if (!transposeA && !transposeB) return [matmul(dy, b, { transposeB: true }), matmul(a, dy, { transposeA: true })];
    if (!transposeA && transposeB) return [matmul(dy, b), matmul(dy, a, { transposeA: true })];
    if (transposeA && !transposeB) return [matmul(b, dy, { transposeB: true }), matmul(a, dy)];
    return [matmul(b, dy, { transposeA: true, transposeB: true }), matmul(dy, a, { transposeA: true, transposeB: true })];
  });
}
