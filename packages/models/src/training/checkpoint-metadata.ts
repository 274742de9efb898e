/**
 * What a checkpoint records besides the weights, as the string metadata of its safetensors file: the
 * run's settings, the completed epochs, the metrics so far and the backend. Encoding and decoding
 * only (no files), so the browser entry uses it as it is; `checkpoint.ts` reads and writes the files.
 * @module
 */
import { FileProblemError } from '../io/file-problem-error.js';
import { shownText } from '../io/shown-value.js';
import { isModelName, type ModelName } from '../models/registry.js';
import { isEpochMetrics, type EpochMetrics } from './epoch-metrics.js';

/** The settings of a run that a resumed run must share to continue it exactly. */
export interface RunSettings {
  /** The model's registry name. */
  readonly model: ModelName;
  /** The seed of the initial weights and the data order. */
  readonly seed: number;
  /** Examples per mini-batch. */
  readonly batchSize: number;
  /** The learning rate η. */
  readonly lr: number;
  /** SGD momentum μ (0: plain SGD, as d2l). */
  readonly momentum: number;
  /** The data set, e.g. `fashion-mnist`. */
  readonly dataset: string;
  /** Training examples used (the first n of the training split). */
  readonly trainExamples: number;
  /** Test examples used (the first n of the test split). */
  readonly testExamples: number;
  /**
   * SHA-256 of those examples (`dataChecksum`), so a resume on other data is caught; absent in
   * checkpoints written before it was recorded.
   */
  readonly dataChecksum?: string;
}

/** What a checkpoint records besides the weights. */
export interface CheckpointInfo {
  /** The run's settings. */
  readonly settings: RunSettings;
  /** Completed epochs (0: the initial weights, before any training). */
  readonly epoch: number;
  /** One entry per completed epoch. */
  readonly history: readonly EpochMetrics[];
  /** The backend that trained it, e.g. `cpu` or `gpu.js:webgpu` (informational). */
  readonly backend: string;
}

/** A checkpoint file that exists but cannot be used to continue or evaluate. The CLIs exit with 2. */
export class CheckpointError extends FileProblemError {}

/** The metadata keys of a checkpoint (all values are strings, as safetensors requires). */
const FORMAT_KEY = 'format';
const LIBRARY = 'lenet-ts';

/** Encodes a {@link CheckpointInfo} as safetensors metadata (strings only). */
export function checkpointMetadata(info: CheckpointInfo): Record<string, string> {
  const { settings } = info;
  return {
    [FORMAT_KEY]: 'pt',
    library: LIBRARY,
    model: settings.model,
    epoch: String(info.epoch),
    seed: String(settings.seed),
    batch_size: String(settings.batchSize),
    lr: String(settings.lr),
    momentum: String(settings.momentum),
    dataset: settings.dataset,
    train_examples: String(settings.trainExamples),
    test_examples: String(settings.testExamples),
    ...(settings.dataChecksum === undefined ? {} : { data_sha256: settings.dataChecksum }),
    backend: info.backend,
    history: JSON.stringify(info.history),
  };
}

function requireKey(metadata: Readonly<Record<string, string>>, key: string, file: string): string {
  const value = metadata[key];
  if (value === undefined) {
    throw new CheckpointError(file, `the metadata has no '${key}': this is not a checkpoint written by the train command`);
  }
  return value;
}

function requireNumber(metadata: Readonly<Record<string, string>>, key: string, file: string, integer: boolean): number {
  const text = requireKey(metadata, key, file);
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && (!Number.isInteger(value) || value < 0))) {
    throw new CheckpointError(
      file,
      `metadata '${key}' is '${shownText(text)}', expected ${integer ? 'a non-negative integer' : 'a number'}`,
    );
  }
  return value;
}

/**
 * Decodes the metadata written by {@link checkpointMetadata}.
 * @throws CheckpointError naming the key that is missing or malformed.
 */
export function parseCheckpointMetadata(metadata: Readonly<Record<string, string>>, file: string): CheckpointInfo {
  const model = requireKey(metadata, 'model', file);
  if (!isModelName(model)) throw new CheckpointError(file, `metadata 'model' is '${shownText(model)}', which is not a known model`);
  let history: unknown;
  try {
    history = JSON.parse(requireKey(metadata, 'history', file));
  } catch (cause) {
    if (cause instanceof CheckpointError) throw cause;
    throw new CheckpointError(file, `metadata 'history' is not valid JSON`, { cause });
  }
  if (!Array.isArray(history) || !history.every(isEpochMetrics)) {
    throw new CheckpointError(file, `metadata 'history' must be a list of epoch metrics`);
  }
  const epoch = requireNumber(metadata, 'epoch', file, true);
  if (history.length !== epoch) {
    throw new CheckpointError(file, `metadata says ${epoch} epochs were completed but 'history' holds ${history.length}`);
  }
  return {
    settings: {
      model,
      seed: requireNumber(metadata, 'seed', file, true),
      batchSize: requireNumber(metadata, 'batch_size', file, true),
      lr: requireNumber(metadata, 'lr', file, false),
      momentum: requireNumber(metadata, 'momentum', file, false),
      dataset: requireKey(metadata, 'dataset', file),
      trainExamples: requireNumber(metadata, 'train_examples', file, true),
      testExamples: requireNumber(metadata, 'test_examples', file, true),
      ...(metadata.data_sha256 === undefined ? {} : { dataChecksum: metadata.data_sha256 }),
    },
    epoch,
    history,
    backend: metadata.backend ?? 'unknown',
  };
}

/** Whether a safetensors file's metadata says LeNet.ts wrote it (then it must parse as a checkpoint). */
export function isLeNetTsCheckpoint(metadata: Readonly<Record<string, string>>): boolean {
  return metadata.library === LIBRARY;
}
