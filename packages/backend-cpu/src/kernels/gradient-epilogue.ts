/**
 * What a gradient kernel of the compiled training step does to its result before writing it
 * (core's `GradientEpilogue`), composed from the kernels that do it alone: the activation gradient
 * of the layer before (`activations.ts`) or the SGD update of the parameter whose gradient it is
 * (`sgd-update.ts`). The GPU backend does it inside the gradient kernel and is tested against this.
 * @module
 */
import type { ActivationOp, Shape } from '@lenet/core';
import { activationGrad } from './activations.js';
import { sgdUpdate } from './sgd-update.js';

/** A `GradientEpilogue` with its tensors' values. */
export type GradientEpilogueValues = ActivationGradValues | SgdUpdateValues;

/** r · f′(input), core's `ActivationGradEpilogue` with values. */
export interface ActivationGradValues {
  /** Which epilogue. */
  readonly kind: 'activationGrad';
  /** The activation f. */
  readonly op: ActivationOp;
  /** What f's gradient reads (core's `ACTIVATIONS`): y = f(x) or x, one value per element of r. */
  readonly input: Float32Array;
}

/** param − lr · r, core's `SgdUpdateEpilogue` with values. */
export interface SgdUpdateValues {
  /** Which epilogue. */
  readonly kind: 'sgdUpdate';
  /** The parameter's current values. */
  readonly param: Float32Array;
  /** Their shape (r's). */
  readonly shape: Shape;
  /** The learning rate η. */
  readonly lr: number;
}

/**
 * r · f′(input) for `activationGrad`, param − lr · r for `sgdUpdate`, r itself without an epilogue.
 * @example gradientEpilogue(Float32Array.of(2, 2), { kind: 'activationGrad', op: 'relu', input: Float32Array.of(-1, 1) }) // [0, 2]
 */
export function gradientEpilogue(result: Float32Array, epilogue: GradientEpilogueValues | undefined): Float32Array {
  if (epilogue === undefined) return result;
  if (epilogue.kind === 'activationGrad') return activationGrad(epilogue.op, epilogue.input, result);
  return sgdUpdate(epilogue.param, result, epilogue.shape, epilogue.lr);
}
