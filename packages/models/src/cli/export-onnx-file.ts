/**
 * Writing a checkpoint as `model.onnx`: read the weights, check them against the network they belong
 * to, export, write. Shared by `npm run export` and `train --onnx`. Every check runs before the file
 * is written, and the write is atomic, so bad input leaves nothing behind.
 * @module
 */
import { Rng } from '@lenet/core';
import { FASHION_MNIST_CLASS_NAMES } from '../data/fashion-mnist-classes.js';
import { MNIST_CLASS_NAMES } from '../data/mnist.js';
import { FileSystemError } from '../io/file-system-error.js';
import { checkOutputTarget, OutputRefusedError, writeOutputFile } from '../io/output-file.js';
import { getModelSpec, type ModelName } from '../models/registry.js';
import { exportOnnx } from '../onnx/onnx-export.js';
import { readWeights } from '../training/checkpoint.js';
import { CheckpointError } from '../training/checkpoint-metadata.js';
import { checkpointModel, nonFiniteTensors } from './checkpoint-model.js';

/** What to export, and where. */
export interface OnnxFileRequest {
  /** The `model.safetensors` to read. */
  readonly checkpoint: string;
  /** The `.onnx` file to write. */
  readonly onnx: string;
  /** The network, for weights not written by the train command (`--model`). */
  readonly model?: ModelName;
  /** Write the file even when the weights hold NaN or infinities (then `warnings` says so). */
  readonly allowNonFinite?: boolean;
}

/** What was written. */
export interface OnnxFileResult {
  /** The network exported. */
  readonly model: ModelName;
  /** The completed epochs of the run, or null for weights saved elsewhere. */
  readonly epoch: number | null;
  /** The size of the file. */
  readonly bytes: number;
  /** Problems that did not stop the export (non-finite weights with `allowNonFinite`). */
  readonly warnings: readonly string[];
}

/** The class names of a data set as the checkpoint names it (Fashion-MNIST when it does not). */
function classNamesOf(dataset: string | undefined): readonly string[] {
  return dataset === 'mnist' ? MNIST_CLASS_NAMES : FASHION_MNIST_CLASS_NAMES;
}

function onnxWriteFailure(path: string, error: unknown): FileSystemError {
  return new FileSystemError({
    path,
    action: 'cannot write the ONNX model to',
    problem: error instanceof OutputRefusedError ? error.message : error,
    advice: 'give a new file name or a regular file in a directory that exists and that you may write, e.g. model.onnx',
  });
}

/**
 * Refuses an output path that {@link writeOnnxFile} could not write (a directory, a dangling link…),
 * before any long work. @throws FileSystemError saying what is there and what to give instead.
 */
export function checkOnnxTarget(path: string): void {
  try {
    checkOutputTarget(path);
  } catch (error) {
    throw onnxWriteFailure(path, error);
  }
}

/**
 * Exports `request.checkpoint` to `request.onnx` on the current backend.
 * @throws CheckpointError (unreadable file, --model contradicting it, NaN weights without
 *   `allowNonFinite`), StateDictMismatchError (the tensors do not fit the network), FileSystemError
 *   (the path cannot be written); nothing is written then.
 */
export async function writeOnnxFile(request: OnnxFileRequest): Promise<OnnxFileResult> {
  checkOnnxTarget(request.onnx);
  const weights = readWeights(request.checkpoint);
  const model = checkpointModel(weights, request.model, request.checkpoint);
  const warnings: string[] = [];
  const broken = nonFiniteTensors(weights.tensors);
  if (broken.length > 0) {
    const problem = `holds NaN or infinite weights (${broken.join(', ')}): the ONNX model would predict nothing`;
    if (request.allowNonFinite !== true) {
      throw new CheckpointError(
        request.checkpoint,
        `${problem}; export an earlier checkpoint, or retrain with a smaller --lr (--allow-non-finite writes it anyway)`,
      );
    }
    warnings.push(`${request.checkpoint} ${problem}`);
  }
  const network = getModelSpec(model).build(new Rng(weights.info?.settings.seed ?? 0));
  try {
    network.loadStateDict(weights.tensors, request.checkpoint);
    network.eval();
    const bytes = await exportOnnx(network, {
      model,
      classNames: classNamesOf(weights.info?.settings.dataset ?? weights.metadata.dataset),
      info: weights.info,
    });
    try {
      writeOutputFile(request.onnx, bytes);
    } catch (error) {
      throw onnxWriteFailure(request.onnx, error);
    }
    return { model, epoch: weights.info?.epoch ?? null, bytes: bytes.length, warnings };
  } finally {
    network.dispose();
  }
}
