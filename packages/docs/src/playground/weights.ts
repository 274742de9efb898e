/**
 * Weights files in the page: the shipped pretrained checkpoint, a file the reader loads, and the
 * `model.safetensors` the reader downloads — the CLI's format (safetensors, PyTorch's state-dict
 * names, the run's settings and history as metadata), so `npm run evaluate -- --checkpoint` and
 * PyTorch load it.
 * @module
 */
import type { nn } from '@lenet/core';
import {
  checkpointMetadata,
  decodeSafetensors,
  encodeSafetensors,
  isLeNetTsCheckpoint,
  isModelName,
  parseCheckpointMetadata,
  type CheckpointInfo,
  type ModelName,
  type TensorData,
} from '@lenet/models/browser';

/** Weights read from a file, and which network they are for. */
export interface LoadedWeights {
  readonly tensors: Map<string, TensorData>;
  readonly model: ModelName;
  /** The checkpoint's info when the file was written by LeNet.ts (null for PyTorch's). */
  readonly info: CheckpointInfo | null;
}

/**
 * Decodes a weights file. `fallbackModel` names the network when the file does not (PyTorch's).
 * @throws SafetensorsError or CheckpointError naming the file and what is wrong.
 */
export function readWeightsBytes(bytes: Uint8Array, file: string, fallbackModel: ModelName): LoadedWeights {
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  const info = isLeNetTsCheckpoint(metadata) ? parseCheckpointMetadata(metadata, file) : null;
  const named = metadata.model;
  const model = info?.settings.model ?? (named !== undefined && isModelName(named) ? named : fallbackModel);
  return { tensors, model, info };
}

/** The bytes of `model.safetensors` for `model` with `info` as its metadata. */
export async function checkpointBytes(model: nn.Module, info: CheckpointInfo): Promise<Uint8Array> {
  return encodeSafetensors(await model.stateDict(), checkpointMetadata(info));
}
