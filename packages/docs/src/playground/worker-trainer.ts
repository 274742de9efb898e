/**
 * The page's side of training in a Web Worker (`training-worker.ts`): starts the worker, forwards
 * the controls, and turns its messages into the trainer's events. The page keeps a copy of the
 * network (on its own backend) that takes the worker's weights whenever the run rests, for "Look
 * inside", the download and the last good weights.
 * @module
 */
import { setBackend, type nn } from '@lenet/core';
import { initialModel, type EpochMetrics, type TensorData } from '@lenet/models/browser';
import type { BackendChoice, OpenBackend, WebasmThreads } from './backends.js';
import type { FormulaComparison, GradientCheck } from './formula-check.js';
import type { ShaderListing } from './shaders.js';
import type { TrainerEvents, TrainerState, TrainSettings } from './trainer.js';
import type { FromWorker, GalleryReport, NetworkView, ToWorker, WeightEntry } from './worker-protocol.js';
import type { ImageClassificationSplit, RunSettings } from '@lenet/models/browser';

/** What the worker tells the page besides the trainer's own events. */
export interface WorkerEvents extends TrainerEvents {
  onView(view: NetworkView): void;
  onGallery(gallery: GalleryReport): void;
  onComparison(step: number, rows: readonly FormulaComparison[]): void;
  onGradientCheck(checks: readonly GradientCheck[]): void;
  onShaders(mode: string, device: string, listings: readonly ShaderListing[]): void;
  onWeights(): void;
  onError(message: string): void;
}

/** Where the run trains, as the header says it. */
export interface WorkerPlace {
  /** The backend asked for. */
  readonly choice: BackendChoice;
  readonly mode: string;
  readonly device: string;
  /** The GPU.js mode's name (or `backend-cpu`), as `data-mode` gives it. */
  readonly gpuMode: string;
  /** webasm only: whether its kernels run on worker threads in the training worker, and why. */
  readonly threads: WebasmThreads | null;
}

/** How the worker should run. */
export interface WorkerOptions {
  readonly viewsIntervalMs: number | null;
  readonly oneStep: boolean;
  readonly wrongKernel: boolean;
}

function stateDict(entries: readonly WeightEntry[]): Map<string, TensorData> {
  return new Map(entries.map(([name, { data, shape }]) => [name, { data, shape: [...shape] }]));
}

/** One training run in a worker. */
export class WorkerTrainer {
  /** The page's copy of the network, on `open`'s backend, updated when the worker sends weights. */
  readonly model: nn.Sequential;
  readonly history: EpochMetrics[] = [];
  readonly #worker: Worker;
  #state: TrainerState = 'idle';
  #steps = 0;
  #lastGood: Map<string, TensorData> | null = null;
  #hyperparameters: { lr: number; momentum: number };
  #finished: (() => void) | null = null;
  readonly #ended: Promise<void>;

  constructor(
    readonly settings: TrainSettings,
    /** The page's backend for its copy of the network. */
    readonly open: OpenBackend,
    readonly data: { train: ImageClassificationSplit; test: ImageClassificationSplit },
    readonly events: WorkerEvents,
  ) {
    setBackend(open.backend);
    this.model = initialModel(settings);
    this.#hyperparameters = { lr: settings.lr, momentum: settings.momentum };
    this.#worker = new Worker(new URL('./training-worker.js', import.meta.url), { type: 'module', name: 'lenet-training' });
    this.#ended = new Promise((resolve) => (this.#finished = resolve));
  }

  get state(): TrainerState {
    return this.#state;
  }

  get steps(): number {
    return this.#steps;
  }

  get lastGoodWeights(): Map<string, TensorData> | null {
    return this.#lastGood;
  }

  get hyperparameters(): { readonly lr: number; readonly momentum: number } {
    return this.#hyperparameters;
  }

