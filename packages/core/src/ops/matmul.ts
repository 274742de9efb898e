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
import { matmulShape } from '../shape/matmul-shape.js';
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
  const outShape = matmulShape('matmul', a.shape, b.shape, transposeA, transposeB);
  const dataId = a.backend.matmul(a, b, transposeA, transposeB);
  return record('matmul', [a, b], dataId, outShape, (dy) => {
    const [da, db] = matmulGrads(a, b, dy, transposeA, transposeB);
    return [da(), db()];
  });
}

/**
 * The two gradients of op(a) · op(b) for the incoming dy, each computed only when asked for
 * (with op(a)·op(b) = out: da = dy · op(b)ᵀ and db = op(a)ᵀ · dy, then transposed back to a's and
 * b's stored layouts).
 */
export function matmulGrads(a: Tensor, b: Tensor, dy: Tensor, transposeA: boolean, transposeB: boolean): [() => Tensor, () => Tensor] {
  if (!transposeA && !transposeB) return [() => matmul(dy, b, { transposeB: true }), () => matmul(a, dy, { transposeA: true })];
  if (!transposeA && transposeB) return [() => matmul(dy, b), () => matmul(dy, a, { transposeA: true })];
  if (transposeA && !transposeB) return [() => matmul(b, dy, { transposeB: true }), () => matmul(a, dy)];
  return [() => matmul(b, dy, { transposeA: true, transposeB: true }), () => matmul(dy, a, { transposeA: true, transposeB: true })];
}
