/**
 * Activation functions, formula (2) of the notes: a[l](x,y) = f(z[l](x,y)), applied element-wise.
 * Each gradient is one fused kernel (`activationGrad`):
 *
 * | f | f(z) | f′ written with |
 * |---|---|---|
 * | sigmoid | 1 / (1 + e^(−z)) | y · (1 − y) |
 * | tanh | tanh z | 1 − y² |
 * | relu | max(0, z) | [z > 0] |
 * @module
 */
import { record } from '../autograd/record.js';
import type { ActivationOp } from '../backend/backend.js';
import { Tensor } from '../tensor/tensor.js';
import { checkInputs } from './checks.js';

function activation(op: ActivationOp, x: Tensor, gradFrom: 'input' | 'output'): Tensor {
  checkInputs(op, x);
  return record(op, [x], x.backend.unary(op, x), x.shape, (dy, y) => {
    const input = gradFrom === 'input' ? x : y;
    return [new Tensor(x.backend.activationGrad(op, input, dy), x.shape, x.backend)];
  });
}

/** σ(z) = 1 / (1 + e^(−z)): d2l's LeNet activation. Gradient y·(1−y). */
export function sigmoid(x: Tensor): Tensor {
  return activation('sigmoid', x, 'output');
}

/** tanh z. Gradient 1 − y². */
export function tanh(x: Tensor): Tensor {
  return activation('tanh', x, 'output');
}

/** max(0, z): the modern choice. Gradient 1 where z > 0, else 0. */
export function relu(x: Tensor): Tensor {
  return activation('relu', x, 'input');
}
