/**
 * The training worker: the Playground's {@link Trainer} (the library's training loop) off the page's
 * thread, so the page stays responsive while a step runs. It opens the chosen backend here (webgpu,
 * webasm, cpu and backend-cpu run in any worker; webgl2 and webgl through `OffscreenCanvas`), and
 * reports the mode and device that ran, every step, every epoch, a view inside the network a few
 * times a second, the test gallery after each epoch, and the weights when the run rests.
 *
 * Work that reads the model (a view, the formula table, a gradient check, the gallery) runs only
 * between steps: in the hook before a step, or at once while the run is paused or over.
 * Bundled into `site/playground/training-worker.js` (see `src/generate/playground-bundle.ts`).
 * @module
 */
import { nn, setBackend } from '@lenet/core';
import { confusionMatrix, imageLoader, predict, scaleToUnitInterval } from '@lenet/models/browser';
import { openBackend, type OpenBackend } from './backends.js';
import { checkGradients, compareWithFormula } from './formula-check.js';
import { probeNetwork } from './network-probe.js';
import { compiledShaders } from './shaders.js';
import { Trainer, type StepPosition } from './trainer.js';
import type { FromWorker, NetworkView, ToWorker, WeightEntry } from './worker-protocol.js';
import { withWrongConv2d } from './wrong-kernel.js';

/** Test images in the gallery. */
const GALLERY_IMAGES = 100;

let trainer: Trainer | null = null;
let open: OpenBackend | null = null;
let viewsIntervalMs: number | null = null;
/** When the next view is due (performance.now() time). */
let nextViewAt = Number.NEGATIVE_INFINITY;
/** True while no step runs: before the run, while paused, after it. Work runs at once then. */
let atRest = true;
let forceView = false;
const waiting: Array<() => Promise<void>> = [];
let chain: Promise<void> = Promise.resolve();
let batchOrder: { epoch: number; batches: number[][] } | null = null;

