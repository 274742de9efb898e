/**
 * The training loop, d2l's `train_ch6` (section 7.6) and nothing more, as an async generator of
 * reports. It needs neither Node nor the DOM, so every caller runs this one loop: the `train`
 * command (`train()` adds the run store: checkpoints, resume, the stop on divergence, the CLI's
 * output) and the Playground (pause, resume and the last good weights), in a page or a worker.
 * @module
 */
import { tensor, tidy, type nn, type optim } from '@lenet/core';
import { imageLoader, type ImageBatch } from '../data/image-batches.js';
import type { ImageClassificationData } from '../data/image-classification-data.js';
import { EvaluationInterruptedError, predict } from '../evaluation/predict.js';
import type { RunSettings } from './checkpoint-metadata.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { RunningMetrics, type MetricsReading } from './running-metrics.js';
import { TrainingStep, type StepMode } from './training-step.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** How often, at most, the loop reads the running metrics back by default (each read waits for the device). */
export const DEFAULT_PROGRESS_INTERVAL_MS = 250;

/** What {@link trainingLoop} needs. */
export interface TrainingLoopOptions {
  /** The network, already initialised (`initialModel`) or loaded from a checkpoint. */
  readonly model: nn.Sequential;
  /** Its optimiser; the hook before each step may change its learning rate. */
  readonly optimizer: optim.SGD;
  /** The data set (only the first `settings.trainExamples` / `testExamples` of each split are used). */
  readonly data: Pick<ImageClassificationData, 'train' | 'test'>;
  /** The seed orders the batches of every epoch; the batch size and example counts. */
  readonly settings: Pick<RunSettings, 'seed' | 'batchSize' | 'trainExamples' | 'testExamples'>;
  /** The last epoch to train (1-based). */
  readonly epochs: number;
  /** The first epoch to train; default 1 (a resumed run starts one past its checkpoint). */
  readonly firstEpoch?: number;
  /** `eager` (default) or `compiled`; see `TrainingStep`. */
  readonly stepMode?: StepMode;
  /** The least time between two step reports (the last step of an epoch always reports); default 250 ms, 0 for every step. */
  readonly progressIntervalMs?: number;
  /** Runs before each step, after the event loop has had a turn: to pause, to change the learning rate, to keep the weights. */
  readonly beforeStep?: (at: { readonly epoch: number; readonly step: number }) => void | Promise<void>;
  /** Once aborted, the loop stops before the next step or evaluation batch (an `interrupted` report). */
  readonly signal?: AbortSignal;
}

/** The first report: what will be trained. */
export interface StartReport {
  /** `start` */
  readonly kind: 'start';
  /** The first epoch to train (1-based). */
  readonly firstEpoch: number;
  /** The last epoch to train. */
  readonly epochs: number;
  /** Mini-batches per epoch. */
  readonly stepsPerEpoch: number;
}

/** Before the first step of an epoch. */
export interface EpochStartReport {
  /** `epochStart` */
  readonly kind: 'epochStart';
  /** 1-based epoch. */
  readonly epoch: number;
  /** Steps in the epoch. */
  readonly steps: number;
}

/** After a step whose metrics were read back, with the running averages of the epoch so far. */
export interface StepReport {
  /** `step` */
  readonly kind: 'step';
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
  /** Training examples per second over the epoch's steps so far. */
  readonly examplesPerSec: number;
}

/** After the last step of an epoch, before the test examples are evaluated. */
export interface EvaluationReport {
  /** `evaluation` */
  readonly kind: 'evaluation';
  /** 1-based epoch. */
  readonly epoch: number;
  /** Test examples to evaluate. */
  readonly examples: number;
}

/** After an epoch: its figures, test accuracy included. */
export interface EpochReport {
  /** `epoch` */
  readonly kind: 'epoch';
  /** The epoch's figures (a line of `metrics.jsonl`). */
  readonly metrics: EpochMetrics;
}

/** The last report of a loop stopped by its signal. */
export interface InterruptedReport {
  /** `interrupted` */
  readonly kind: 'interrupted';
  /** The 1-based epoch that was running. */
  readonly epoch: number;
  /** The steps of that epoch that were done. */
  readonly step: number;
  /** True when the stop came during the end-of-epoch evaluation. */
  readonly duringEvaluation: boolean;
}

/** The last report of a loop whose loss became NaN or ±∞ (the weights diverged). */
export interface DivergedReport {
  /** `diverged` */
  readonly kind: 'diverged';
  /** The 1-based epoch in which it happened. */
  readonly epoch: number;
  /** The 1-based step of that epoch whose loss was read back not finite. */
  readonly step: number;
  /** The loss value (NaN, Infinity or −Infinity). */
  readonly loss: number;
}

/** What {@link trainingLoop} yields. A loop that stops early says why in its last report. */
export type TrainingReport =
  | StartReport
  | EpochStartReport
  | StepReport
  | EvaluationReport
  | EpochReport
  | InterruptedReport
  | DivergedReport;