  /** Opens `choice` in the worker: its mode and device, or why it cannot run there. */
  start(choice: BackendChoice, options: WorkerOptions): Promise<WorkerPlace | { unavailable: string }> {
    return new Promise((resolve) => {
      let opened = false;
      this.#worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
        const message = event.data;
        if (!opened && (message.kind === 'opened' || message.kind === 'unavailable')) {
          opened = true;
          resolve(message.kind === 'opened' ? { ...message, choice } : { unavailable: message.reason });
          if (message.kind === 'unavailable') this.#worker.terminate();
          return;
        }
        this.#receive(message);
      });
      this.#worker.addEventListener('error', (event) => {
        const reason = `the training worker failed to start: ${event.message || 'no message (is training-worker.js served next to the page?)'}`;
        if (!opened) {
          opened = true;
          resolve({ unavailable: reason });
        } else this.events.onError(reason);
      });
      const { train, test } = this.data;
      this.#send({ kind: 'start', choice, settings: this.settings, train, test, ...options });
    });
  }

  #send(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  #receive(message: FromWorker): void {
    switch (message.kind) {
      case 'state':
        this.#state = message.state;
        this.events.onState(message.state, message.detail);
        // the worker sends the weights and shaders a run ends with before saying it ended
        if (message.state === 'done' || message.state === 'diverged' || message.state === 'failed') this.#finished?.();
        return;
      case 'step':
        this.#steps = message.point.step;
        void this.events.onStep(message.point);
        return;
      case 'epoch':
        this.history.push(message.metrics);
        this.events.onEpoch(message.metrics);
        return;
      case 'view':
        this.events.onView(message.view);
        return;
      case 'gallery':
        this.events.onGallery(message.gallery);
        return;
      case 'weights':
        setBackend(this.open.backend);
        this.model.loadStateDict(stateDict(message.entries), 'the weights from the training worker');
        if (message.lastGood !== null) this.#lastGood = stateDict(message.lastGood);
        this.events.onWeights();
        return;
      case 'comparison':
        this.events.onComparison(message.step, message.rows);
        return;
      case 'gradientCheck':
        this.events.onGradientCheck(message.checks);
        return;
      case 'shaders':
        this.events.onShaders(message.mode, message.device, message.listings);
        return;
      case 'error':
        this.events.onError(message.message);
        return;
      case 'opened':
      case 'unavailable':
        return;
    }
  }

  /** Resolves when the run is over (done, stopped, diverged or failed) and its last weights are on the page. */
  run(): Promise<void> {
    return this.#ended;
  }

  pause(): void {
    this.#send({ kind: 'pause' });
  }

  resume(): void {
    this.#send({ kind: 'resume' });
  }

  stepOnce(): void {
    this.#send({ kind: 'stepOnce' });
  }

  /** Stops after the current step and ends the worker once its last weights are in. */
  stop(): void {
    if (this.#state === 'running' || this.#state === 'paused') this.#send({ kind: 'stop' });
    else this.#finished?.();
    void this.#ended.then(() => this.#worker.terminate());
  }

  setHyperparameters(lr: number, momentum: number): void {
    this.#hyperparameters = { lr, momentum };
    this.#send({ kind: 'hyperparameters', lr, momentum });
  }

  setViews(intervalMs: number | null): void {
    this.#send({ kind: 'views', intervalMs });
  }

  /** Asks for the weights now (between steps); `onWeights` follows. */
  requestWeights(): void {
    this.#send({ kind: 'weights' });
  }

  compare(): void {
    this.#send({ kind: 'compare' });
  }

  checkGradients(picks: ReadonlyArray<{ parameter: string; index: number }>): void {
    this.#send({ kind: 'gradientCheck', picks });
  }

  /** The settings as a checkpoint records them (the learning rate and momentum in use now). */
  runSettings(): RunSettings {
    const { model, seed, batchSize, trainExamples, testExamples } = this.settings;
    const { lr, momentum } = this.#hyperparameters;
    return { model, seed, batchSize, lr, momentum, dataset: 'fashion-mnist', trainExamples, testExamples };
  }
}
