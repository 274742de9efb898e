/**
 * State dicts: a model's parameters by their PyTorch names, to save, load and move weights between
 * LeNet.ts and PyTorch (e.g. through a safetensors file).
 * @module
 */
import { formatShape, shapesEqual, sizeOf, type Shape } from '../shape/shape.js';
import { tensor } from '../tensor/creation.js';
import type { Parameter } from './parameter.js';

/** One saved parameter: its shape and its values, row-major. */
export interface StateEntry {
  /** The parameter's shape, e.g. `[6, 1, 5, 5]`. */
  readonly shape: Shape;
  /** Its values in row-major order (the shape's size of them). */
  readonly values: Float32Array;
}

/**
 * Parameters by state-dict name (`'0.weight'`, `'0.bias'`, …), in `namedParameters()` order — the
 * names and layouts PyTorch's `state_dict()` uses for the same architecture.
 */
export type StateDict = Map<string, StateEntry>;

/** Reads every named parameter back into a {@link StateDict}. */
export async function readStateDict(named: ReadonlyArray<readonly [string, Parameter]>): Promise<StateDict> {
  const entries = await Promise.all(
    named.map(async ([name, parameter]): Promise<[string, StateEntry]> => [name, { shape: [...parameter.shape], values: await parameter.data() }]),
  );
  return new Map(entries);
}

/**
 * Copies `state` into the named parameters, in place (each keeps its identity). Everything is
 * checked before anything is written: every name must be present on both sides and every shape
 * must match.
 * @throws RangeError listing missing and unexpected names, or naming a parameter whose shape or
 *   value count differs.
 */
export function writeStateDict(named: ReadonlyArray<readonly [string, Parameter]>, state: ReadonlyMap<string, StateEntry>): void {
  const names = new Set(named.map(([name]) => name));
  const missing = [...names].filter((name) => !state.has(name));
  const unexpected = [...state.keys()].filter((name) => !names.has(name));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new RangeError(
      `loadStateDict: the state does not match the model's parameters` +
        (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
        (unexpected.length > 0 ? `; unexpected: ${unexpected.join(', ')}` : ''),
    );
  }
  for (const [name, parameter] of named) {
    const entry = state.get(name);
    if (entry === undefined) continue;
    if (!shapesEqual(entry.shape, parameter.shape) || entry.values.length !== sizeOf(parameter.shape)) {
      throw new RangeError(
        `loadStateDict: '${name}' has shape ${formatShape(entry.shape)} with ${entry.values.length} values in the state ` +
          `but the model's parameter has shape ${formatShape(parameter.shape)}`,
      );
    }
  }
  for (const [name, parameter] of named) {
    const entry = state.get(name);
    if (entry !== undefined) parameter.assign(tensor(entry.values, parameter.shape, { backend: parameter.backend }));
  }
}