/**
 * Trains `options.model` as d2l's `train_ch6` does, reporting as it goes:
 *
 * ```text
 * for each epoch:
 *   for each shuffled mini-batch (X, y):              # order: a function of (seed, epoch) only
 *     ŷ = net(X);  l = crossEntropy(ŷ, y);  l.backward();  optimizer step
 *     accumulate l·n, correct, n                      # d2l's Accumulator(3), summed on the device
 *   train loss = Σ l·n / Σ n,  train acc = Σ correct / Σ n,  test acc = accuracy on the test split
 *   examples/sec = Σ n / (time spent in the steps)   # evaluation not counted
 * ```
 *
 * Each step runs inside `tidy`, so the device holds the same buffers after every step. The
 * running sums are read back (which waits for the device) only for a step report: at most every
 * `progressIntervalMs`, and after the last step of an epoch. A read whose loss is not finite ends
 * the loop with a `diverged` report; an aborted signal, with an `interrupted` one. Pausing is the
 * caller's: the loop waits for `beforeStep`, and runs no step while it is not asked for the next report.
 * @example
 * for await (const report of trainingLoop({ model, optimizer, data, settings, epochs: 10 }))
 *   if (report.kind === 'epoch') console.log(formatEpochLine(report.metrics, 10));
 */
export async function* trainingLoop(options: TrainingLoopOptions): AsyncGenerator<TrainingReport, void> {
  const { settings, epochs } = options;
  const firstEpoch = options.firstEpoch ?? 1;
  const loader = imageLoader(options.data.train, {
    batchSize: settings.batchSize,
    shuffle: true,
    seed: settings.seed,
    limit: settings.trainExamples,
  });
  const trainingStep = new TrainingStep(options.model, options.optimizer, options.stepMode ?? 'eager');
  yield { kind: 'start', firstEpoch, epochs, stepsPerEpoch: loader.numBatches };
  for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
    const epochStarted = performance.now();
    yield { kind: 'epochStart', epoch, steps: loader.numBatches };
    const trained = yield* trainEpoch(options, trainingStep, loader.batches(epoch - 1), epoch, loader.numBatches);
    if (trained === null) return; // stopped: the last report says why
    yield { kind: 'evaluation', epoch, examples: settings.testExamples };
    const testAcc = await testAccuracy(options);
    if (testAcc === null) {
      yield { kind: 'interrupted', epoch, step: trained.steps, duringEvaluation: true };
      return;
    }
    const { reading, steps, trainSeconds } = trained;
    const epochSeconds = (performance.now() - epochStarted) / 1000;
    const { trainLoss, trainAcc, examples } = reading;
    yield {
      kind: 'epoch',
      metrics: {
        epoch,
        trainLoss,
        trainAcc,
        testAcc,
        examplesPerSec: examples / trainSeconds,
        trainSeconds,
        epochSeconds,
        examples,
        steps,
      },
    };
  }
}

/** One epoch's mini-batches done: d2l's Accumulator read back, and the time spent in the steps. */
interface EpochTrained {
  readonly reading: MetricsReading;
  readonly steps: number;
  readonly trainSeconds: number;
}

/** The steps of one epoch; returns null when a `diverged` or `interrupted` report ended it. */
async function* trainEpoch(
  options: TrainingLoopOptions,
  trainingStep: TrainingStep,
  batches: Iterable<ImageBatch>,
  epoch: number,
  steps: number,
): AsyncGenerator<TrainingReport, EpochTrained | null> {
  const progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const running = new RunningMetrics();
  let reading: MetricsReading | null = null;
  let trainMilliseconds = 0;
  let lastRead = performance.now();
  let step = 0;
  try {
    for (const batch of batches) {
      await yieldToEventLoop();
      await options.beforeStep?.({ epoch, step: step + 1 });
      if (options.signal?.aborted) {
        yield { kind: 'interrupted', epoch, step, duringEvaluation: false };
        return null;
      }
      const stepStarted = performance.now();
      const sums = tidy(() => trainingStep.run(tensor(batch.images, batch.shape), tensor(batch.labels, [batch.size]), running.device));
      running.add(sums, batch.size);
      step++;
      if (step < steps && performance.now() - lastRead < progressIntervalMs) {
        trainMilliseconds += performance.now() - stepStarted;
        continue;
      }
      reading = await running.read();
      lastRead = performance.now();
      trainMilliseconds += lastRead - stepStarted;
      if (!Number.isFinite(reading.recentLoss)) {
        yield { kind: 'diverged', epoch, step, loss: reading.recentLoss };
        return null;
      }
      const { recentLoss: loss, trainLoss, trainAcc, examples } = reading;
      yield { kind: 'step', epoch, step, steps, loss, trainLoss, trainAcc, examplesPerSec: examples / (trainMilliseconds / 1000) };
    }
  } finally {
    running.dispose();
  }
  if (reading === null) throw new Error(`epoch ${epoch} had no training step`);
  return { reading, steps: step, trainSeconds: trainMilliseconds / 1000 };
}

/** The test accuracy after an epoch (d2l's `evaluate_accuracy_gpu`), or null when the signal stopped it. */
async function testAccuracy(options: TrainingLoopOptions): Promise<number | null> {
  const { batchSize, testExamples } = options.settings;
  try {
    return (await predict(options.model, options.data.test, { batchSize, limit: testExamples, signal: options.signal })).accuracy;
  } catch (error) {
    if (error instanceof EvaluationInterruptedError) return null;
    throw error;
  }
}
