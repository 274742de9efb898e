/**
 * `train()`: the training loop (`trainingLoop`, d2l's `train_ch6`) with a run directory around it:
 * checkpoints, resume, the stop on divergence and interrupts, and the events the CLI prints.
 * @module
 */
import { optim } from '@lenet/core';
import type { ImageClassificationData } from '../data/image-classification-data.js';
import { getModelSpec } from '../models/registry.js';
import { summary } from '../summary/summary.js';
import type { RunSettings } from './checkpoint-metadata.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { initialModel } from './initial-model.js';
import type { RunPaths } from './run-directory.js';
import { openRun, TrainingSetupError, type RunRequest, type RunStore } from './run-store.js';
import { trainingLoop, type StepReport, type TrainingLoopOptions } from './training-loop.js';
import type { TrainingOutcome } from './training-outcome.js';
import type { StepMode } from './training-step.js';

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

/**
 * Trains a model as d2l's `train_ch6` does, with {@link trainingLoop}: a fresh network from the seed
 * (`initialModel`: PyTorch's default layers, then Xavier-uniform weights), SGD, and for each epoch the
 * shuffled mini-batches, the running loss and accuracy, and the test accuracy
 * (examples/sec counts the time spent in the steps: not evaluation, not saving).
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
    const model = initialModel(settings);
    const optimizer = new optim.SGD(model.parameters(), { lr: settings.lr, momentum: settings.momentum });
    try {
      await run.start({ settings, model, optimizer, epochs });
      return await trainEpochs(options, run, settings, {
        model,
        optimizer,
        data: options.data,
        settings,
        epochs,
        firstEpoch: run.history.length + 1,
        stepMode: options.stepMode,
        progressIntervalMs: options.progressIntervalMs,
        signal: options.signal,
      });
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  } finally {
    if (options.run === undefined) run.release();
  }
}

/**
 * The epochs of {@link train}, from the first not in the run's history to `options.epochs`: the
 * training loop's reports passed on to the events, and each epoch saved by the run store.
 */
async function trainEpochs(
  options: TrainOptions,
  run: RunStore,
  settings: RunSettings,
  loop: TrainingLoopOptions,
): Promise<TrainingOutcome> {
  const { events } = options;
  for await (const report of trainingLoop(loop)) {
    switch (report.kind) {
      case 'start':
        events?.onStart?.({
          firstEpoch: report.firstEpoch,
          epochs: report.epochs,
          stepsPerEpoch: report.stepsPerEpoch,
          parameters: summary(loop.model, [1, ...getModelSpec(settings.model).exampleShape]).totalParameters,
          resumed: run.resumed !== null,
          paths: run.paths,
        });
        break;
      case 'epochStart':
        events?.onEpochStart?.(report.epoch, report.steps);
        break;
      case 'step':
        events?.onStep?.(report);
        break;
      case 'evaluation':
        events?.onEvaluationStart?.(report.epoch, report.examples);
        break;
      case 'epoch':
        await run.save(report.metrics);
        events?.onEpoch?.(report.metrics);
        break;
      case 'interrupted': {
        const { epoch, step, duringEvaluation } = report;
        return { status: 'interrupted', history: [...run.history], epoch, step, ...(duringEvaluation ? { duringEvaluation } : {}) };
      }
      case 'diverged':
        return {
          status: 'diverged',
          history: [...run.history],
          epoch: report.epoch,
          step: report.step,
          loss: report.loss,
          lr: settings.lr,
        };
    }
  }
  return { status: 'completed', history: [...run.history] };
}
