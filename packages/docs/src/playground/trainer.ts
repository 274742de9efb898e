/**
 * Training in the page: d2l's `train_ch6` step by step (the same `TrainingStep` the `train` command
 * runs), yielding to the browser between steps so the tab stays responsive, with pause, resume and
 * reset, a report after every step, the held-out accuracy after every epoch, and a stop on a NaN
 * loss that keeps the last good weights.
 * @module
 */
import { affine, dispose, nn, noGrad, optim, Rng, setBackend, type Tensor, tensor, tidy } from '@lenet/core';
import {
  getModelSpec,
  imageLoader,
  initWeights,
  predict,
  RunningMetrics,
  TrainingStep,
  type EpochMetrics,
  type ImageClassificationSplit,
  type ModelName,
  type RunSettings,
  type StepMode,
  type TensorData,
} from '@lenet/models/browser';
import type { OpenBackend } from './backends.js';

/** What the reader sets before Start. */
export interface TrainSettings {
  readonly model: ModelName;
  readonly lr: number;
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
}

/** How a run ended, or that it is still going. */
export type TrainerState = 'idle' | 'running' | 'paused' | 'done' | 'diverged' | 'failed';

/** What the trainer tells the page. */
export interface TrainerEvents {
  onStep(point: StepPoint): void | Promise<void>;
  onEpoch(metrics: EpochMetrics): void;
  onState(state: TrainerState, detail: string): void;
}

/** Builds the model as the `train` command does: layers from `seed`, then Xavier-uniform. */
export function buildModel(settings: Pick<TrainSettings, 'model' | 'seed'>): nn.Sequential {
  const rng = new Rng(settings.seed);
  const model = getModelSpec(settings.model).build(rng.derive('layers'));
  initWeights(model, rng.derive('xavier'));
  return model;
}

const nextFrame = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** One training run: a model, its optimiser and the step, on one backend. */
export class Trainer {
  readonly model: nn.Sequential;
  readonly history: EpochMetrics[] = [];
  #state: TrainerState = 'idle';
  #resume: (() => void) | null = null;
  #pauseRequested = false;
  #stopRequested = false;
  #lastGood: Map<string, TensorData> | null = null;
  #steps = 0;

  constructor(
    readonly settings: TrainSettings,
    readonly open: OpenBackend,
    readonly data: { train: ImageClassificationSplit; test: ImageClassificationSplit },
    readonly events: TrainerEvents,
  ) {
    setBackend(open.backend);
    this.model = buildModel(settings);
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
    const { model, seed, batchSize, lr, trainExamples, testExamples } = this.settings;
    return { model, seed, batchSize, lr, momentum: 0, dataset: 'fashion-mnist', trainExamples, testExamples };
  }

  #setState(state: TrainerState, detail: string): void {
    this.#state = state;
    this.events.onState(state, detail);
  }

  pause(): void {
    if (this.#state === 'running') this.#pauseRequested = true;
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
    this.#stopRequested = true;
    this.resume();
  }

  /** Runs every epoch; resolves when done, stopped, diverged or failed. */
  async run(): Promise<void> {
    const { settings } = this;
    setBackend(this.open.backend);
    const optimizer = new optim.SGD(this.model.parameters(), { lr: settings.lr, momentum: 0 });
    const step = new TrainingStep(this.model, optimizer, settings.stepMode);
    const loader = imageLoader(this.data.train, {
      batchSize: settings.batchSize,
      shuffle: true,
      seed: settings.seed,
      limit: settings.trainExamples,
    });
    this.#setState('running', `${loader.numBatches} steps per epoch`);
    // the weights before the last step whose loss was finite, kept on the device until needed
    let goodOnDevice: Array<[string, Tensor]> | null = null;
    try {
      for (let epoch = 1; epoch <= settings.epochs; epoch++) {
        const running = new RunningMetrics();
        const started = performance.now();
        let trainMs = 0;
        let stepInEpoch = 0;
        let reading = null;
        try {
          for (const batch of loader.batches(epoch - 1)) {
            await nextFrame();
            if (this.#pauseRequested) {
              this.#pauseRequested = false;
              this.#setState('paused', `paused after step ${this.#steps}`);
              await new Promise<void>((resolve) => (this.#resume = resolve));
            }
            if (this.#stopRequested) {
              this.#setState('done', `stopped after step ${this.#steps}`);
              return;
            }
            const before = this.#snapshot();
            const stepStarted = performance.now();
            const sums = tidy(() => step.run(tensor(batch.images, batch.shape), tensor(batch.labels, [batch.size]), running.device));
            running.add(sums, batch.size);
            reading = await running.read();
            trainMs += performance.now() - stepStarted;
            this.#steps++;
            stepInEpoch++;
            // This step's loss was computed on `before`: finite, they are good weights; not, the
            // last good ones are those whose loss the previous step reported.
            if (!Number.isFinite(reading.recentLoss)) {
              dispose(...before.map(([, value]) => value));
              if (goodOnDevice !== null) this.#lastGood = await nn.readStateDict(goodOnDevice);
              this.#setState('diverged', `the loss of step ${this.#steps} is ${reading.recentLoss}`);
              return;
            }
            if (goodOnDevice !== null) dispose(...goodOnDevice.map(([, value]) => value));
            goodOnDevice = before;
            await this.events.onStep({
              step: this.#steps,
              epoch,
              loss: reading.recentLoss,
              trainLoss: reading.trainLoss,
              trainAcc: reading.trainAcc,
              examplesPerSec: reading.examples / (trainMs / 1000),
            });
          }
        } finally {
          running.dispose();
        }
        if (reading === null) throw new Error(`epoch ${epoch} had no step`);
        const { accuracy } = await predict(this.model, this.data.test, { batchSize: settings.batchSize, limit: settings.testExamples });
        const metrics: EpochMetrics = {
          epoch,
          trainLoss: reading.trainLoss,
          trainAcc: reading.trainAcc,
          testAcc: accuracy,
          examplesPerSec: reading.examples / (trainMs / 1000),
          trainSeconds: trainMs / 1000,
          epochSeconds: (performance.now() - started) / 1000,
          examples: reading.examples,
          steps: stepInEpoch,
        };
        this.history.push(metrics);
        this.events.onEpoch(metrics);
      }
      this.#setState('done', `${this.#steps} steps in ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'}`);
    } catch (error) {
      this.#setState('failed', error instanceof Error ? error.message : String(error));
    } finally {
      if (goodOnDevice !== null) dispose(...goodOnDevice.map(([, value]) => value));
      optimizer.dispose();
    }
  }
}
