/**
 * `@lenet/models`, the library: LeNet-5 in three variants, Fashion-MNIST (shipped) and MNIST
 * (downloaded), d2l's `train_ch6` training loop with checkpoints, evaluation and model summaries.
 * The `train`, `evaluate`, `summary` and `bench` commands are the application built on it
 * (`src/cli/`, `src/bench/`, run as `dist/cli/*.js`); nothing of theirs is exported here.
 *
 * @example
 * import { CpuBackend } from '@lenet/backend-cpu';
 * import { setBackend } from '@lenet/core';
 * import { loadFashionMnist, train } from '@lenet/models';
 * setBackend(new CpuBackend());
 * const outcome = await train({
 *   settings: { model: 'lenet5', seed: 1, batchSize: 256, lr: 0.9, momentum: 0, dataset: 'fashion-mnist', trainExamples: 60000, testExamples: 10000 },
 *   epochs: 10, data: loadFashionMnist(), outDir: 'runs/lenet5',
 * });
 * @module
 */

// Everything that runs in a browser too (`@lenet/models/browser`)
export * from './browser.js';

// Models and their layers
export { ScaledTanh, SCALED_TANH_AMPLITUDE, SCALED_TANH_SLOPE } from './models/layers/scaled-tanh.js';
export { ZeroPad2d } from './models/layers/zero-pad2d.js';
export { Subsampling } from './models/layers/subsampling.js';
export type { MaskedConv2dOptions } from './models/layers/masked-conv2d.js';
export { C3_CONNECTION_TABLE, connectionMatrix } from './models/layers/c3-connection-table.js';
export { EuclideanRbf, randomSignCodes } from './models/layers/euclidean-rbf.js';
export { lecunUniform, lecunUniformBound } from './models/layers/lecun-uniform.js';

// Summary
export { formatOutputShapes, formatSummary, formatSummaryShape } from './summary/format-summary.js';

// Data
export { DEFAULT_FASHION_MNIST_DIR, loadFashionMnist, type LoadFashionMnistOptions } from './data/fashion-mnist.js';

export {
  DEFAULT_MNIST_BASE_URL,
  defaultCacheRoot,
  ensureMnist,
  loadMnist,
  MNIST_CLASS_NAMES,
  MNIST_FILES,
  type MnistOptions,
} from './data/mnist.js';
export {
  downloadVerified,
  ensureDownloaded,
  sha256OfFile,
  type DownloadableFile,
  type DownloadBytes,
  type DownloadEnd,
  type DownloadEvent,
  type DownloadRefetch,
  type DownloadOptions,
  type EnsureDownloadedOptions,
} from './data/download.js';
export { gunzipIfCompressed, parseIdx, readIdxFile, readIdxImageSet, type IdxArray, type IdxImageSet } from './data/idx.js';
export { loadIdxDirectory, type IdxDirectorySpec } from './data/image-classification-data.js';

// Files
export { writeFileAtomic } from './io/atomic-write.js';
export { OutputRefusedError, writeOutputFile } from './io/output-file.js';
export { FileSystemError, type FileSystemErrorParts } from './io/file-system-error.js';
export { makeDirectory, type DirectoryOperations } from './io/make-directory.js';

export { readSafetensors, writeSafetensors } from './io/safetensors-file.js';

// Training
export { train, type TrainingEvents, type TrainingStart, type TrainOptions } from './training/train.js';
export { openRun, TrainingSetupError, type RunContents, type RunRequest, type RunStore } from './training/run-store.js';

export { recordStepKernels, type KernelCall } from './training/step-plan.js';
export {
  divergenceMessage,
  type TrainingCompleted,
  type TrainingDiverged,
  type TrainingInterrupted,
  type TrainingOutcome,
} from './training/training-outcome.js';
export { formatEpochLine, formatMetricsJsonl } from './training/epoch-metrics.js';

export { readCheckpoint, writeCheckpoint, type LoadedCheckpoint } from './training/checkpoint.js';

export { runPaths, RunDirectoryBusyError, type LockOwner, type RunPaths } from './training/run-directory.js';

// Evaluation
export { EvaluationInterruptedError } from './evaluation/predict.js';
export { formatConfusionMatrix } from './evaluation/confusion-matrix.js';

// Plots
export {
  renderCurvesSvg,
  renderTrainingCurvesSvg,
  type CurveSeries,
  type CurvesSvgOptions,
  type TrainingCurvePoint,
} from './plots/curves-svg.js';
export { encodeGreyscalePng } from './plots/png.js';
