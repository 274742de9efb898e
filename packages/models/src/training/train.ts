/**
 * The training loop: d2l's `train_ch6` (section 7.6), with checkpoints, resume and a stop on
 * divergence.
 * @module
 */
import { existsSync } from 'node:fs';
import { getBackend, optim, Rng, tensor, tidy, type nn } from '@lenet/core';
import type { ImageClassificationData } from '../data/image-classification-data.js';
import { EvaluationInterruptedError, predict } from '../evaluation/predict.js';
import { describeSystemError, FileSystemError } from '../io/file-system-error.js';
import { OutputRefusedError } from '../io/output-file.js';
import { getModelSpec } from '../models/registry.js';
import { summary } from '../summary/summary.js';
import { readCheckpoint, writeCheckpoint, type CheckpointInfo, type RunSettings } from './checkpoint.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { imageLoader } from './image-batches.js';
import { initWeights } from './init-weights.js';
import { readOptimizerState, removeOtherOptimizerStates, writeOptimizerState } from './optimizer-state.js';
import { openRunDirectory, RunDirectoryBusyError, writeRunRecords, type RunDirectory, type RunPaths } from './run-directory.js';
import type { TrainingOutcome } from './training-outcome.js';
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
  /** Model, seed, batch size, lr, momentum, data set and example counts. */
  readonly settings: RunSettings;
  /** Train until this many epochs are completed (counting those of a resumed checkpoint). */
  readonly epochs: number;
  /** The loaded data set (only the first `settings.trainExamples` / `testExamples` are used). */
  readonly data: ImageClassificationData;
  /** The run directory: checkpoint, metrics.jsonl, curves.svg. */
  readonly outDir: string;
  /**
   * `outDir` already opened (locked, checked writable) by the caller, who also releases it; when
   * absent, `train` opens it itself and releases it at the end.
   */
  readonly runDirectory?: RunDirectory;
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
  if (saved.dataChecksum !== undefined && asked.dataChecksum !== undefined && saved.dataChecksum !== asked.dataChecksum) {
    differences.push(`data: the ${asked.trainExamples} training and ${asked.testExamples} test examples differ from those the checkpoint was trained on (SHA-256 ${saved.dataChecksum.slice(0, 12)}…, now ${asked.dataChecksum.slice(0, 12)}…; another --data-dir?)`);
  }
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
 * there), and only then are the other optimiser files deleted. Nothing is written unless this
 * process still holds the run directory's lock.
 * @throws FileSystemError when a write fails (a full disk), saying which epoch is kept and how to go on.
 */
async function saveCheckpoint(run: RunDirectory, state: RunState, settings: RunSettings, totalEpochs: number): Promise<void> {
  const { paths } = run;
  const info: CheckpointInfo = { settings, epoch: state.history.length, history: state.history, backend: getBackend().name };
  run.assertOwned();
  let savedEpoch = info.epoch - 1;
  try {
    if (settings.momentum > 0) await writeOptimizerState(paths.optimizer(info.epoch), state.optimizer, state.model, info.epoch);
    writeCheckpoint(paths.checkpoint, await state.model.stateDict(), info);
    savedEpoch = info.epoch;
    removeOtherOptimizerStates(paths.dir, settings.momentum > 0 ? info.epoch : null);
    writeRunRecords(paths, state.history, totalEpochs);
  } catch (error) {
    if (error instanceof RunDirectoryBusyError || !(error instanceof Error)) throw error;
    throw saveFailure(paths, info.epoch, savedEpoch, error);
  }
}

/** "cannot save epoch 3 in runs/a: no space left… Epoch 2 is saved in …; free space and run with …" */
function saveFailure(paths: RunPaths, epoch: number, savedEpoch: number, error: Error): FileSystemError {
  const fresh = savedEpoch < 0;
  const problem = error instanceof OutputRefusedError ? `${error.path}: ${error.message}` : describeSystemError(error);
  return new FileSystemError({
    path: paths.dir,
    action: `cannot save epoch ${epoch} in`,
    problem,
    kept: fresh ? 'nothing was saved yet' : `epoch ${savedEpoch} is saved in ${paths.checkpoint}`,
    advice: fresh
      ? `free space (or fix the permissions) and run the command again`
      : `free space (or fix the permissions) and run with --out ${paths.dir} --resume`,
  });
}

