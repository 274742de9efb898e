/**
 * Zero initialisation (PyTorch's `nn.init.zeros_`), e.g. for biases.
 * @module
 */
import { zeros as zerosTensor } from '../tensor/creation.js';
import type { Parameter } from '../nn/parameter.js';

/** Sets every value of `parameter` to 0 (in place) and returns it: w = 0. */
export function zeros(parameter: Parameter): Parameter {
  parameter.assign(zerosTensor(parameter.shape, { backend: parameter.backend }));
  return parameter;
}
