/**
 * The training loop: d2l's `train_ch6` (section 7.6), with checkpoints, resume and a stop on
 * divergence.
 * @module
 */
import { existsSync } from 'node:fs';
import { crossEntropy, dispose, getBackend, optim, Rng, tensor, tidy, type nn } from '@lenet/core';
import type { ImageClassificationData } from '../data/image-classification-data.js';
import { predict } from '../evaluation/predict.js';
import { getModelSpec } from '../models/registry.js';
import { summary } from '../summary/summary.js';
import { argmaxRows, countCorrect } from './accuracy.js';
import { readCheckpoint, writeCheckpoint, type CheckpointInfo, type RunSettings } from './checkpoint.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { imageLoader } from './image-batches.js';
import { initWeights } from './init-weights.js';
import { readOptimizerState, removeOtherOptimizerStates, writeOptimizerState } from './optimizer-state.js';
import { runPaths, writeRunRecords, type RunPaths } from './run-directory.js';
import { loadStateDict, stateDict } from './state-dict.js';
import type { TrainingOutcome } from './training-outcome.js';

/** What {@link train} reports while it runs (the CLI prints it; tests record it). */
export interface TrainingEvents {
  /** Once, before the first step: where training starts and how long an epoch is. */
  readonly onStart?: (start: TrainingStart) => void;
  /** Before the first step of every epoch. */
  readonly onEpochStart?: (epoch: number, steps: number) => void;
  /** After every step, with the running averages of the epoch so far. */
  readonly onStep?: (step: StepReport) => void;
  /** After every epoch, once its checkpoint is written. */
  readonly onEpoch?: (metrics: EpochMetrics) => void;
}

/** Reported by {@link TrainingEvents.onStart}. */
export interface TrainingStart {
  /** The first epoch to train (1-based): 1, or one past the resumed checkpoint. */
  readonly firstEpoch: number;
  /** The last epoch to train. */
  readonly epochs: number;
  /** Mini-batches per epoch. */
  readonly stepsPerEpoch: number;
  /** Trainable parameters of the model. */
  readonly parameters: number;
  /** True when continuing from a checkpoint. */
  readonly resumed: boolean;
  /** The files of the run. */
  readonly paths: RunPaths;
}

/** Reported by {@link TrainingEvents.onStep}. */
export interface StepReport {
  /** 1-based epoch. */
  readonly epoch: number;
  /** 1-based step within the epoch. */
  readonly step: number;
  /** Steps in the epoch. */
  readonly steps: number;
  /** This step's mean cross-entropy over its batch. */
  readonly loss: number;
  /** The epoch's mean loss so far. */
  readonly trainLoss: number;
  /** The epoch's training accuracy so far. */
  readonly trainAcc: number;
}

/** Everything {@link train} needs. */
export interface TrainOptions {
  /** Model, seed, batch size, lr, momentum, data set and example counts. */
  readonly settings: RunSettings;
  /** Train until this many epochs are completed (counting those of a resumed checkpoint). */
  readonly epochs: number;
  /** The loaded data set (only the first `settings.trainExamples` / `testExamples` are used). */
  readonly data: ImageClassificationData;
  /** The run directory: checkpoint, metrics.jsonl, curves.svg. */
  readonly outDir: string;
  /** Continue from the checkpoint in `outDir` instead of starting afresh. */
  readonly resume?: boolean;
  /** When aborted (Ctrl-C), training stops before the next step; the last checkpoint stays. */
  readonly signal?: AbortSignal;
  /** Progress callbacks. */
  readonly events?: TrainingEvents;
}

/** A problem with the run's set-up (nothing to resume, settings that differ): exit code 2. */
export class TrainingSetupError extends Error {
  /** @param message what is wrong and what to do */
  constructor(message: string) {
    super(message);
    this.name = 'TrainingSetupError';
  }
}

/** The settings a resumed run must share with its checkpoint (the lr may change). */
const RESUME_KEYS: ReadonlyArray<keyof RunSettings> = ['model', 'seed', 'batchSize', 'momentum', 'dataset', 'trainExamples', 'testExamples'];

