/**
 * The training loop: d2l's `train_ch6` (section 7.6), with checkpoints, resume and a stop on
 * divergence.
 * @module
 */
import { optim, Rng, tensor, tidy, type nn } from '@lenet/core';
import type { ImageClassificationData } from '../data/image-classification-data.js';
import { EvaluationInterruptedError, predict } from '../evaluation/predict.js';
import { getModelSpec } from '../models/registry.js';
import { summary } from '../summary/summary.js';
import type { RunSettings } from './checkpoint-metadata.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { imageLoader } from '../data/image-batches.js';
import { initWeights } from './init-weights.js';
import type { RunPaths } from './run-directory.js';
import { openRun, TrainingSetupError, type RunRequest, type RunStore } from './run-store.js';
import type { TrainingDiverged, TrainingInterrupted, TrainingOutcome } from './training-outcome.js';
import { RunningMetrics, type MetricsReading } from './running-metrics.js';
import { TrainingStep, type StepMode } from './training-step.js';

/** How often, at most, {@link train} reads the running metrics back by default. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 250;

/** What {@link train} reports while it runs (the CLI prints it; tests record it). */
export interface TrainingEvents {
  /** Once, before the first step: where training starts and how long an epoch is. */
  readonly onStart?: (start: TrainingStart) => void;
  /** Before the first step of every epoch. */
  readonly onEpochStart?: (epoch: number, steps: number) => void;
  /**
   * After a step whose metrics were read back (at most every `progressIntervalMs`, and the last
   * step of each epoch), with the running averages of the epoch so far.
   */
  readonly onStep?: (step: StepReport) => void;
  /** After the last step of every epoch, before the test examples are evaluated. */
  readonly onEvaluationStart?: (epoch: number, examples: number) => void;
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
  /** The mean cross-entropy per example of the steps since the previous report (this step's, when reports come every step). */
  readonly loss: number;
  /** The epoch's mean loss so far. */
  readonly trainLoss: number;
  /** The epoch's training accuracy so far. */
  readonly trainAcc: number;
}

/** Everything {@link train} needs. */
export interface TrainOptions {
  /** Model, seed, batch size, lr, momentum, data set and example counts (the lr may be left out: see `RunStore.settingsFor`). */
  readonly settings: RunRequest;
  /** Train until this many epochs are completed (counting those of a resumed checkpoint). */
  readonly epochs: number;
  /** The loaded data set (only the first `settings.trainExamples` / `testExamples` are used). */
  readonly data: ImageClassificationData;
  /** The run directory: checkpoint, metrics.jsonl, curves.svg. */
  readonly outDir: string;
  /**
   * The run in `outDir`, already opened by the caller (`openRun(outDir, { resume })`), who also
   * releases it; when absent, `train` opens it itself and releases it at the end.
   */
  readonly run?: RunStore;
  /** Continue from the checkpoint in `outDir` instead of starting afresh. */
  readonly resume?: boolean;
  /** When aborted (Ctrl-C), training stops before the next step; the last checkpoint stays. */
  readonly signal?: AbortSignal;
  /** Progress callbacks. */
  readonly events?: TrainingEvents;
  /** `eager` (default: op by op, the teaching path) or `compiled` (fused kernels); see `TrainingStep`. */
  readonly stepMode?: StepMode;
  /**
   * The least time between two reads of the running loss and accuracy (each read waits for the
   * device to finish the queued steps). Default 250 ms; 0 reads after every step.
   */
  readonly progressIntervalMs?: number;
}

