/**
 * Reverse-mode automatic differentiation, as in micrograd: sort the graph topologically, then walk
 * it backwards, each op turning the gradient of its output into gradients of its inputs (the chain
 * rule), summing where a tensor feeds several ops.
 * @module
 */
import { keep, noGrad, tidy } from '../engine/memory.js';
import { formatShape, shapesEqual } from '../shape/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** The tensors `root` depends on that need a gradient, inputs before the ops that use them. */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative depth-first search (a deep graph must not overflow the call stack).
  const stack: Array<{ tensor: Tensor; expanded: boolean }> = [{ tensor: root, expanded: false }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.expanded) {
      order.push(top.tensor);
      continue;
    }
    if (visited.has(top.tensor)) continue;
    visited.add(top.tensor);
    stack.push({ tensor: top.tensor, expanded: true });
    for (const input of top.tensor.inputs) {
      if (input.requiresGrad && !visited.has(input)) stack.push({ tensor: input, expanded: false });
    }
  }
  return order;
}

/** Runs `root.backward(seed)`: see {@link Tensor.backward}. */
export function runBackward(root: Tensor, seed?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error(`backward: ${root.describe()} does not depend on any tensor with requiresGrad, so there is nothing to differentiate`);
  }
  if (seed === undefined && root.size !== 1) {
    throw new RangeError(`backward: ${root.describe()} is not a scalar; pass the gradient of the loss with respect to it as the seed`);
  }
  if (seed !== undefined && !shapesEqual(seed.shape, root.shape)) {
    throw new RangeError(`backward: the seed has shape ${formatShape(seed.shape)} but the tensor has ${formatShape(root.shape)}`);
  }
  const order = topologicalOrder(root);
  noGrad(() => {
    const pending = new Map<Tensor, Tensor>();
    pending.set(root, seed ? seed.detach() : onesLike(root));
    for (let i = order.length - 1; i >= 0; i--) {
      const tensor = order[i];
      const grad = pending.get(tensor);
      if (grad === undefined) continue;
      pending.delete(tensor);
      const node = tensor.node;
      if (node === null || node.backward === null) {
        accumulateLeafGrad(tensor, grad);
        continue;
      }
      // A gradient may take several kernels (div: dy/b, a/b, their product, a sum back to b's
      // shape); only the gradients it returns survive, even when no tidy is open around backward().
      const pushBack = node.backward;
      const inputGrads = tidy(() => pushBack(grad, tensor));
      // Each input that needs a gradient takes its own reference to the buffer (a backward
      // function may return dy itself, or one tensor for several inputs: add returns dy twice);
      // then every tensor the function returned is released, with the incoming gradient.
      node.inputs.forEach((input, k) => {
        const inputGrad = inputGrads[k];
        if (inputGrad === null || inputGrad === undefined || !input.requiresGrad) return;
        const owned = inputGrad.detach();
        const previous = pending.get(input);
        if (previous === undefined) {
          pending.set(input, owned);
        } else {
          pending.set(input, previous.add(owned));
          previous.dispose();
          owned.dispose();
        }
      });
      for (const returned of new Set(inputGrads)) returned?.dispose();
      grad.dispose();
    }
  });
}

function onesLike(tensor: Tensor): Tensor {
  return new Tensor(tensor.backend.fill(tensor.shape, 1), tensor.shape, tensor.backend);
}

/** A leaf keeps its gradient, summed over backward calls (as PyTorch does). */
function accumulateLeafGrad(leaf: Tensor, grad: Tensor): void {
  if (leaf.grad === null) {
    leaf.grad = keep(grad);
  } else {
    const total = leaf.grad.add(grad);
    leaf.grad.dispose();
    grad.dispose();
    leaf.grad = keep(total);
  }
}
