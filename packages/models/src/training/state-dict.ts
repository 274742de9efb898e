/**
 * A model's weights as named plain tensors — PyTorch's `state_dict()` — and back.
 * @module
 */
import { formatShape, noGrad, shapesEqual, tensor, type nn, type Tensor } from '@lenet/core';
import type { TensorData } from '../io/safetensors.js';
import { namedBuffers } from '../models/layers/buffers.js';

/**
 * Every tensor of `model`'s state by name: the parameters in `namedParameters()` order
 * (`0.weight`, `0.bias`, `3.weight`, …), then the buffers (`5.mask`, `14.codes`). Layouts are
 * PyTorch's: conv weights `[out, in, kh, kw]`, linear weights `[out, in]`, biases `[out]`, so the
 * map saved as safetensors loads into the same `nn.Sequential` in PyTorch with
 * `net.load_state_dict(safetensors.torch.load_file(path))`.
 */
export function stateTensors(model: nn.Module): Array<[string, Tensor]> {
  return [...model.namedParameters(), ...namedBuffers(model)];
}

/** Reads every state tensor of `model` back from its backend (see {@link stateTensors}). */
export async function stateDict(model: nn.Module): Promise<Map<string, TensorData>> {
  const entries = await Promise.all(
    stateTensors(model).map(async ([name, value]): Promise<[string, TensorData]> => [name, { shape: [...value.shape], data: await value.data() }]),
  );
  return new Map(entries);
}

/** A state dict that does not fit a model: names missing or unexpected, or shapes that differ. */
export class StateDictMismatchError extends Error {
  /** Where the tensors came from (a file name). */
  readonly source: string;
  /** One line per mismatch. */
  readonly problems: readonly string[];

  /** @param problems one line per mismatch */
  constructor(source: string, problems: readonly string[]) {
    super(`${source}: the saved weights do not fit the model: ${problems.join('; ')}`);
    this.name = 'StateDictMismatchError';
    this.source = source;
    this.problems = problems;
  }
}

/**
 * Copies `tensors` into `model`'s parameters and buffers, in place (PyTorch's
 * `load_state_dict(strict=True)`): every name must be present with the same shape, and no other
 * names may appear.
 * @param source where the tensors came from, for the error message
 * @throws StateDictMismatchError listing every missing, unexpected or mis-shaped tensor.
 */
export function loadStateDict(model: nn.Module, tensors: ReadonlyMap<string, TensorData>, source: string): void {
  const targets = stateTensors(model);
  const problems: string[] = [];
  const expected = new Set(targets.map(([name]) => name));
  for (const [name, target] of targets) {
    const saved = tensors.get(name);
    if (saved === undefined) problems.push(`missing '${name}' ${formatShape(target.shape)}`);
    else if (!shapesEqual(saved.shape, target.shape)) {
      problems.push(`'${name}' has shape ${formatShape(saved.shape)} but the model's is ${formatShape(target.shape)}`);
    }
  }
  for (const name of tensors.keys()) if (!expected.has(name)) problems.push(`unexpected '${name}'`);
  if (problems.length > 0) throw new StateDictMismatchError(source, problems);
  noGrad(() => {
    for (const [name, target] of targets) {
      const saved = tensors.get(name);
      if (saved !== undefined) target.assign(tensor(saved.data, target.shape, { backend: target.backend }));
    }
  });
}
