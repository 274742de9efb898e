/**
 * The activation part of a fused op, formula (2) a = f(z), and how its gradient is pushed back
 * through it. Shared by {@link fusedConv2d} and {@link fusedMatmul}.
 * @module
 */
import type { ActivationOp, FusedActivation } from '../backend/backend.js';
import { Tensor } from '../tensor/tensor.js';

/** The activations with a gradient kernel (`activationGrad`), in the order the GPU kernels number them from 1. */
export const ACTIVATION_OPS: readonly ActivationOp[] = ['sigmoid', 'tanh', 'relu'];

/** The fused activations, in the order the GPU kernels number them (`identity` = 0). */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['identity', ...ACTIVATION_OPS];

/**
 * dz = dy · f′(z), written with the fused op's output a = f(z), which is all a fused op keeps:
 * sigmoid a·(1 − a), tanh 1 − a², relu [a > 0] (a > 0 exactly where z > 0), identity 1.
 * Returns `dy` itself for the identity.
 */
export function gradThroughActivation(activation: FusedActivation, a: Tensor, dy: Tensor): Tensor {
  if (activation === 'identity') return dy;
  return new Tensor(a.backend.activationGrad(activation, a, dy), a.shape, a.backend);
}
