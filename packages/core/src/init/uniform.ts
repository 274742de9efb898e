/**
 * Filling a parameter with uniform random values, the step every uniform initialiser shares.
 * @module
 */
import type { Rng } from '../random/rng.js';
import { sizeOf, type Shape } from '../shape/shape.js';
import { tensor } from '../tensor/creation.js';
import type { Parameter } from '../nn/parameter.js';

/**
 * `size` draws from U(−bound, bound), in order, from `rng`, rounded to float32.
 * @throws RangeError when the bound is negative or not finite.
 */
export function uniformValues(shape: Shape, bound: number, rng: Rng): Float32Array {
  if (!Number.isFinite(bound) || bound < 0) {
    throw new RangeError(`init: the bound of U(−a, a) must be finite and ≥ 0, got a = ${bound} for shape [${shape.join(',')}]`);
  }
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-bound, bound);
  return values;
}

/**
 * Sets `parameter` to draws from U(−bound, bound) (row-major order) and returns it; the data is
 * replaced in place (the parameter object stays the same).
 */
export function uniformFill(parameter: Parameter, bound: number, rng: Rng): Parameter {
  parameter.assign(tensor(uniformValues(parameter.shape, bound, rng), parameter.shape, { backend: parameter.backend }));
  return parameter;
}
