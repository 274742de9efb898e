/**
 * Xavier (Glorot) uniform initialisation: Glorot and Bengio (2010), "Understanding the difficulty of
 * training deep feedforward neural networks", and PyTorch's `nn.init.xavier_uniform_`.
 * @module
 */
import type { Rng } from '../random/rng.js';
import type { Shape } from '../shape/shape.js';
import type { Parameter } from '../nn/parameter.js';
import { computeFans } from './fans.js';
import { uniformFill } from './uniform.js';

/**
 * The bound a of Xavier's U(−a, a):
 *
 * ```text
 *   a = gain · √(6 / (fan_in + fan_out))
 * ```
 *
 * chosen so that `Var(w) = a²/3 = gain² · 2/(fan_in + fan_out)`, which keeps the variance of the
 * activations (forward) and of the gradients (backward) roughly constant from layer to layer.
 * @example xavierUniformBound([6, 1, 5, 5]) // √(6 / (25 + 150)) ≈ 0.1852
 */
export function xavierUniformBound(shape: Shape, gain = 1): number {
  const { fanIn, fanOut } = computeFans(shape);
  return gain * Math.sqrt(6 / (fanIn + fanOut));
}

/**
 * Fills a weight with draws from U(−a, a), `a = gain · √(6 / (fan_in + fan_out))` (see
 * {@link xavierUniformBound} and {@link computeFans}), drawn from `rng` in row-major order; returns
 * the parameter. d2l's LeNet initialises every `Conv2d` and `Linear` weight this way.
 * @param parameter a weight of shape `[out, in, ...kernel]`
 * @example init.xavierUniform(conv.weight, rng) // [6,1,5,5]: U(−0.1852, 0.1852)
 */
export function xavierUniform(parameter: Parameter, rng: Rng, gain = 1): Parameter {
  return uniformFill(parameter, xavierUniformBound(parameter.shape, gain), rng);
}
