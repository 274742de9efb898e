/**
 * The activation part of a fused op, formula (2) a = f(z), and how its gradient is pushed back
 * through it. Shared by {@link fusedConv2d} and {@link fusedMatmul}.
 *
 * A fused kernel writes a = f(z) and keeps no z. That is all the backward pass needs when the
 * activation's gradient reads its output (`ACTIVATIONS`' `gradientReads`); for one that reads z, a
 * fused op that records gradients runs as the fused op with `identity` (z) followed by the
 * activation op, as tfjs fuses only the activations whose gradient it can write with the output.
 * @module
 */
import { recordsGradient } from '../autograd/record.js';
import { Tensor } from '../tensor/tensor.js';
import { type ActivationOp, type FusedActivation, gradientReadsOutput } from './activations.js';

/**
 * dz = dy · f′(z), written with the fused op's output a = f(z), which is all a fused op keeps:
 * sigmoid a·(1 − a), tanh 1 − a², relu [a > 0] (a > 0 exactly where z > 0), identity 1.
 * Returns `dy` itself for the identity.
 */
export function gradThroughActivation(activation: FusedActivation, a: Tensor, dy: Tensor): Tensor {
  if (activation === 'identity') return dy;
  return new Tensor(a.backend.activationGrad(activation, a, dy), a.shape, a.backend);
}

/**
 * Whether a fused op on `inputs` must keep z: its activation's gradient reads z and gradients are
 * being recorded. The op then runs as itself with `identity`, followed by the activation op.
 */
export function keepsPreActivation(activation: FusedActivation, inputs: readonly Tensor[]): activation is ActivationOp {
  return activation !== 'identity' && !gradientReadsOutput(activation) && recordsGradient(inputs);
}

/**
 * Checks that the gradient of `activation` can be folded into another kernel, which sees only its
 * output y = f(z) (`inputActivation`, `gradientIsPreActivation`).
 * @throws RangeError naming the op and the activation when its gradient reads z
 */
export function checkFoldable(op: string, what: string, activation: ActivationOp): void {
  if (!gradientReadsOutput(activation)) {
    throw new RangeError(
      `${op}: ${what} cannot fold the gradient of ${activation}, which reads the pre-activation z; leave it out and let ${activation} run its own gradient kernel`,
    );
  }
}
