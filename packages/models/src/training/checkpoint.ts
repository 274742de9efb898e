/**
 * Checkpoints: `model.safetensors` holds the weights under PyTorch's `state_dict` names and, in its
 * string metadata, everything needed to continue the run exactly — the settings, the number of
 * completed epochs and the metrics so far. It is rewritten atomically after every epoch, so a crash
 * or Ctrl-C leaves the previous epoch's complete file.
 *
 * There is no random-number state to save: the initial weights come from `seed` once, and the order
 * of the data in epoch e depends only on (seed, e) (see `DataLoader`). With momentum > 0 the SGD
 * momentum buffers go in a side file, `optimizer-<epoch>.safetensors`, written before the model file
 * and stamped with the same epoch; the older one is deleted only once the model file is replaced, so
 * a crash between the two writes still leaves a model file with its matching optimiser state.
 * @module
 */
import { existsSync } from 'node:fs';
import { SafetensorsError, type TensorData } from '../io/safetensors.js';
import { readSafetensors, writeSafetensors } from '../io/safetensors-file.js';
import {
  checkpointMetadata,
  CheckpointError,
  isLeNetTsCheckpoint,
  parseCheckpointMetadata,
  type CheckpointInfo,
} from './checkpoint-metadata.js';

/** Weights and info read from a checkpoint. */
export interface LoadedCheckpoint {
  /** The tensors by state-dict name. */
  readonly tensors: Map<string, TensorData>;
  /** The decoded metadata. */
  readonly info: CheckpointInfo;
}

/**
 * Reads a checkpoint written by the train command.
 * @throws CheckpointError when the file is missing, not safetensors, or lacks the metadata.
 */
export function readCheckpoint(path: string): LoadedCheckpoint {
  const contents = readCheckpointFile(path);
  return { tensors: contents.tensors, info: parseCheckpointMetadata(contents.metadata, path) };
}

/** Reads a safetensors file, turning a missing or unreadable one into a {@link CheckpointError}. */
function readCheckpointFile(path: string): ReturnType<typeof readSafetensors> {
  if (!existsSync(path)) throw new CheckpointError(path, 'checkpoint not found');
  try {
    return readSafetensors(path);
  } catch (cause) {
    if (cause instanceof SafetensorsError) throw new CheckpointError(path, `unreadable checkpoint: ${cause.message}`, { cause });
    throw cause;
  }
}

/** Weights from any safetensors file, with LeNet.ts's checkpoint info when the file has it. */
export interface LoadedWeights {
  /** The tensors by state-dict name. */
  readonly tensors: Map<string, TensorData>;
  /** The decoded metadata of a LeNet.ts checkpoint, or null for weights saved elsewhere (e.g. by PyTorch). */
  readonly info: CheckpointInfo | null;
  /** The file's raw string metadata. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Reads weights for evaluation: a checkpoint of the train command (its metadata is then checked as
 * {@link readCheckpoint} does), or any safetensors file of `state_dict` tensors, such as
 * `safetensors.torch.save_file(net.state_dict(), ...)` writes in PyTorch.
 * @throws CheckpointError when the file is missing or not safetensors, or claims to be a LeNet.ts
 * checkpoint with broken metadata.
 */
export function readWeights(path: string): LoadedWeights {
  const contents = readCheckpointFile(path);
  const fromLeNetTs = isLeNetTsCheckpoint(contents.metadata);
  return {
    tensors: contents.tensors,
    info: fromLeNetTs ? parseCheckpointMetadata(contents.metadata, path) : null,
    metadata: contents.metadata,
  };
}

/** Writes weights and info atomically as a safetensors checkpoint. */
export function writeCheckpoint(path: string, tensors: ReadonlyMap<string, TensorData>, info: CheckpointInfo): void {
  writeSafetensors(path, tensors, checkpointMetadata(info));
}