function checkResumable(saved: RunSettings, asked: RunSettings, file: string): void {
  const differences = RESUME_KEYS.filter((key) => saved[key] !== asked[key]).map(
    (key) => `${key}: checkpoint ${String(saved[key])}, now ${String(asked[key])}`,
  );
  if (differences.length > 0) {
    throw new TrainingSetupError(`${file}: cannot resume with different settings (${differences.join('; ')}); use the checkpoint's settings or another --out`);
  }
}

/** Model and optimiser, fresh or restored, and the history so far. */
interface RunState {
  readonly model: nn.Sequential;
  readonly optimizer: optim.SGD;
  readonly history: EpochMetrics[];
}

function buildModel(settings: RunSettings): nn.Sequential {
  const rng = new Rng(settings.seed);
  const model = getModelSpec(settings.model).build(rng.derive('layers'));
  initWeights(model, rng.derive('xavier'));
  return model;
}

/**
 * Saves epoch e so that a crash at any moment leaves a resumable run: the optimiser state goes to
 * its own `optimizer-<e>.safetensors` first (the model file still says e − 1, whose optimiser file
 * is untouched), then `model.safetensors` is replaced atomically (now e, and its optimiser file is
 * there), and only then are the other optimiser files deleted.
 */
async function saveCheckpoint(paths: RunPaths, state: RunState, settings: RunSettings, totalEpochs: number): Promise<void> {
  const info: CheckpointInfo = { settings, epoch: state.history.length, history: state.history, backend: getBackend().name };
  if (settings.momentum > 0) await writeOptimizerState(paths.optimizer(info.epoch), state.optimizer, state.model, info.epoch);
  writeCheckpoint(paths.checkpoint, await stateDict(state.model), info);
  removeOtherOptimizerStates(paths.dir, settings.momentum > 0 ? info.epoch : null);
  writeRunRecords(paths, state.history, totalEpochs);
}

async function restoreRun(options: TrainOptions, paths: RunPaths, state: RunState): Promise<RunState> {
  const { settings } = options;
  if (!options.resume) {
    if (existsSync(paths.checkpoint)) {
      throw new TrainingSetupError(`${paths.dir} already holds a run (${paths.checkpoint}); pass --resume to continue it, or choose another --out`);
    }
    await saveCheckpoint(paths, state, settings, options.epochs); // epoch 0: the last good weights if epoch 1 diverges
    return state;
  }
  if (!existsSync(paths.checkpoint)) {
    throw new TrainingSetupError(`nothing to resume: ${paths.checkpoint} does not exist; run without --resume to start`);
  }
  const checkpoint = readCheckpoint(paths.checkpoint);
  checkResumable(checkpoint.info.settings, settings, paths.checkpoint);
  loadStateDict(state.model, checkpoint.tensors, paths.checkpoint);
  if (settings.momentum > 0) readOptimizerState(paths.optimizer(checkpoint.info.epoch), state.optimizer, state.model, checkpoint.info.epoch);
  return { ...state, history: [...checkpoint.info.history] };
}

/** A fresh model (seeded, Xavier-initialised) and optimiser, or those of the checkpoint to resume. */
async function startRun(options: TrainOptions, paths: RunPaths): Promise<RunState> {
  const model = buildModel(options.settings);
  const optimizer = new optim.SGD(model.parameters(), { lr: options.settings.lr, momentum: options.settings.momentum });
  try {
    return await restoreRun(options, paths, { model, optimizer, history: [] });
  } catch (error) {
    optimizer.dispose();
    model.dispose();
    throw error;
  }
}

