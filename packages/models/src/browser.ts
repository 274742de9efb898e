/**
 * `@lenet/models/browser`: the parts of `@lenet/models` that run in a browser — the models and
 * their layers, summaries, the training loop, its step and running metrics, mini-batches, evaluation,
 * state dicts, the safetensors and checkpoint-metadata codecs and the ONNX export — with nothing that needs Node
 * (`fs`, `zlib`, the CLIs, the benchmark). The docs site's Playground is bundled from it.
 *
 * Every module re-exported here imports only `@lenet/core` and other modules of this list (type
 * imports aside); the Playground's build fails if a Node built-in reaches the bundle.
 * @module
 */

// Models and their layers
export { lenet5 } from './models/lenet5.js';
export { lenet5Modern } from './models/lenet5-modern.js';
export { lenet5Classic, LENET5_CLASSIC_LAYER_NAMES } from './models/lenet5-classic.js';
export { getModelSpec, isModelName, MODEL_NAMES, UnknownModelError, type ModelName, type ModelSpec } from './models/registry.js';
export { MaskedConv2d } from './models/layers/masked-conv2d.js';

// Summary
export { summary, type ModelSummary, type SummaryOptions, type SummaryRow } from './summary/summary.js';
export { formatCount } from './summary/format-summary.js';

// Data (plain arrays; the browser fetches and decompresses the IDX files itself)
export type { ImageClassificationData, ImageClassificationSplit } from './data/image-classification-data.js';
export { FASHION_MNIST_CLASS_NAMES } from './data/fashion-mnist-classes.js';
export { IDX_FILE_NAMES } from './data/idx-file-names.js';
export { DataFileError } from './data/data-file-error.js';
export { idxHeaderBytes, idxMagicNumber, parseIdxHeader, scaleToUnitInterval, type IdxHeader, type IdxKind } from './data/idx-bytes.js';

// Training
export {
  DEFAULT_PROGRESS_INTERVAL_MS,
  trainingLoop,
  type DivergedReport,
  type EpochReport,
  type EpochStartReport,
  type EvaluationReport,
  type InterruptedReport,
  type StartReport,
  type StepReport,
  type TrainingLoopOptions,
  type TrainingReport,
} from './training/training-loop.js';
export { initialModel } from './training/initial-model.js';
export { STEP_MODES, TrainingStep, type StepMode } from './training/training-step.js';
export { RunningMetrics, type MetricsReading } from './training/running-metrics.js';
export { initWeights } from './training/init-weights.js';
export {
  collateImages,
  imageDataset,
  imageLoader,
  type ImageBatch,
  type ImageExample,
  type ImageLoaderOptions,
} from './data/image-batches.js';
export { argmaxRows, countCorrect } from './evaluation/accuracy.js';
export { isEpochMetrics, type EpochMetrics } from './training/epoch-metrics.js';

// Evaluation
export { predict, type PredictOptions, type Predictions } from './evaluation/predict.js';
export { confusionMatrix } from './evaluation/confusion-matrix.js';

// Weights files (bytes in, bytes out)
export { decodeSafetensors, encodeSafetensors, SafetensorsError, type SafetensorsContents, type TensorData } from './io/safetensors.js';
export {
  CheckpointError,
  checkpointMetadata,
  isLeNetTsCheckpoint,
  parseCheckpointMetadata,
  type CheckpointInfo,
  type RunSettings,
} from './training/checkpoint-metadata.js';

// ONNX (bytes out)
export { exportOnnx, OnnxExportError, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME, type OnnxExportOptions } from './onnx/onnx-export.js';
export { ONNX_IR_VERSION, ONNX_OPSET } from './onnx/onnx-format.js';
export { readOnnxOutline, type OnnxModelOutline, type OnnxNodeOutline, type OnnxValueOutline } from './onnx/onnx-outline.js';
