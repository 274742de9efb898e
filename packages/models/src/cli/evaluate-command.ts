/**
 * `npm run evaluate -- --checkpoint FILE`: test accuracy, confusion matrix and misclassified examples
 * of a trained model.
 * @module
 */
import { Rng } from '@lenet/core';
import type { ImageClassificationSplit } from '../data/image-classification-data.js';
import { confusionMatrix, formatConfusionMatrix } from '../evaluation/confusion-matrix.js';
import { misclassifiedImage } from './misclassified.js';
import { predict } from '../evaluation/predict.js';
import { FileSystemError } from '../io/file-system-error.js';
import { checkOutputTarget, OutputRefusedError, writeOutputFile } from '../io/output-file.js';
import { getModelSpec, MODEL_NAMES } from '../models/registry.js';
import { formatCount } from '../summary/format-summary.js';
import { readWeights } from '../training/checkpoint.js';
import { checkpointModel, nonFiniteTensors } from './checkpoint-model.js';
import { activateBackend, backendOption, checkBackend, describeBackend, gpuModeOption, wasmThreadsOption } from './backend-options.js';
import { println } from './cli-io.js';
import { choiceOption, intOption, newCommand, parseOrPrintHelp, stringOption } from './command-line.js';
import { DATASET_NAMES, dataDirOption, isDatasetName, loadDataset } from './dataset-options.js';
import { EXIT } from './exit-codes.js';
import { reportFailure, verboseOption, wantsStackTrace } from './report-failure.js';
import type { CommandContext } from './train-command.js';

const DESCRIPTION =
  'Evaluate a checkpoint on the test split: prints the test accuracy and the confusion matrix with class names, and ' +
  'can draw the misclassified examples. Exit codes: 0 done, 2 bad input (unreadable checkpoint, missing data, a path that cannot be written).';

/** The evaluate command's options, declared for {@link parseCommandLine}. */
export function evaluateCommandLine() {
  return newCommand('npm run evaluate --', DESCRIPTION)
    .addOption(
      stringOption(
        '--checkpoint <file>',
        'a model.safetensors written by the train command, or a PyTorch state_dict saved with safetensors (then give --model)',
      ).makeOptionMandatory(),
    )
    .addOption(choiceOption('--model <name>', MODEL_NAMES, "the network the weights belong to (default: the checkpoint's)"))
    .addOption(backendOption())
    .addOption(gpuModeOption())
    .addOption(wasmThreadsOption())
    .addOption(choiceOption('--dataset <name>', DATASET_NAMES, "the data set (default: the checkpoint's)"))
    .addOption(dataDirOption('a directory with the four IDX .gz files to use instead'))
    .addOption(intOption('--limit <int>', 'use the first N test examples (default: as many as the run was tested on)', { min: 1 }))
    .addOption(intOption('--batch-size <int>', 'examples per forward pass', { min: 1 }).default(256))
    .addOption(stringOption('--misclassified <file.png|file.svg>', 'write a picture of misclassified test examples'))
    .addOption(intOption('--misclassified-count <int>', 'how many misclassified examples to draw', { min: 1 }).default(48))
    .addOption(verboseOption());
}

/** The misclassified examples of a split: their indices, in order. */
function misclassifiedIndices(predicted: Int32Array, labels: Uint8Array): number[] {
  const indices: number[] = [];
  for (let n = 0; n < labels.length; n++) if (predicted[n] !== labels[n]) indices.push(n);
  return indices;
}

/** Refuses a --misclassified path that cannot be written (a directory…) before the evaluation runs. */
function checkMisclassifiedPath(path: string): void {
  try {
    checkOutputTarget(path);
  } catch (error) {
    throw misclassifiedFailure(path, error);
  }
}

function misclassifiedFailure(path: string, error: unknown): FileSystemError {
  const problem = error instanceof OutputRefusedError ? error.message : error;
  return new FileSystemError({
    path,
    action: 'cannot write the misclassified examples to',
    problem,
    advice: 'give --misclassified a new file name or a regular file, e.g. misclassified.png',
  });
}

