/**
 * `Parameter`: a tensor the optimiser learns (a layer's weights or biases).
 * @module
 */
import type { Backend } from '../backend/backend.js';
import { engine } from '../engine/engine.js';
import { formatShape, sizeOf, type Shape } from '../shape/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A learnable tensor: a leaf with `requiresGrad = true` that lives outside every memory scope (a
 * `tidy` never frees it). An optimiser updates it with {@link Tensor.assign}, which swaps its data
 * in place, so the layers and optimisers that hold the parameter keep holding the same object.
 *
 * @example
 * const w = Parameter.zeros([6, 1, 5, 5]);
 * init.xavierUniform(w, rng);   // w.assign(...) under the hood
 */
export class Parameter extends Tensor {
  /**
   * A parameter holding a copy of `values` (row-major, `shape`'s size) on `backend` (default: the
   * one set by `setBackend`).
   * @throws RangeError when an extent is not a non-negative integer or the number of values does
   *   not match the shape.
   */
  constructor(values: Float32Array, shape: Shape, backend: Backend = engine.backend) {
    if (!shape.every((extent) => Number.isInteger(extent) && extent >= 0)) {
      throw new RangeError(`Parameter: shape ${formatShape(shape)} has an extent that is not a non-negative integer`);
    }
    if (values.length !== sizeOf(shape)) {
      throw new RangeError(`Parameter: ${values.length} values cannot fill shape ${formatShape(shape)}, which holds ${sizeOf(shape)}`);
    }
    super(backend.upload(values, shape), shape, backend, null, true); // upload copies
    engine.untrack(this);
  }

  /** A parameter of `shape` filled with zeros, to be set by an initialiser (see `init`). */
  static zeros(shape: Shape, backend: Backend = engine.backend): Parameter {
    return new Parameter(new Float32Array(sizeOf(shape)), shape, backend);
  }
}
