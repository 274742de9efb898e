/**
 * What the benchmark's start files share (the step benchmark's batches file, `bench-batches.ts`,
 * and the whole-run start file, `whole-run/whole-run-start.ts`): the network's initial parameters
 * stored as safetensors tensors under a `param.` prefix, and numbers kept in the metadata.
 * @module
 */
import type { TensorData } from '../io/safetensors.js';

const PARAMETER_PREFIX = 'param.';

/** Adds `parameters` to `tensors` under the prefix. */
export function addParameters(tensors: Map<string, TensorData>, parameters: ReadonlyMap<string, TensorData>): void {
  for (const [name, parameter] of parameters) tensors.set(`${PARAMETER_PREFIX}${name}`, parameter);
}

/** The parameters {@link addParameters} stored, by their own names. */
export function parametersOf(tensors: ReadonlyMap<string, TensorData>): Map<string, TensorData> {
  const parameters = new Map<string, TensorData>();
  for (const [name, tensor] of tensors) if (name.startsWith(PARAMETER_PREFIX)) parameters.set(name.slice(PARAMETER_PREFIX.length), tensor);
  return parameters;
}

/** The number the metadata keeps under `key`. @throws Error naming the file and the key when it is missing or not a number */
export function metadataNumber(metadata: Record<string, string>, key: string, path: string): number {
  const value = Number(metadata[key]);
  if (metadata[key] === undefined || !Number.isFinite(value))
    throw new Error(`${path}: metadata "${key}" should be a number, found ${JSON.stringify(metadata[key])}`);
  return value;
}
