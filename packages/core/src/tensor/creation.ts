/**
 * Making tensors from numbers.
 * @module
 */
import { engine } from '../engine/engine.js';
import { formatShape, sizeOf, type Shape } from '../shape/shape.js';
import { Tensor, type TensorOptions } from './tensor.js';

function checkShape(op: string, shape: Shape): void {
  for (const extent of shape) {
    if (!Number.isInteger(extent) || extent < 0) {
      throw new RangeError(`${op}: shape ${formatShape(shape)} has an extent that is not a non-negative integer (${extent})`);
    }
  }
}

/**
 * A tensor from values in row-major order.
 * @example tensor([1, 2, 3, 4, 5, 6], [2, 3]) // [[1,2,3],[4,5,6]]
 * @throws RangeError when the number of values is not the shape's size.
 */
export function tensor(values: ArrayLike<number>, shape: Shape, options: TensorOptions = {}): Tensor {
  checkShape('tensor', shape);
  if (values.length !== sizeOf(shape)) {
    throw new RangeError(`tensor: ${values.length} values cannot fill shape ${formatShape(shape)}, which holds ${sizeOf(shape)}`);
  }
  const backend = options.backend ?? engine.backend;
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  return new Tensor(backend.upload(data, shape), shape, backend, null, options.requiresGrad ?? false);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, options: TensorOptions = {}, op = 'full'): Tensor {
  checkShape(op, shape);
  const backend = options.backend ?? engine.backend;
  return new Tensor(backend.fill(shape, value), shape, backend, null, options.requiresGrad ?? false);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 0, options, 'zeros');
}

/** A tensor of ones. */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 1, options, 'ones');
}

/** A 0-D tensor (shape `[]`) holding one number. */
export function scalar(value: number, options: TensorOptions = {}): Tensor {
  return tensor([value], [], options);
}
