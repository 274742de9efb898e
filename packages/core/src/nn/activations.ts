/**
 * Activation layers: the squashing function f of formula (2), a = f(z), applied element-wise.
 * @module
 */
import { relu, sigmoid, tanh } from '../ops/activations.js';
import type { Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import { Module } from './module.js';

/** An element-wise layer: the output has the input's shape, no parameters, no connections of its own. */
function elementwise(inputShape: Shape): LayerDescription {
  return { outputShape: inputShape, parameters: 0, connections: 0 };
}

/**
 * The logistic sigmoid, formula (2) with f = σ (d2l's LeNet):
 *
 * ```text
 *   σ(z) = 1 / (1 + e^(−z)),   σ′(z) = σ(z)·(1 − σ(z))
 * ```
 *
 * Any shape → the same shape. No parameters.
 */
export class Sigmoid extends Module {
  /** σ(x), element-wise. */
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }

  /** The input shape, 0 parameters, 0 connections. */
  describe(inputShape: Shape): LayerDescription {
    return elementwise(inputShape);
  }
}

/**
 * The hyperbolic tangent, formula (2) with f = tanh (LeCun's LeNet-5 used a scaled tanh,
 * 1.7159·tanh(2z/3)):
 *
 * ```text
 *   tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)),   tanh′(z) = 1 − tanh²(z)
 * ```
 *
 * Any shape → the same shape. No parameters.
 */
export class Tanh extends Module {
  /** tanh(x), element-wise. */
  forward(x: Tensor): Tensor {
    return tanh(x);
  }

  /** The input shape, 0 parameters, 0 connections. */
  describe(inputShape: Shape): LayerDescription {
    return elementwise(inputShape);
  }
}

/**
 * The rectified linear unit, formula (2) with f = ReLU (modern LeNets):
 *
 * ```text
 *   ReLU(z) = max(0, z),   ReLU′(z) = [z > 0]
 * ```
 *
 * Any shape → the same shape. No parameters.
 */
export class ReLU extends Module {
  /** max(0, x), element-wise. */
  forward(x: Tensor): Tensor {
    return relu(x);
  }

  /** The input shape, 0 parameters, 0 connections. */
  describe(inputShape: Shape): LayerDescription {
    return elementwise(inputShape);
  }
}
