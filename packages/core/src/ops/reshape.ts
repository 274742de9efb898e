/**
 * Reshaping: the same buffer seen with another shape. No data moves; the new tensor shares the
 * buffer (core counts the references), and the gradient is reshaped back.
 * @module
 */
import { record } from '../autograd/record.js';
import { formatShape, sizeOf, type Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInputs } from './checks.js';

/**
 * `x` with shape `shape` (same size; one extent may be −1 and is then inferred).
 * @example reshape(x, [-1, 400]) // [256,16,5,5] → [256,400]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  checkInputs('reshape', x);
  const inferred = inferShape(x, shape);
  return record('reshape', [x], x.dataId, inferred, (dy) => [reshape(dy, x.shape)]);
}

function inferShape(x: Tensor, shape: Shape): Shape {
  const unknown = shape.filter((extent) => extent === -1).length;
  const known = sizeOf(shape.filter((extent) => extent !== -1));
  const bad = shape.some((extent) => !(Number.isInteger(extent) && (extent >= 0 || extent === -1)));
  if (bad || unknown > 1 || (unknown === 1 && (known === 0 || x.size % known !== 0)) || (unknown === 0 && known !== x.size)) {
    throw new RangeError(
      `reshape: cannot view ${formatShape(x.shape)} (${x.size} elements) as ${formatShape(shape)}; ` +
        'the sizes must match (at most one extent may be -1)',
    );
  }
  return shape.map((extent) => (extent === -1 ? x.size / known : extent));
}

/** Merges axes `startAxis..end` into one: `[N,C,H,W]` → `[N, C·H·W]` (PyTorch's `nn.Flatten`). */
export function flatten(x: Tensor, startAxis = 1): Tensor {
  checkInputs('flatten', x);
  if (!Number.isInteger(startAxis) || startAxis < 0 || startAxis >= Math.max(x.rank, 1)) {
    throw new RangeError(`flatten: startAxis ${startAxis} is out of range for ${formatShape(x.shape)}`);
  }
  return reshape(x, [...x.shape.slice(0, startAxis), sizeOf(x.shape.slice(startAxis))]);
}
