/**
 * Argument checks shared by the ops: every op checks its inputs and throws an error that names the
 * op, the shapes and what was expected.
 * @module
 */
import { formatShape } from '../shape/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Throws unless every input is a live tensor on the same backend. */
export function checkInputs(op: string, ...inputs: Tensor[]): void {
  for (const input of inputs) {
    if (!(input instanceof Tensor)) {
      throw new TypeError(`${op}: expected a Tensor but got ${typeof input}`);
    }
    if (input.isDisposed) {
      throw new Error(`${op}: input ${input.describe()} was already disposed (freed by tidy or dispose); keep() it if you need it later`);
    }
  }
  const backend = inputs[0].backend;
  for (const input of inputs) {
    if (input.backend !== backend) {
      throw new Error(
        `${op}: inputs live on different backends (${backend.name} and ${input.backend.name}); move them to one backend first`,
      );
    }
  }
}

/** Throws unless `tensor` has rank `rank`; `layout` names the axes, e.g. `[batch, classes]`. */
export function checkRank(op: string, name: string, tensor: Tensor, rank: number, layout: string): void {
  if (tensor.rank !== rank) {
    throw new RangeError(`${op}: ${name} has shape ${formatShape(tensor.shape)} but must be ${rank}-D ${layout}`);
  }
}
