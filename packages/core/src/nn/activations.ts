/**
 * Activation layers: the squashing function f of formula (2), a = f(z), applied element-wise.
 * Each is an {@link Activation} naming one of core's activations (`ACTIVATIONS`); `nn.fuse` fuses
 * any of them into the layer before.
 * @module
 */
import { type ActivationOp, activation } from '../ops/activations.js';
import type { Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import { Module } from './module.js';

/** An element-wise activation layer: a = f(x) for the activation {@link Activation.op}. Any shape → the same shape, no parameters. */
export abstract class Activation extends Module {
  /** Which of core's activations this layer applies. */
  abstract readonly op: ActivationOp;

  /** f(x), element-wise. */
  forward(x: Tensor): Tensor {
    return activation(this.op, x);
  }

  /** The input shape, 0 parameters, 0 connections. */
  describe(inputShape: Shape): LayerDescription {
    return { outputShape: inputShape, parameters: 0, connections: 0 };
  }
}

/**
 * The activation a layer applies when it is an {@link Activation} whose `forward` is the plain
 * f(x) (a subclass that changes `forward` is not one), or null.
 */
export function activationOfLayer(layer: Module | undefined): ActivationOp | null {
  return layer instanceof Activation && layer.forward === Activation.prototype.forward ? layer.op : null;
}

/**
 * The logistic sigmoid, formula (2) with f = σ (d2l's LeNet):
 *
 * ```text
 *   σ(z) = 1 / (1 + e^(−z)),   σ′(z) = σ(z)·(1 − σ(z))
 * ```
 */
export class Sigmoid extends Activation {
  readonly op = 'sigmoid';
}

/**
 * The hyperbolic tangent, formula (2) with f = tanh (LeCun's LeNet-5 used a scaled tanh,
 * 1.7159·tanh(2z/3)):
 *
 * ```text
 *   tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)),   tanh′(z) = 1 − tanh²(z)
 * ```
 */
export class Tanh extends Activation {
  readonly op = 'tanh';
}

/**
 * The rectified linear unit, formula (2) with f = ReLU (modern LeNets):
 *
 * ```text
 *   ReLU(z) = max(0, z),   ReLU′(z) = [z > 0]
 * ```
 */
export class ReLU extends Activation {
  readonly op = 'relu';
}

/**
 * The sigmoid linear unit (SiLU, or swish), formula (2) with f = z·σ(z):
 *
 * ```text
 *   SiLU(z) = z · σ(z),   SiLU′(z) = σ(z) · (1 + z · (1 − σ(z)))
 * ```
 *
 * Its gradient needs z, not only the output, so a fused layer keeps z and the compiled step folds nothing into it.
 */
export class SiLU extends Activation {
  readonly op = 'silu';
}
