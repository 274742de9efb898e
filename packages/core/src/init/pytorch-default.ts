/**
 * PyTorch's default initialisation of `nn.Conv2d` and `nn.Linear` (their `reset_parameters`).
 * @module
 */
import type { Rng } from '../random/rng.js';
import type { Shape } from '../shape/shape.js';
import type { Parameter } from '../nn/parameter.js';
import { computeFans } from './fans.js';
import { uniformFill } from './uniform.js';

/**
 * The bound of He (Kaiming) uniform initialisation, PyTorch's `kaiming_uniform_(w, a)` with fan-in
 * mode and the leaky-ReLU gain:
 *
 * ```text
 *   gain = √(2 / (1 + a²)),   bound = gain · √(3 / fan_in)
 * ```
 *
 * With a = √5, PyTorch's default for layers, this is `√(1/3) · √(3 / fan_in) = 1 / √fan_in`.
 * @param negativeSlope a, the leaky-ReLU slope the gain is computed for
 */
export function kaimingUniformBound(shape: Shape, negativeSlope = 0): number {
  const { fanIn } = computeFans(shape);
  const gain = Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
  return gain * Math.sqrt(3 / fanIn);
}

/**
 * The bound PyTorch's default initialisation uses for a layer whose weight has `weightShape`, for the
 * weight (kaiming_uniform with a = √5) and for the bias alike:
 *
 * ```text
 *   bound = 1 / √fan_in,   fan_in = in · kh · kw  (in for a `Linear`)
 * ```
 *
 * @example pytorchDefaultBound([120, 400]) // 1/√400 = 0.05
 */
export function pytorchDefaultBound(weightShape: Shape): number {
  return 1 / Math.sqrt(computeFans(weightShape).fanIn);
}

/**
 * PyTorch's default initialisation of a `Conv2d` or `Linear`: the weight from U(−b, b) and then
 * the bias (if any) from U(−b, b), with `b = 1/√fan_in` of the weight (see
 * {@link pytorchDefaultBound}), drawn from `rng` in that order.
 * @example init.pytorchDefault(linear.weight, linear.bias, rng) // Linear(400,120): U(−0.05, 0.05)
 */
export function pytorchDefault(weight: Parameter, bias: Parameter | null, rng: Rng): void {
  const bound = pytorchDefaultBound(weight.shape);
  uniformFill(weight, bound, rng);
  if (bias !== null) uniformFill(bias, bound, rng);
}
