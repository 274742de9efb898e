/**
 * What the fused kernels (`conv2d.ts`, `matmul.ts`, `webasm/`) do after the sum: add the bias and
 * apply the activation of formula (2), tfjs's fused epilogue. Whether there is a bias and the
 * activation are compile-time constants; the activation's snippet (`activations.ts`) is chosen
 * when the kernel is compiled, so a compiled kernel has no branch on it, and a fused layer gives
 * the same values as the unfused one.
 * @module
 */
import type { FusedActivation, TensorInfo } from '@lenet/core';
import { ACTIVATION_SNIPPETS, activationCode } from './activations.js';

/** What a fused kernel adds after the sum: the bias (1 when there is one) and the activation's code (`activationCode`). */
export interface EpilogueConstants {
  readonly hasBias: number;
  readonly activation: number;
}

/** The epilogue constants of a fused kernel: whether there is a bias, and the activation's code. */
export function epilogueConstants(bias: TensorInfo | null, activation: FusedActivation): EpilogueConstants {
  return { hasBias: bias === null ? 0 : 1, activation: activationCode(activation) };
}

/** The source of `fusedEpilogue(z, bias)`: z += bias when there is one, then return f(z). */
export function fusedEpilogueSource(z: string, bias: string, activation: FusedActivation): string {
  return `if (this.constants.hasBias === 1) {\n  ${z} += ${bias};\n}\n${ACTIVATION_SNIPPETS[activation].forward(z)}`;
}
