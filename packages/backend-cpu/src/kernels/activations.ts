/**
 * The activations of formula (2), a = f(z), each with f and its derivative f′ as the textbook
 * writes them: the one place backend-cpu knows them. `unary` (`elementwise.ts`) applies f, and
 * {@link activationGrad} computes dz = da · f′ in one kernel, f′ written with the value core's list
 * `ACTIVATIONS` says the gradient reads: the output y = f(z) or the input z.
 * @module
 */
import type { ActivationOp } from '@lenet/core';

/** One activation in float arithmetic: f, and f′ as a function of what its gradient reads (y or z). */
export interface ActivationFormulas {
  /** f(z). */
  readonly f: (z: number) => number;
  /** f′, written with y = f(z) or with z, as core's `ACTIVATIONS` says for this activation. */
  readonly derivative: (input: number) => number;
}

/** Every activation of core's list (a new one is a compile error here until it has its formulas). */
export const ACTIVATION_FORMULAS: { readonly [F in ActivationOp]: ActivationFormulas } = {
  sigmoid: {
    // σ(z) = 1 / (1 + e^(−z)); for very negative z, e^(−z) overflows to ∞ and σ correctly becomes 0
    f: (z) => 1 / (1 + Math.exp(-z)),
    derivative: (y) => y * (1 - y), // σ′(z) = σ(z) · (1 − σ(z)), from y
  },
  tanh: {
    f: (z) => Math.tanh(z),
    derivative: (y) => 1 - y * y, // tanh′(z) = 1 − tanh²(z), from y
  },
  relu: {
    // biome-ignore lint/complexity/useMathMinMax: Math.max(z, 0) keeps NaN; relu sends it to 0 as tfjs and the GPU kernels do
    f: (z) => (z > 0 ? z : 0),
    derivative: (y) => (y > 0 ? 1 : 0), // relu′(z) = [z > 0] = [y > 0]
  },
  silu: {
    f: (z) => z / (1 + Math.exp(-z)), // z · σ(z)
    derivative: (z) => {
      const sigmoid = 1 / (1 + Math.exp(-z));
      return sigmoid * (1 + z * (1 - sigmoid)); // silu′(z) = σ(z) · (1 + z · (1 − σ(z))), from z
    },
  },
};

/**
 * dx[i] = dy[i] · f′ at element i, `input` being what the gradient reads (core's `ACTIVATIONS`):
 * - `sigmoid`: dx = dy · y · (1 − y), `input` is y = σ(x)
 * - `tanh`:    dx = dy · (1 − y²),    `input` is y = tanh(x)
 * - `relu`:    dx = dy · [y > 0],     `input` is y = max(0, x) (x gives the same)
 * - `silu`:    dx = dy · σ(x)·(1 + x·(1 − σ(x))), `input` is x
 *
 * `input` and `dy` have the same shape, which the result keeps.
 * @example activationGrad('relu', Float32Array.of(-1, 3), Float32Array.of(5, 5)) // [0, 5]
 */
export function activationGrad(op: ActivationOp, input: Float32Array, dy: Float32Array): Float32Array {
  const { derivative } = ACTIVATION_FORMULAS[op];
  const dx = new Float32Array(dy.length);
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * derivative(input[i]);
  return dx;
}
