/**
 * State dicts: a model's parameters and persistent buffers by their PyTorch names, to save, load and
 * move weights between LeNet.ts and PyTorch (e.g. through a safetensors file). One entry type,
 * {@link StateEntry}, serves the model, the checkpoint files and the tests.
 * @module
 */
import { formatShape, shapesEqual, sizeOf, type Shape } from '../shape/shape.js';
import { noGrad } from '../engine/memory.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * One saved tensor: its shape and its values, row-major — what a safetensors file holds per name.
 * @example { shape: [6], data: Float32Array.of(0.1, -0.2, 0, 0.3, 0.05, -0.1) } // C1's bias
 */
export interface StateEntry {
  /** The tensor's shape, e.g. `[6, 1, 5, 5]`; `[]` is a scalar with one value. */
  readonly shape: Shape;
  /** `shape[0] · shape[1] · …` values in row-major order (the last axis varies fastest). */
  readonly data: Float32Array;
}

/**
 * A model's state by name (`'0.weight'`, `'0.bias'`, …, then buffers such as `'5.mask'`) — the names
 * and layouts PyTorch's `state_dict()` uses for the same architecture.
 */
export type StateDict = Map<string, StateEntry>;

/**
 * A state dict that does not fit a model: names missing or unexpected, or shapes that differ. Every
 * problem is listed, one line each, so a wrong file is diagnosed in one go.
 *
 * @example
 * // other.safetensors: the saved weights do not fit the model: '7.weight' has shape [400,120] but
 * // the model's is [120,400]; missing '9.bias' [84]; unexpected '12.weight'
 */
export class StateDictMismatchError extends RangeError {
  /** Where the state came from (a file name), the start of the message. */
  readonly source: string;
  /** One line per mismatch, in the model's order, unexpected names last. */
  readonly problems: readonly string[];

  /**
   * @param source - where the state came from, e.g. the checkpoint's path
   * @param problems - one line per mismatch
   */
  constructor(source: string, problems: readonly string[]) {
    super(`${source}: the saved weights do not fit the model: ${problems.join('; ')}`);
    this.name = 'StateDictMismatchError';
    this.source = source;
    this.problems = problems;
  }
}

/** Reads every named tensor back from its backend into a {@link StateDict}, in the given order. */
export async function readStateDict(named: ReadonlyArray<readonly [string, Tensor]>): Promise<StateDict> {
  const entries = await Promise.all(
    named.map(async ([name, value]): Promise<[string, StateEntry]> => [name, { shape: [...value.shape], data: await value.data() }]),
  );
  return new Map(entries);
}

/**
 * Every way `state` fails to fit `named`: a name missing from the state, a shape (or value count)
 * that differs, and names the model does not have. Empty when it fits.
 */
export function stateDictProblems(named: ReadonlyArray<readonly [string, Tensor]>, state: ReadonlyMap<string, StateEntry>): string[] {
  const problems: string[] = [];
  for (const [name, target] of named) {
    const saved = state.get(name);
    if (saved === undefined) problems.push(`missing '${name}' ${formatShape(target.shape)}`);
    else if (!shapesEqual(saved.shape, target.shape)) {
      problems.push(`'${name}' has shape ${formatShape(saved.shape)} but the model's is ${formatShape(target.shape)}`);
    } else if (saved.data.length !== sizeOf(target.shape)) {
      problems.push(
        `'${name}' has ${saved.data.length} values for its shape ${formatShape(saved.shape)}, which holds ${sizeOf(saved.shape)}`,
      );
    }
  }
  const expected = new Set(named.map(([name]) => name));
  for (const name of state.keys()) if (!expected.has(name)) problems.push(`unexpected '${name}'`);
  return problems;
}

/**
 * Copies `state` into the named leaf tensors (parameters and buffers), in place: each keeps its
 * identity, so layers and optimisers that hold it see the new values. Strict, as PyTorch's
 * `load_state_dict(strict=True)`: everything is checked before anything is written.
 * @param source - where the state came from, for the error message
 * @throws StateDictMismatchError listing every missing, unexpected or mis-shaped entry.
 */
export function writeStateDict(
  named: ReadonlyArray<readonly [string, Tensor]>,
  state: ReadonlyMap<string, StateEntry>,
  source: string,
): void {
  const problems = stateDictProblems(named, state);
  if (problems.length > 0) throw new StateDictMismatchError(source, problems);
  noGrad(() => {
    for (const [name, target] of named) {
      const saved = state.get(name);
      if (saved !== undefined) target.assign(tensor(saved.data, target.shape, { backend: target.backend }));
    }
  });
}