function writeMisclassified(
  path: string,
  split: ImageClassificationSplit,
  indices: readonly number[],
  predicted: Int32Array,
  classNames: readonly string[],
): string[] {
  const picture = misclassifiedImage(split, indices, predicted, classNames, path.toLowerCase().endsWith('.svg') ? 'svg' : 'png');
  try {
    writeOutputFile(path, picture.bytes);
  } catch (error) {
    throw misclassifiedFailure(path, error);
  }
  return picture.captions;
}

/**
 * Runs the evaluate command with `argv` and returns its exit code (0, or 2 for bad input).
 * @example await runEvaluateCommand(['--checkpoint', 'runs/a/model.safetensors'], { io: PROCESS_IO });
 */
export async function runEvaluateCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { io } = context;
  const commandLine = evaluateCommandLine();
  const usage = commandLine.helpInformation();
  let close = (): void => undefined;
  try {
    const options = parseOrPrintHelp(commandLine, argv, io.stdout);
    if (options === null) return EXIT.ok;
    checkBackend(options.backend, options.gpuMode);
    if (options.misclassified !== undefined) checkMisclassifiedPath(options.misclassified);
    const weights = readWeights(options.checkpoint);
    const info = weights.info;
    const modelName = checkpointModel(weights, options.model, options.checkpoint);
    const recordedDataset = info?.settings.dataset ?? weights.metadata.dataset ?? 'fashion-mnist';
    const datasetName = options.dataset ?? (isDatasetName(recordedDataset) ? recordedDataset : 'fashion-mnist');
    const data = await loadDataset(datasetName, options.dataDir);
    const active = await activateBackend(options.backend, options.gpuMode, options.wasmThreads);
    close = active.close;
    const model = getModelSpec(modelName).build(new Rng(info?.settings.seed ?? 0));
    model.loadStateDict(weights.tensors, options.checkpoint);
    const broken = nonFiniteTensors(weights.tensors);
    if (broken.length > 0) {
      println(
        io.stderr,
        `evaluate: warning: ${options.checkpoint} holds NaN or infinite weights (${broken.join(', ')}): the predictions mean nothing; evaluate an earlier checkpoint, or retrain with a smaller --lr`,
      );
    }
    const limit = Math.min(options.limit ?? info?.settings.testExamples ?? data.test.count, data.test.count);
    const trained =
      info === null
        ? `${modelName} (weights from ${weights.metadata.library ?? 'another library'})`
        : `${modelName} after ${info.epoch} epochs`;
    println(io.stdout, `evaluate ${options.checkpoint}: ${trained}, on ${formatCount(limit)} ${data.name} test examples`);
    println(io.stdout, describeBackend(active));
    const { predicted, labels, accuracy } = await predict(model, data.test, { batchSize: options.batchSize, limit });
    model.dispose();
    println(io.stdout, `test accuracy ${accuracy.toFixed(4)} (${formatCount(Math.round(accuracy * limit))} of ${formatCount(limit)})`);
    println(io.stdout);
    println(io.stdout, formatConfusionMatrix(confusionMatrix(predicted, labels, data.classNames.length), data.classNames));
    if (options.misclassified !== undefined) {
      const wrong = misclassifiedIndices(predicted, labels).slice(0, options.misclassifiedCount);
      const captions = writeMisclassified(options.misclassified, data.test, wrong, predicted, data.classNames);
      println(io.stdout);
      println(io.stdout, `wrote ${wrong.length} misclassified examples to ${options.misclassified}, row by row:`);
      captions.forEach((caption, k) => println(io.stdout, `  ${k + 1}. ${caption.replace('\n', ', ')}`));
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure('evaluate', error, io, usage, wantsStackTrace(argv));
  } finally {
    close();
  }
}
