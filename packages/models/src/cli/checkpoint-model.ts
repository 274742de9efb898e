/**
 * Which network a weights file belongs to, and whether its weights are finite: what `evaluate` and
 * `export` both check before they use a checkpoint.
 * @module
 */
import type { TensorData } from '../io/safetensors.js';
import { isModelName, MODEL_NAMES, type ModelName } from '../models/registry.js';
import type { LoadedWeights } from '../training/checkpoint.js';
import { CheckpointError } from '../training/checkpoint-metadata.js';

/**
 * The model of `weights`: the checkpoint's own for a LeNet.ts checkpoint (then `requested` must be
 * that one or absent), else `requested`, else what the file's metadata names.
 * @throws CheckpointError when `requested` contradicts the checkpoint, or nothing names the model.
 */
export function checkpointModel(weights: LoadedWeights, requested: ModelName | undefined, path: string): ModelName {
  const info = weights.info;
  if (info !== null && requested !== undefined && requested !== info.settings.model) {
    throw new CheckpointError(
      path,
      `the checkpoint holds ${info.settings.model} weights, but --model asks for ${requested}; leave --model out (it is for weights saved elsewhere)`,
    );
  }
  const named = weights.metadata.model ?? '';
  const model = requested ?? info?.settings.model ?? (isModelName(named) ? named : undefined);
  if (model === undefined) {
    throw new CheckpointError(
      path,
      `these weights were not written by the train command and do not say which network they belong to; pass --model (${MODEL_NAMES.join(', ')})`,
    );
  }
  return model;
}

/** The names of the tensors holding a NaN or an infinity (weights that diverged before they were saved). */
export function nonFiniteTensors(tensors: ReadonlyMap<string, TensorData>): string[] {
  return [...tensors].filter(([, tensor]) => tensor.data.some((value) => !Number.isFinite(value))).map(([name]) => name);
}
