/**
 * The four element-wise arithmetic ops, with NumPy broadcasting. When an operand was broadcast,
 * its gradient is summed back to its shape (`sumTo`).
 *
 * | op | forward | ∂/∂a | ∂/∂b |
 * |---|---|---|---|
 * | add | a + b | dy | dy |
 * | sub | a − b | dy | −dy |
 * | mul | a · b | dy · b | dy · a |
 * | div | a / b | dy / b | −dy · a / b² |
 *
 * A plain number as the second operand uses the `affine` kernel (x·s + t) and needs no tensor.
 * @module
 */
import { record } from '../autograd/record.js';
import type { BinaryOp } from '../backend/backend.js';
import { broadcastShapes } from '../shape/broadcast.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputs } from './checks.js';
import { sumTo } from './reduce.js';
import { affine } from './unary-math.js';

function binary(op: BinaryOp, a: Tensor, b: Tensor, backward: (dy: Tensor) => [Tensor, Tensor]): Tensor {
  checkInputs(op, a, b);
  const outShape = broadcastShapes(a.shape, b.shape, op);
  return record(op, [a, b], a.backend.binary(op, a, b, outShape), outShape, (dy) => {
    const [da, db] = backward(dy);
    return [sumTo(da, a.shape), sumTo(db, b.shape)];
  });
}

/** a + b, element-wise with broadcasting. */
export function add(a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') return affine(a, 1, b, 'add');
  return binary('add', a, b, (dy) => [dy, dy]);
}

/** a − b, element-wise with broadcasting. */
export function sub(a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') return affine(a, 1, -b, 'sub');
  return binary('sub', a, b, (dy) => [dy, affine(dy, -1, 0)]);
}

/** a · b, element-wise with broadcasting (the Hadamard product, not `matmul`). */
export function mul(a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') return affine(a, b, 0, 'mul');
  return binary('mul', a, b, (dy) => [mul(dy, b), mul(dy, a)]);
}

/** a / b, element-wise with broadcasting. */
export function div(a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') {
    if (b === 0) throw new RangeError(`div: division of ${a.describe()} by the number 0`);
    return affine(a, 1 / b, 0, 'div');
  }
  return binary('div', a, b, (dy) => {
    const da = div(dy, b);
    return [da, mul(da, div(a, b)).neg()];
  });
}