/**
 * Lets the event loop run (signal handlers such as Ctrl-C's, stream writes, timers). On the CPU
 * backend every `await` in a step resolves at once, as a microtask, so without this the loop would
 * never give the process a chance to notice Ctrl-C.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Trains a model as d2l's `train_ch6` does:
 *
 * ```text
 * initialise every Conv2d/Linear weight with Xavier uniform (biases: PyTorch's default)
 * for each epoch:
 *   for each shuffled mini-batch (X, y):              # order: a function of (seed, epoch) only
 *     ŷ = net(X);  l = crossEntropy(ŷ, y);  l.backward();  w ← w − η·∂l/∂w
 *     accumulate l·n, correct, n                      # d2l's Accumulator(3)
 *   train loss = Σ l·n / Σ n,  train acc = Σ correct / Σ n,  test acc = accuracy on the test split
 *   examples/sec = Σ n / (time spent in the steps)   # evaluation and saving not counted
 * ```
 *
 * Each step runs inside `tidy`, so the device holds the same buffers after every step. After every
 * epoch the checkpoint (`model.safetensors`), `metrics.jsonl` and `curves.svg` are rewritten
 * atomically; a fresh run also saves the initial weights as epoch 0. With `resume`, the checkpoint's
 * weights and history are loaded and training continues with the next epoch, seeing exactly the batches
 * an uninterrupted run would.
 *
 * A loss that is NaN or ±∞ stops the run at once (`diverged`, the bad weights are not saved); an
 * aborted `signal` stops it before the next step (`interrupted`). Either way the last checkpoint on
 * disk is that of the last completed epoch.
 *
 * The backend is the current one (`setBackend`).
 * @throws TrainingSetupError, CheckpointError or StateDictMismatchError when the run cannot start or resume.
 */
export async function train(options: TrainOptions): Promise<TrainingOutcome> {
  const { settings, data } = options;
  if (!Number.isInteger(options.epochs) || options.epochs < 1) {
    throw new TrainingSetupError(`epochs must be a positive integer, got ${options.epochs}`);
  }
  const paths = runPaths(options.outDir);
  const state = await startRun(options, paths);
  const { model, optimizer, history } = state;
  try {
    const loader = imageLoader(data.train, { batchSize: settings.batchSize, shuffle: true, seed: settings.seed, limit: settings.trainExamples });
    const spec = getModelSpec(settings.model);
    options.events?.onStart?.({
      firstEpoch: history.length + 1,
      epochs: options.epochs,
      stepsPerEpoch: loader.numBatches,
      parameters: summary(model, [1, ...spec.exampleShape]).totalParameters,
      resumed: options.resume ?? false,
      paths,
    });
    for (let epoch = history.length + 1; epoch <= options.epochs; epoch++) {
      const epochStarted = performance.now();
      let lossSum = 0;
      let correct = 0;
      let examples = 0;
      let trainMilliseconds = 0;
      let step = 0;
      options.events?.onEpochStart?.(epoch, loader.numBatches);
      for (const batch of loader.batches(epoch - 1)) {
        await yieldToEventLoop();
        if (options.signal?.aborted) return { status: 'interrupted', history, epoch, step };
        const stepStarted = performance.now();
        optimizer.zeroGrad();
        const { loss, logits } = tidy(() => {
          const output = model.call(tensor(batch.images, batch.shape));
          const batchLoss = crossEntropy(output, tensor(batch.labels, [batch.size]));
          batchLoss.backward();
          return { loss: batchLoss, logits: output };
        });
        optimizer.step();
        const [lossValue, logitValues] = await Promise.all([loss.item(), logits.data()]);
        dispose(loss, logits);
        step++;
        if (!Number.isFinite(lossValue)) {
          return { status: 'diverged', history, epoch, step, loss: lossValue, lr: settings.lr };
        }
        lossSum += lossValue * batch.size;
        correct += countCorrect(argmaxRows(logitValues, logitValues.length / batch.size), batch.labels);
        examples += batch.size;
        trainMilliseconds += performance.now() - stepStarted;
        options.events?.onStep?.({ epoch, step, steps: loader.numBatches, loss: lossValue, trainLoss: lossSum / examples, trainAcc: correct / examples });
      }
      const { accuracy: testAcc } = await predict(model, data.test, { batchSize: settings.batchSize, limit: settings.testExamples });
      const trainSeconds = trainMilliseconds / 1000;
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: lossSum / examples,
        trainAcc: correct / examples,
        testAcc,
        examplesPerSec: examples / trainSeconds,
        trainSeconds,
        epochSeconds: (performance.now() - epochStarted) / 1000,
        examples,
        steps: step,
      };
      history.push(metrics);
      await saveCheckpoint(paths, state, settings, options.epochs);
      options.events?.onEpoch?.(metrics);
    }
    return { status: 'completed', history };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
