/**
 * How an op joins the computational graph (define-by-run): it runs its kernel, then wraps the result
 * in a tensor that remembers the op, its inputs and how to push a gradient back to them.
 * @module
 */
import type { DataId } from '../backend/backend.js';
import { engine } from '../engine/engine.js';
import type { Shape } from '../shape/shape.js';
import { Tensor, type BackwardFn } from '../tensor/tensor.js';

/**
 * Wraps a kernel's output `dataId` of `shape` as the result of `op` on `inputs`. The gradient
 * function is kept only when gradients are being recorded and some input requires one.
 */
export function record(op: string, inputs: readonly Tensor[], dataId: DataId, shape: Shape, backward: BackwardFn): Tensor {
  const requiresGrad = recordsGradient(inputs);
  const node = { op, inputs, backward: requiresGrad ? backward : null };
  return new Tensor(dataId, shape, inputs[0].backend, node, requiresGrad);
}

/** Whether an op on `inputs` records its gradient: gradients are being recorded and some input requires one. */
export function recordsGradient(inputs: readonly Tensor[]): boolean {
  return engine.gradEnabled && inputs.some((input) => input.requiresGrad);
}
