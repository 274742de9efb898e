/**
 * What a gradient kernel of the compiled training step does to its result r before writing it
 * (core's `GradientEpilogue`): nothing (0), r · f′ at the input (1, the activation gradient of the
 * layer before, `activations.ts`), or param − lr · r (2, the SGD update of the parameter whose
 * gradient r is, `sgd-update.ts`). The choice is a compile-time constant and the activation's
 * snippet is chosen when the kernel is compiled. The kernels that take one (`matmul`, `sumTo`,
 * `sumParts`, `conv2dBackpropFilter`, `avgPool2dBackprop`, webasm's `matmulRows`) end with
 * `return this.gradientEpilogue(r, other[i], lr);`; backend-cpu composes `activationGrad` or
 * `sgdUpdate` after the kernel.
 * @module
 */
import type { FusedActivation, GradientEpilogue, TensorInfo } from '@lenet/core';
import { ACTIVATION_SNIPPETS, activationCode } from './activations.js';
import { sgdUpdateSource } from './sgd-update.js';

/** The epilogue (0 none, 1 activation gradient, 2 SGD update) and, for 1, the activation's code (`activationCode`). */
export interface GradientEpilogueConstants {
  readonly epilogue: number;
  readonly epilogueActivation: number;
}

/** The constants of `epilogue` (or of none). */
export function gradientEpilogueConstants(epilogue: GradientEpilogue | undefined): GradientEpilogueConstants {
  if (epilogue === undefined) return { epilogue: 0, epilogueActivation: 0 };
  if (epilogue.kind === 'activationGrad') return { epilogue: 1, epilogueActivation: activationCode(epilogue.op) };
  return { epilogue: 2, epilogueActivation: 0 };
}

/**
 * The two trailing arguments of a kernel with an epilogue: the tensor it reads (the activation's
 * input, or the parameter; `unused` when there is none, never read then) and the learning rate.
 */
export function gradientEpilogueArguments(epilogue: GradientEpilogue | undefined, unused: TensorInfo): [TensorInfo, number] {
  if (epilogue === undefined) return [unused, 0];
  if (epilogue.kind === 'activationGrad') return [epilogue.input, 0];
  return [epilogue.param, epilogue.lr];
}

/** The source of `gradientEpilogue(result, other, lr)`, `other` being the read of the epilogue's tensor at this thread. */
export function gradientEpilogueSource(result: string, other: string, lr: string, activation: FusedActivation): string {
  return [
    'if (this.constants.epilogue === 1) {',
    `  const epilogueInput = ${other};`,
    ...ACTIVATION_SNIPPETS[activation]
      .gradient(result, 'epilogueInput')
      .split('\n')
      .map((line) => `  ${line}`),
    '}',
    'if (this.constants.epilogue === 2) {',
    `  return ${sgdUpdateSource(other, lr, result)};`,
    '}',
    `return ${result};`,
  ].join('\n');
}
