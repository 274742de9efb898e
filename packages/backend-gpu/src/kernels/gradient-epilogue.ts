/**
 * What a gradient kernel of the compiled training step does to its result r before writing it
 * (core's `GradientEpilogue`): nothing (0), r · f′ at the input (1, the activation gradient of the
 * layer before), or param − lr · r (2, the SGD update of the parameter whose gradient r is). The
 * choice and the activation are compile-time constants, so each compiled kernel keeps only the
 * branch it uses. The kernels that take one (`matmul`, `sumTo`, `sumParts`,
 * `conv2dBackpropFilter`, `avgPool2dBackprop`) end with the same lines, written as
 * `activation-grad.ts` and `sgd-update.ts` write them; backend-cpu composes those two kernels.
 * @module
 */
import type { GradientEpilogue, TensorInfo } from '@lenet/core';
import { ACTIVATION_CODES } from './epilogue.js';

/** The epilogue (0 none, 1 activation gradient, 2 SGD update) and, for 1, the activation's code (`epilogue.ts`'s: 1 sigmoid, 2 tanh, 3 relu). */
export interface GradientEpilogueConstants {
  readonly epilogue: number;
  readonly epilogueActivation: number;
}

/** The constants of `epilogue` (or of none). */
export function gradientEpilogueConstants(epilogue: GradientEpilogue | undefined): GradientEpilogueConstants {
  if (epilogue === undefined) return { epilogue: 0, epilogueActivation: 0 };
  if (epilogue.kind === 'activationGrad') return { epilogue: 1, epilogueActivation: ACTIVATION_CODES[epilogue.op] };
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
