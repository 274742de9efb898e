/**
 * Element-wise maths on one tensor, each with its derivative beside it.
 *
 * | op | y | ∂L/∂x |
 * |---|---|---|
 * | neg | −x | −dy |
 * | exp | eˣ | dy · y |
 * | log | ln x | dy / x |
 * | sqrt | √x | dy / (2y) |
 * | square | x² | 2x · dy |
 * | affine | x·s + t | s · dy |
 * @module
 */
import { record } from '../autograd/record.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputs } from './checks.js';
import { div, mul } from './arithmetic.js';

/** −x */
export function neg(x: Tensor): Tensor {
  checkInputs('neg', x);
  return record('neg', [x], x.backend.unary('neg', x), x.shape, (dy) => [neg(dy)]);
}

/** eˣ */
export function exp(x: Tensor): Tensor {
  checkInputs('exp', x);
  return record('exp', [x], x.backend.unary('exp', x), x.shape, (dy, y) => [mul(dy, y)]);
}

/** ln x (NaN for x < 0, −∞ at 0). */
export function log(x: Tensor): Tensor {
  checkInputs('log', x);
  return record('log', [x], x.backend.unary('log', x), x.shape, (dy) => [div(dy, x)]);
}

/** √x */
export function sqrt(x: Tensor): Tensor {
  checkInputs('sqrt', x);
  return record('sqrt', [x], x.backend.unary('sqrt', x), x.shape, (dy, y) => [div(dy, y).mul(0.5)]);
}

/** x² */
export function square(x: Tensor): Tensor {
  checkInputs('square', x);
  return record('square', [x], x.backend.unary('square', x), x.shape, (dy) => [mul(dy, x).mul(2)]);
}

/**
 * x · scale + shift for numbers `scale` and `shift`, in one kernel: what `x.mul(2)`, `x.add(1)`
 * and `mean`'s division by the count compile to. `op` names the op in error messages.
 */
export function affine(x: Tensor, scale: number, shift: number, op = 'affine'): Tensor {
  checkInputs(op, x);
  if (!Number.isFinite(scale) || !Number.isFinite(shift)) {
    throw new RangeError(`${op}: scale ${scale} and shift ${shift} must be finite numbers (input ${x.describe()})`);
  }
  return record('affine', [x], x.backend.affine(x, scale, shift), x.shape, (dy) => [affine(dy, scale, 0)]);
}