/** A fresh network from the seed, every Conv2d/Linear weight Xavier-uniform (d2l's `net.apply(init_weights)`). */
function buildModel(settings: RunSettings): nn.Sequential {
  const rng = new Rng(settings.seed);
  const model = getModelSpec(settings.model).build(rng.derive('layers'));
  initWeights(model, rng.derive('xavier'));
  return model;
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
 *     accumulate l·n, correct, n                      # d2l's Accumulator(3), summed on the device
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
 * A loss that is NaN or ±∞ stops the run at the next read of the metrics, within
 * `progressIntervalMs` (`diverged`, the bad weights are not saved); an
 * aborted `signal` stops it before the next step or evaluation batch (`interrupted`). Either way the
 * last checkpoint on disk is that of the last completed epoch.
 *
 * The run is opened first (`openRun`: the directory made, locked against a second process, checked
 * writable, temporary files of killed runs swept, the checkpoint to resume read), unless the caller
 * opened it; the run store then does all the saving.
 *
 * The backend is the current one (`setBackend`).
 * @throws TrainingSetupError, CheckpointError or nn.StateDictMismatchError when the run cannot start or
 *   resume; RunDirectoryBusyError when another process trains in `outDir`; FileSystemError when the
 *   directory cannot be made or a checkpoint cannot be written.
 */
export async function train(options: TrainOptions): Promise<TrainingOutcome> {
  const { epochs } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new TrainingSetupError(`epochs must be a positive integer, got ${epochs}`);
  const run = options.run ?? openRun(options.outDir, { resume: options.resume ?? false });
  try {
    const settings = run.settingsFor(options.settings);
    const model = buildModel(settings);
    const optimizer = new optim.SGD(model.parameters(), { lr: settings.lr, momentum: settings.momentum });
    try {
      await run.start({ settings, model, optimizer, epochs });
      return await trainEpochs(options, run, settings, model, optimizer);
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  } finally {
    if (options.run === undefined) run.release();
  }
}

/** What the epochs of one run share. */
interface EpochContext {
  readonly options: TrainOptions;
  readonly settings: RunSettings;
  readonly model: nn.Sequential;
  readonly trainingStep: TrainingStep;
  readonly loader: ReturnType<typeof imageLoader>;
}

/** One epoch's mini-batches done: d2l's Accumulator read back, and the time spent in the steps. */
interface EpochTrained {
  readonly reading: MetricsReading;
  readonly steps: number;
  readonly trainSeconds: number;
}

/** Why an epoch stopped early. */
type EpochStopped = Omit<TrainingInterrupted, 'history'> | Omit<TrainingDiverged, 'history'>;

/** The epochs of {@link train}, from the first not in the run's history to `options.epochs`. */
async function trainEpochs(
  options: TrainOptions,
  run: RunStore,
  settings: RunSettings,
  model: nn.Sequential,
  optimizer: optim.SGD,
): Promise<TrainingOutcome> {
  const loader = imageLoader(options.data.train, {
    batchSize: settings.batchSize,
    shuffle: true,
    seed: settings.seed,
    limit: settings.trainExamples,
  });
  const context: EpochContext = {
    options,
    settings,
    model,
    trainingStep: new TrainingStep(model, optimizer, options.stepMode ?? 'eager'),
    loader,
  };
  const firstEpoch = run.history.length + 1;
  options.events?.onStart?.({
    firstEpoch,
    epochs: options.epochs,
    stepsPerEpoch: loader.numBatches,
    parameters: summary(model, [1, ...getModelSpec(settings.model).exampleShape]).totalParameters,
    resumed: run.resumed !== null,
    paths: run.paths,
  });
  for (let epoch = firstEpoch; epoch <= options.epochs; epoch++) {
    const epochStarted = performance.now();
    const trained = await trainEpoch(context, epoch);
    if ('status' in trained) return { ...trained, history: [...run.history] };
    options.events?.onEvaluationStart?.(epoch, settings.testExamples);
    const testAcc = await testAccuracy(context);
    if (testAcc === null) return { status: 'interrupted', history: [...run.history], epoch, step: trained.steps, duringEvaluation: true };
    const { reading, steps, trainSeconds } = trained;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: reading.trainLoss,
      trainAcc: reading.trainAcc,
      testAcc,
      examplesPerSec: reading.examples / trainSeconds,
      trainSeconds,
      epochSeconds: (performance.now() - epochStarted) / 1000,
      examples: reading.examples,
      steps,
    };
    await run.save(metrics);
    options.events?.onEpoch?.(metrics);
  }
  return { status: 'completed', history: [...run.history] };
}

/**
 * The mini-batches of one epoch: a step each (inside `tidy`), the loss and accuracy summed on the
 * device and read back only for a report — at most every `progressIntervalMs`, and after the last
 * step. Stops before a step when the signal is aborted, and at a read whose loss is not finite.
 */
async function trainEpoch(context: EpochContext, epoch: number): Promise<EpochTrained | EpochStopped> {
  const { options, settings, trainingStep, loader } = context;
  const progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const running = new RunningMetrics();
  let reading: MetricsReading | null = null;
  let trainMilliseconds = 0;
  let lastRead = performance.now();
  let step = 0;
  try {
    options.events?.onEpochStart?.(epoch, loader.numBatches);
    for (const batch of loader.batches(epoch - 1)) {
      await yieldToEventLoop();
      if (options.signal?.aborted) return { status: 'interrupted', epoch, step };
      const stepStarted = performance.now();
      const sums = tidy(() => trainingStep.run(tensor(batch.images, batch.shape), tensor(batch.labels, [batch.size]), running.device));
      running.add(sums, batch.size);
      step++;
      if (step === loader.numBatches || performance.now() - lastRead >= progressIntervalMs) {
        reading = await running.read();
        lastRead = performance.now();
        if (!Number.isFinite(reading.recentLoss)) return { status: 'diverged', epoch, step, loss: reading.recentLoss, lr: settings.lr };
        options.events?.onStep?.({
          epoch,
          step,
          steps: loader.numBatches,
          loss: reading.recentLoss,
          trainLoss: reading.trainLoss,
          trainAcc: reading.trainAcc,
        });
      }
      trainMilliseconds += performance.now() - stepStarted;
    }
  } finally {
    running.dispose();
  }
  if (reading === null) throw new Error(`epoch ${epoch} had no training step`);
  return { reading, steps: step, trainSeconds: trainMilliseconds / 1000 };
}

/** The test accuracy after an epoch (d2l's `evaluate_accuracy_gpu`), or null when the signal stopped it. */
async function testAccuracy(context: EpochContext): Promise<number | null> {
  const { options, settings, model } = context;
  try {
    const { accuracy } = await predict(model, options.data.test, {
      batchSize: settings.batchSize,
      limit: settings.testExamples,
      signal: options.signal,
    });
    return accuracy;
  } catch (error) {
    if (error instanceof EvaluationInterruptedError) return null;
    throw error;
  }
}