function post(message: FromWorker): void {
  self.postMessage(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `task` between steps: now if the run rests, else before the next step. */
function betweenSteps(task: () => Promise<void>): void {
  if (atRest) chain = chain.then(task).catch((error: unknown) => post({ kind: 'error', message: describe(error) }));
  else waiting.push(task);
}

async function drainWaiting(): Promise<void> {
  while (waiting.length > 0) {
    const task = waiting.shift();
    try {
      await task?.();
    } catch (error) {
      post({ kind: 'error', message: describe(error) });
    }
  }
}

function entries(state: ReadonlyMap<string, { data: Float32Array; shape: readonly number[] }>): WeightEntry[] {
  return [...state].map(([name, { data, shape }]) => [name, { data, shape: [...shape] }]);
}

async function postWeights(run: Trainer): Promise<void> {
  const state = await nn.readStateDict(run.model.namedStateTensors());
  const lastGood = run.lastGoodWeights;
  post({ kind: 'weights', entries: entries(state), lastGood: lastGood === null ? null : entries(lastGood) });
}

function postShaders(): void {
  if (open?.gpu == null) return;
  post({ kind: 'shaders', mode: open.gpu.mode, device: open.gpu.device, listings: compiledShaders(open.gpu) });
}

/** The examples of the batch that step `at` trains on (the loop's own order: same loader, same seed). */
function batchAt(run: Trainer, at: StepPosition): number[] {
  if (batchOrder?.epoch !== at.epoch) {
    const { batchSize, seed, trainExamples } = run.settings;
    const loader = imageLoader(run.data.train, { batchSize, shuffle: true, seed, limit: trainExamples });
    batchOrder = { epoch: at.epoch, batches: loader.batchIndices(at.epoch - 1) };
  }
  return batchOrder.batches[at.step - 1];
}

/** A batch of examples of `split`: their pixels in [0, 1] and labels. */
function batchOf(split: Trainer['data']['train'], indices: readonly number[]): { images: Float32Array; labels: Float32Array } {
  const size = split.height * split.width;
  const images = new Float32Array(indices.length * size);
  indices.forEach((index, n) => images.set(scaleToUnitInterval(split.images.subarray(index * size, (index + 1) * size)), n * size));
  return { images, labels: Float32Array.from(indices, (index) => split.labels[index]) };
}

/** The batch the last view showed. */
let viewed: readonly number[] | null = null;

/**
 * The views cost at most ~10 % of the training time: the next one waits at least nine times as
 * long as this one took (and at least the interval asked for).
 */
const VIEW_SHARE = 0.1;

async function postView(run: Trainer, at: StepPosition): Promise<void> {
  const started = performance.now();
  const indices = batchAt(run, at);
  const { images, labels } = batchOf(run.data.train, indices);
  const probe = await probeNetwork(run.model, run.settings.model, images, labels);
  const first = viewed === null; // the first view compiles its kernels: its time says nothing of the next ones'
  viewed = indices;
  const probeMs = performance.now() - started;
  const example = indices[0];
  const pixels = images.slice(0, run.data.train.height * run.data.train.width);
  const view: NetworkView = { ...probe, step: run.steps + 1, epoch: at.epoch, example, label: labels[0], pixels, probeMs };
  post({ kind: 'view', view });
  nextViewAt = performance.now() + Math.max(viewsIntervalMs ?? 0, first ? 0 : probeMs * (1 / VIEW_SHARE - 1));
}

async function compare(run: Trainer): Promise<void> {
  if (viewed === null) throw new Error('no step has been looked inside yet: start a run or take one step first');
  const { images, labels } = batchOf(run.data.train, viewed);
  const probe = await probeNetwork(run.model, run.settings.model, images, labels);
  const rows = await compareWithFormula(run.model, run.settings.model, images, labels, probe);
  post({ kind: 'comparison', step: run.steps + (atRest ? 0 : 1), rows });
}

/**
 * The gallery: the library's `predict` over the test examples the epoch evaluated, at the training
 * batch size (the shapes the evaluation runs: webasm holds one WebAssembly memory per kernel shape,
 * and a browser allows only about a hundred, see `network-probe.ts`); its logits give the first
 * {@link GALLERY_IMAGES} images' class probabilities (softmax in float64), its predictions the
 * confusion matrix.
 */
async function gallery(run: Trainer, epoch: number): Promise<void> {
  const { test } = run.data;
  const { batchSize, testExamples } = run.settings;
  // one evaluation (the library's predict) gives the confusion matrix and the gallery's first rows
  const { logits, predicted } = await predict(run.model, test, { batchSize, limit: testExamples });
  const count = Math.min(predicted.length, GALLERY_IMAGES);
  const images = test.images.slice(0, count * test.height * test.width);
  const probabilities = softmaxRows(logits.subarray(0, count * 10), 10);
  const confusion = confusionMatrix(predicted, test.labels.subarray(0, predicted.length), 10);
  post({ kind: 'gallery', gallery: { epoch, images, labels: test.labels.slice(0, count), probabilities, confusion } });
}

/** The softmax of each row of `classes` logits, computed in float64. */
function softmaxRows(logits: Float32Array, classes: number): Float32Array {
  const probabilities = new Float32Array(logits.length);
  logits.forEach((_, i) => {
    const row = logits.subarray(i - (i % classes), i - (i % classes) + classes);
    const largest = Math.max(...row);
    const total = row.reduce((sum, value) => sum + Math.exp(value - largest), 0);
    probabilities[i] = Math.exp(logits[i] - largest) / total;
  });
  return probabilities;
}

async function start(message: Extract<ToWorker, { kind: 'start' }>): Promise<void> {
  try {
    const opened = await openBackend(message.choice);
    open = message.wrongKernel && opened.gpu !== null ? { ...opened, backend: withWrongConv2d(opened.gpu) } : opened;
  } catch (error) {
    post({ kind: 'unavailable', reason: describe(error) });
    return;
  }
  post({
    kind: 'opened',
    mode: open.mode,
    device: open.device,
    gpuMode: open.gpu === null ? 'backend-cpu' : open.gpu.mode,
    threads: open.threads,
  });
  viewsIntervalMs = message.viewsIntervalMs;
  const run = new Trainer(
    message.settings,
    open,
    { train: message.train, test: message.test },
    {
      onStep: (point) => post({ kind: 'step', point }),
      onEpoch: (metrics) => {
        post({ kind: 'epoch', metrics });
        betweenSteps(() => gallery(run, metrics.epoch));
      },
      onState: (state, detail) => {
        atRest = state !== 'running';
        if (!atRest) {
          post({ kind: 'state', state, detail });
          return;
        }
        // The page hears that the run rests once it has the weights and shaders it rests with.
        chain = chain
          .then(drainWaiting)
          .then(() => (state === 'failed' ? undefined : postWeights(run)))
          .then(postShaders)
          .finally(() => post({ kind: 'state', state, detail }));
      },
      beforeStep: async (at: StepPosition) => {
        await drainWaiting();
        const due = viewsIntervalMs !== null && performance.now() >= nextViewAt;
        if (forceView || due || viewed === null) await postView(run, at);
      },
    },
  );
  trainer = run;
  if (message.oneStep) {
    forceView = true;
    run.stepOnce();
  }
  atRest = false;
  await run.run();
  atRest = true;
  await chain;
  await drainWaiting();
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const run = trainer;
  switch (message.kind) {
    case 'start':
      void start(message).catch((error: unknown) => post({ kind: 'error', message: describe(error) }));
      return;
    case 'views':
      viewsIntervalMs = message.intervalMs;
      return;
    case 'shaders':
      postShaders();
      return;
  }
  if (run === null) {
    post({ kind: 'error', message: `${message.kind}: no run has started in this worker` });
    return;
  }
  switch (message.kind) {
    case 'pause':
      forceView = false;
      run.pause();
      return;
    case 'resume':
      forceView = false;
      run.resume();
      return;
    case 'stop':
      run.stop();
      return;
    case 'stepOnce':
      forceView = true;
      run.stepOnce();
      return;
    case 'hyperparameters':
      run.setHyperparameters(message.lr, message.momentum);
      return;
    case 'weights':
      betweenSteps(() => postWeights(run));
      return;
    case 'compare':
      betweenSteps(() => compare(run));
      return;
    case 'gradientCheck':
      betweenSteps(async () => {
        if (viewed === null) throw new Error('no step has been looked inside yet');
        setBackend(run.open.backend);
        const { images, labels } = batchOf(run.data.train, viewed);
        const checks = await checkGradients(run.model, run.settings.model, images, labels, message.picks);
        post({ kind: 'gradientCheck', checks });
      });
      return;
  }
});
