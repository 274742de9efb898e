/**
 * The backward pass of the activations of formula (2), a = f(z), fused into one kernel:
 * dz = da · f′(z), with f′ written through whichever of z or a = f(z) is cheaper.
 * @module
 */
import type { ActivationOp } from '@lenet/core';

/**
 * f′ for each `ActivationOp`, as a function of the value the kernel is given:
 * the output y = f(x) for `sigmoid` and `tanh`, the input x for `relu`.
 */
const derivatives: Record<ActivationOp, (input: number) => number> = {
  sigmoid: (y) => y * (1 - y), // σ′(x) = σ(x) · (1 − σ(x))
  tanh: (y) => 1 - y * y, //       tanh′(x) = 1 − tanh²(x)
  relu: (x) => (x > 0 ? 1 : 0), // relu′(x) = [x > 0]
};

/**
 * dx[i] = dy[i] · f′ at element i:
 * - `sigmoid`: dx = dy · y · (1 − y), `input` is y = σ(x)
 * - `tanh`:    dx = dy · (1 − y²),    `input` is y = tanh(x)
 * - `relu`:    dx = dy · [x > 0],     `input` is x
 *
 * `input` and `dy` have the same shape, which the result keeps.
 * @example activationGrad('relu', Float32Array.of(-1, 3), Float32Array.of(5, 5)) // [0, 5]
 */
export function activationGrad(op: ActivationOp, input: Float32Array, dy: Float32Array): Float32Array {
  const derivative = derivatives[op];
  const dx = new Float32Array(dy.length);
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * derivative(input[i]);
  return dx;
}
