/**
 * What the fused kernels (`fused-conv2d.ts`, `fused-matmul.ts`) do after the sum: add the bias and
 * apply the activation of formula (2). Both are compile-time constants, so each compiled kernel has
 * no branch left but the one it uses. Activation codes (`FUSED_ACTIVATIONS` in core): 0 identity,
 * 1 sigmoid, 2 tanh, 3 relu, written exactly as the element-wise kernels write them, so a fused
 * layer gives the same values as the unfused one.
 * @module
 */
import type { FusedActivation, TensorInfo } from '@lenet/core';

/** What a fused kernel adds after the sum: the bias (1 when there is one) and the activation code. */
export interface EpilogueConstants {
  readonly hasBias: number;
  readonly activation: number;
}

/** The activation codes of the fused kernels: the order of `FusedActivation` in core's `FUSED_ACTIVATIONS`. */
export const ACTIVATION_CODES: Readonly<Record<FusedActivation, number>> = { identity: 0, sigmoid: 1, tanh: 2, relu: 3 };

/** The epilogue constants of a fused kernel: whether there is a bias, and the activation's code. */
export function epilogueConstants(bias: TensorInfo | null, activation: FusedActivation): EpilogueConstants {
  return { hasBias: bias === null ? 0 : 1, activation: ACTIVATION_CODES[activation] };
}