async function restoreRun(options: TrainOptions, run: RunDirectory, state: RunState): Promise<RunState> {
  const { settings } = options;
  const { paths } = run;
  if (!options.resume) {
    if (existsSync(paths.checkpoint)) {
      throw new TrainingSetupError(`${paths.dir} already holds a run (${paths.checkpoint}); pass --resume to continue it, or choose another --out`);
    }
    await saveCheckpoint(run, state, settings, options.epochs); // epoch 0: the last good weights if epoch 1 diverges
    return state;
  }
  if (!existsSync(paths.checkpoint)) {
    throw new TrainingSetupError(`nothing to resume: ${paths.checkpoint} does not exist; run without --resume to start`);
  }
  const checkpoint = readCheckpoint(paths.checkpoint);
  checkResumable(checkpoint.info.settings, settings, paths.checkpoint);
  state.model.loadStateDict(checkpoint.tensors, paths.checkpoint);
  if (settings.momentum > 0) readOptimizerState(paths.optimizer(checkpoint.info.epoch), state.optimizer, state.model, checkpoint.info.epoch);
  return { ...state, history: [...checkpoint.info.history] };
}

/** A fresh model (seeded, Xavier-initialised) and optimiser, or those of the checkpoint to resume. */
async function startRun(options: TrainOptions, run: RunDirectory): Promise<RunState> {
  const model = buildModel(options.settings);
  const optimizer = new optim.SGD(model.parameters(), { lr: options.settings.lr, momentum: options.settings.momentum });
  try {
    return await restoreRun(options, run, { model, optimizer, history: [] });
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
 * The run directory is opened first (`openRunDirectory`: made, locked against a second process,
 * checked writable, temporary files of killed runs swept), unless the caller opened it.
 *
 * The backend is the current one (`setBackend`).
 * @throws TrainingSetupError, CheckpointError or nn.StateDictMismatchError when the run cannot start or
 *   resume; RunDirectoryBusyError when another process trains in `outDir`; FileSystemError when the
 *   directory cannot be made or a checkpoint cannot be written.
 */
export async function train(options: TrainOptions): Promise<TrainingOutcome> {
  const { settings, data } = options;
  if (!Number.isInteger(options.epochs) || options.epochs < 1) {
    throw new TrainingSetupError(`epochs must be a positive integer, got ${options.epochs}`);
  }
  const run = options.runDirectory ?? openRunDirectory(options.outDir);
  const releaseHere = options.runDirectory === undefined ? run.release : () => undefined;
  const { paths } = run;
  let state: RunState;
  try {
    state = await startRun(options, run);
  } catch (error) {
    releaseHere();
    throw error;
  }
  const { model, optimizer, history } = state;
  const trainingStep = new TrainingStep(model, optimizer, options.stepMode ?? 'eager');
  const progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
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
      const running = new RunningMetrics();
      let reading: MetricsReading | null = null;
      let trainMilliseconds = 0;
      let lastRead = performance.now();
      let step = 0;
      try {
        options.events?.onEpochStart?.(epoch, loader.numBatches);
        for (const batch of loader.batches(epoch - 1)) {
          await yieldToEventLoop();
          if (options.signal?.aborted) return { status: 'interrupted', history, epoch, step };
          const stepStarted = performance.now();
          const sums = tidy(() => trainingStep.run(tensor(batch.images, batch.shape), tensor(batch.labels, [batch.size]), running.device));
          running.add(sums, batch.size);
          step++;
          // Read the running sums back (which waits for the queued steps) only for a report: at
          // most every progressIntervalMs, and after the epoch's last step.
          if (step === loader.numBatches || performance.now() - lastRead >= progressIntervalMs) {
            reading = await running.read();
            lastRead = performance.now();
            if (!Number.isFinite(reading.recentLoss)) {
              return { status: 'diverged', history, epoch, step, loss: reading.recentLoss, lr: settings.lr };
            }
            options.events?.onStep?.({ epoch, step, steps: loader.numBatches, loss: reading.recentLoss, trainLoss: reading.trainLoss, trainAcc: reading.trainAcc });
          }
          trainMilliseconds += performance.now() - stepStarted;
        }
      } finally {
        running.dispose();
      }
      if (reading === null) throw new Error(`epoch ${epoch} had no training step`);
      const examples = reading.examples;
      let testAcc: number;
      options.events?.onEvaluationStart?.(epoch, settings.testExamples);
      try {
        ({ accuracy: testAcc } = await predict(model, data.test, { batchSize: settings.batchSize, limit: settings.testExamples, signal: options.signal }));
      } catch (error) {
        if (error instanceof EvaluationInterruptedError) return { status: 'interrupted', history, epoch, step, duringEvaluation: true };
        throw error;
      }
      const trainSeconds = trainMilliseconds / 1000;
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: reading.trainLoss,
        trainAcc: reading.trainAcc,
        testAcc,
        examplesPerSec: examples / trainSeconds,
        trainSeconds,
        epochSeconds: (performance.now() - epochStarted) / 1000,
        examples,
        steps: step,
      };
      history.push(metrics);
      await saveCheckpoint(run, state, settings, options.epochs);
      options.events?.onEpoch?.(metrics);
    }
    return { status: 'completed', history };
  } finally {
    optimizer.dispose();
    model.dispose();
    releaseHere();
  }
}
