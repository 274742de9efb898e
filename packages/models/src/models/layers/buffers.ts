/**
 * Buffers: tensors a layer holds that are part of its state but not learned (PyTorch's
 * `register_buffer`), such as C3's connection mask and the RBF output codes. They are saved with the
 * weights, so a checkpoint holds everything PyTorch's `state_dict()` would.
 * @module
 */
import type { nn, Tensor } from '@lenet/core';

/** A layer with buffers. */
export interface HasBuffers {
  /** The buffers by name (e.g. `mask`), in a fixed order. Each is a leaf tensor (it can be `assign`ed). */
  namedBuffers(): Array<[string, Tensor]>;
}

/** Whether `module` holds buffers. */
export function hasBuffers(module: nn.Module): module is nn.Module & HasBuffers {
  return 'namedBuffers' in module && typeof module.namedBuffers === 'function';
}

/**
 * Every buffer of `module` and its descendants with its state-dict name, `childName.bufferName`
 * (PyTorch's `named_buffers()`), in depth-first order.
 * @example namedBuffers(lenetClassic) // [['5.mask', …], ['14.codes', …]]
 */
export function namedBuffers(module: nn.Module, prefix = ''): Array<[string, Tensor]> {
  const named: Array<[string, Tensor]> = [];
  if (hasBuffers(module)) {
    for (const [name, buffer] of module.namedBuffers()) named.push([prefix + name, buffer]);
  }
  for (const [childName, child] of module.children()) named.push(...namedBuffers(child, `${prefix}${childName}.`));
  return named;
}
