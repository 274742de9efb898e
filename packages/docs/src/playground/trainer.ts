/**
 * Training in the page: `@lenet/models`'s training loop (the one the `train` command runs), with
 * what a page adds around it: pause, resume and stop between steps, a report after every step, and,
 * when the loss becomes NaN, the last good weights.
 * @module
 */
import { affine, dispose, nn, noGrad, optim, setBackend, type Tensor } from '@lenet/core';
import {
  initialModel,
  trainingLoop,
  type EpochMetrics,
  type ImageClassificationSplit,
  type ModelName,
  type RunSettings,
  type StepMode,
  type TensorData,
  type TrainingReport,
} from '@lenet/models/browser';
import type { OpenBackend } from './backends.js';

/** What the reader sets before Start. */
export interface TrainSettings {
  readonly model: ModelName;
  readonly lr: number;
  /** SGD's momentum μ (0: plain SGD). */
  readonly momentum: number;
  readonly batchSize: number;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly epochs: number;
  readonly seed: number;
  readonly stepMode: StepMode;
}

/** One point of the live curves. */
export interface StepPoint {
  /** Steps done so far (1-based). */
  readonly step: number;
  readonly epoch: number;
  /** This step's mean loss. */
  readonly loss: number;
  /** Running mean loss and accuracy of this epoch so far. */
  readonly trainLoss: number;
  readonly trainAcc: number;
  /** Training examples per second, over this epoch's steps. */
  readonly examplesPerSec: number;
  /** The learning rate and momentum this step ran with (changed during a run by {@link Trainer.setHyperparameters}). */
  readonly lr: number;
  readonly momentum: number;
}

/** Which step is about to run: the 1-based epoch and step within it. */
export interface StepPosition {
  readonly epoch: number;
  readonly step: number;
}

/** How a run ended, or that it is still going. */
export type TrainerState = 'idle' | 'running' | 'paused' | 'done' | 'diverged' | 'failed';

/** What the trainer tells the page. */
export interface TrainerEvents {
  onStep(point: StepPoint): void | Promise<void>;
  onEpoch(metrics: EpochMetrics): void;
  onState(state: TrainerState, detail: string): void;
  /** Before a step, with the weights it starts from (the views of the network look inside here). */
  beforeStep?(at: StepPosition, model: nn.Sequential, optimizer: optim.SGD): void | Promise<void>;
}

/** One training run: a model, its optimiser and the step, on one backend. */
export class Trainer {
  readonly model: nn.Sequential;
  readonly history: EpochMetrics[] = [];
  #state: TrainerState = 'idle';
  #resume: (() => void) | null = null;
  #pauseRequested = false;
  readonly #stop = new AbortController();
  #lastGood: Map<string, TensorData> | null = null;
  #steps = 0;
  /** The weights before the step now running, and those before the last step whose loss was finite, kept on the device until needed. */
  #weightsBeforeStep: Array<[string, Tensor]> | null = null;
  #goodWeights: Array<[string, Tensor]> | null = null;
  /** Steps still allowed before the run pauses by itself (One step), or null: no limit. */
  #stepsBeforePause: number | null = null;
  /** A learning rate and momentum to use from the next step on. */
  #pendingHyperparameters: { lr: number; momentum: number } | null = null;
  #hyperparameters: { lr: number; momentum: number };

  constructor(
    readonly settings: TrainSettings,
    readonly open: OpenBackend,
    readonly data: { train: ImageClassificationSplit; test: ImageClassificationSplit },
    readonly events: TrainerEvents,
  ) {
    setBackend(open.backend);
    this.model = initialModel(settings);
    this.#hyperparameters = { lr: settings.lr, momentum: settings.momentum };
  }

  /** The learning rate and momentum of the next step. */
  get hyperparameters(): { readonly lr: number; readonly momentum: number } {
    return this.#pendingHyperparameters ?? this.#hyperparameters;
  }

  /** Changes the learning rate and momentum from the next step on (the running step keeps its own). */
  setHyperparameters(lr: number, momentum: number): void {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`the learning rate must be a positive number, got ${lr}`);
    if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`the momentum must be in [0, 1), got ${momentum}`);
    this.#pendingHyperparameters = { lr, momentum };
  }

  /** Runs exactly one more step, then pauses: from a paused run, or as the first step of a run not yet started. */
  stepOnce(): void {
    this.#stepsBeforePause = 1;
    this.resume();
  }

  get state(): TrainerState {
    return this.#state;
  }

  get steps(): number {
    return this.#steps;
  }

  /**
   * The latest weights whose loss was finite (those before the last reported step), read back once
   * the run has diverged; null before that.
   */
  get lastGoodWeights(): Map<string, TensorData> | null {
    return this.#lastGood;
  }

  /** Copies of the model's state tensors on the device: a snapshot that costs kernels, not a read-back. */
  #snapshot(): Array<[string, Tensor]> {
    return noGrad(() => this.model.namedStateTensors().map(([name, value]): [string, Tensor] => [name, affine(value, 1, 0)]));
  }

  /** The settings as a checkpoint records them. */
  runSettings(): RunSettings {
    const { model, seed, batchSize, trainExamples, testExamples } = this.settings;
    const { lr, momentum } = this.#hyperparameters;
    return { model, seed, batchSize, lr, momentum, dataset: 'fashion-mnist', trainExamples, testExamples };
  }

  #setState(state: TrainerState, detail: string): void {
    this.#state = state;
    this.events.onState(state, detail);
  }

  pause(): void {
    if (this.#state === 'running') this.#pauseRequested = true;
    this.#stepsBeforePause = null;
  }

  resume(): void {
    if (this.#state !== 'paused' || this.#resume === null) return;
    const go = this.#resume;
    this.#resume = null;
    this.#setState('running', 'resumed');
    go();
  }

  /** Stops after the current step; the run cannot continue. */
  stop(): void {
    this.#stop.abort();
    this.resume();
  }

  /** Runs every epoch; resolves when done, stopped, diverged or failed. */
  async run(): Promise<void> {
    const { settings } = this;
    setBackend(this.open.backend);
    const optimizer = new optim.SGD(this.model.parameters(), { lr: settings.lr, momentum: settings.momentum });
    try {
      const loop = trainingLoop({
        model: this.model,
        optimizer,
        data: this.data,
        settings,
        epochs: settings.epochs,
        stepMode: settings.stepMode,
        progressIntervalMs: 0, // a point on the curves after every step
        beforeStep: (at) => this.#beforeStep(at, optimizer),
        signal: this.#stop.signal,
      });
      for await (const report of loop) await this.#show(report);
      const { epochs } = settings;
      // a loop that ends without a diverged or interrupted report has trained every epoch
      if (this.#state === 'running') this.#setState('done', `${this.#steps} steps in ${epochs} epoch${epochs === 1 ? '' : 's'}`);
    } catch (error) {
      this.#setState('failed', error instanceof Error ? error.message : String(error));
    } finally {
      for (const kept of [this.#weightsBeforeStep, this.#goodWeights]) if (kept !== null) dispose(...kept.map(([, value]) => value));
      optimizer.dispose();
    }
  }

  /**
   * Before each step: the browser's turn has been given by the loop; waits while paused (or once
   * One step's step is done), sets a changed learning rate and momentum, lets the page look inside,
   * then keeps the weights the step starts from.
   */
  async #beforeStep(at: StepPosition, optimizer: optim.SGD): Promise<void> {
    if (this.#stepsBeforePause === 0) this.#pauseRequested = true;
    if (this.#pauseRequested) {
      this.#pauseRequested = false;
      this.#stepsBeforePause = this.#stepsBeforePause === 0 ? null : this.#stepsBeforePause;
      this.#setState('paused', `paused after step ${this.#steps}`);
      await new Promise<void>((resolve) => (this.#resume = resolve));
    }
    if (this.#stop.signal.aborted) return;
    if (this.#stepsBeforePause !== null) this.#stepsBeforePause--;
    if (this.#pendingHyperparameters !== null) {
      this.#hyperparameters = this.#pendingHyperparameters;
      this.#pendingHyperparameters = null;
      optimizer.lr = this.#hyperparameters.lr;
      optimizer.momentum = this.#hyperparameters.momentum;
    }
    await this.events.beforeStep?.(at, this.model, optimizer);
    this.#weightsBeforeStep = this.#snapshot();
  }

  /** Passes a report of the loop on to the page. */
  async #show(report: TrainingReport): Promise<void> {
    switch (report.kind) {
      case 'start':
        this.#setState('running', `${report.stepsPerEpoch} steps per epoch`);
        return;
      case 'step': {
        this.#steps++;
        // This step's loss was computed on the weights it started from: finite, they are good weights.
        if (this.#goodWeights !== null) dispose(...this.#goodWeights.map(([, value]) => value));
        this.#goodWeights = this.#weightsBeforeStep;
        this.#weightsBeforeStep = null;
        const { epoch, loss, trainLoss, trainAcc, examplesPerSec } = report;
        const { lr, momentum } = this.#hyperparameters;
        await this.events.onStep({ step: this.#steps, epoch, loss, trainLoss, trainAcc, examplesPerSec, lr, momentum });
        return;
      }
      case 'epoch':
        this.history.push(report.metrics);
        this.events.onEpoch(report.metrics);
        return;
      case 'diverged':
        // The last good weights are those whose loss the previous step reported.
        this.#steps++;
        if (this.#goodWeights !== null) this.#lastGood = await nn.readStateDict(this.#goodWeights);
        this.#setState('diverged', `the loss of step ${this.#steps} is ${report.loss}`);
        return;
      case 'interrupted':
        this.#setState('done', `stopped after step ${this.#steps}`);
        return;
      case 'epochStart':
      case 'evaluation':
        return;
    }
  }
}
