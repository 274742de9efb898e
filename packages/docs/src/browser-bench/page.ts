/**
 * The browser benchmark's page: trains one target for the run's steps on the batches the Node side
 * drew (`batches.safetensors`, served next to the page) and returns every step's time and loss. The
 * Node side (`run.ts`) opens a fresh page per target and round and calls `window.lenetBench.run`.
 *
 * LeNet.ts's step is the benchmark's (`measureTraining` in `@lenet/models`): `lenet5` from the run's
 * seed, SGD, the compiled `TrainingStep`, the batch's tensors made inside the timed step, and a wait
 * for the loss and everything queued. TensorFlow.js's step is its peer's (`tfjsTrainStep`), from the
 * same initial parameters.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { createGpuBackend } from '@lenet/backend-gpu';
import { optim, setBackend } from '@lenet/core';
import { decodeSafetensors, TrainingStep, type TensorData } from '@lenet/models/browser';
import {
  BENCH_RECIPE,
  type BenchBatches,
  benchNetwork,
  startTfjs,
  summariseSteps,
  tfjsLenet,
  tfjsTrainStep,
  timeSteps,
  trainStepOnBatch,
} from '@lenet/models/bench-browser';
import type { BrowserBenchTarget, PageRun } from './targets.js';

declare global {
  interface Window {
    lenetBench?: { run(target: BrowserBenchTarget): Promise<PageRun> };
    /** Set by the Node side before the page's scripts: workers started so far. */
    lenetWorkers?: number;
  }
}

/** What a run measures, before the page adds its summary. */
type Run = Pick<PageRun, 'ran' | 'device' | 'threads' | 'stepsMs' | 'losses'>;

async function loadBatches(): Promise<BenchBatches> {
  const response = await fetch('./batches.safetensors');
  if (!response.ok) throw new Error(`browser bench: batches.safetensors: HTTP ${response.status}`);
  const { tensors, metadata } = decodeSafetensors(new Uint8Array(await response.arrayBuffer()), 'batches.safetensors');
  const images = tensors.get('images');
  const labels = tensors.get('labels');
  if (images === undefined || labels === undefined) throw new Error('browser bench: batches.safetensors has no images or labels');
  const parameters = new Map<string, TensorData>();
  for (const [name, value] of tensors) if (name.startsWith('param.')) parameters.set(name.slice('param.'.length), value);
  return {
    stepCount: images.shape[0],
    batch: images.shape[1],
    seed: Number(metadata.seed),
    warmup: Number(metadata.warmup),
    lr: Number(metadata.lr),
    images: images.data,
    labels: labels.data,
    parameters,
  };
}

async function runLenet(target: BrowserBenchTarget, batches: BenchBatches): Promise<Run> {
  const mode = target === 'lenet-webgpu' ? 'webgpu' : target === 'lenet-webgl2' ? 'webgl2' : 'webasm';
  const threaded = mode === 'webasm' && crossOriginIsolated;
  const backend = await createGpuBackend({ mode, wasmThreads: threaded });
  setBackend(backend);
  const net = benchNetwork(batches.seed);
  const optimizer = new optim.SGD(net.parameters(), { lr: batches.lr });
  const step = new TrainingStep(net, optimizer, 'compiled');
  const { stepsMs, losses } = await timeSteps(batches, (batch) => trainStepOnBatch(step, batch));
  const classes = [...new Set(backend.compiledKernelClasses())].join(', ');
  const result = {
    ran: `${backend.mode} (${classes})`,
    device: backend.device,
    threads: mode === 'webasm' ? (threaded ? navigator.hardwareConcurrency : 1) : null,
    stepsMs,
    losses,
  };
  backend.destroy();
  return result;
}

async function runTfjs(target: BrowserBenchTarget, batches: BenchBatches): Promise<Run> {
  const name = target === 'tfjs-wasm' ? 'wasm' : target === 'tfjs-webgl' ? 'webgl' : 'webgpu';
  const started = await startTfjs(name, new URL('./tfjs-wasm/', location.href).href);
  const net = tfjsLenet(batches.parameters);
  const optimizer = tf.train.sgd(batches.lr);
  const { stepsMs, losses } = await timeSteps(batches, (batch) => tfjsTrainStep(net, optimizer, batch.images, batch.labels));
  return { ran: `TensorFlow.js ${started.version} ${started.backend}`, device: started.device, threads: started.threads, stepsMs, losses };
}

window.lenetBench = {
  async run(target) {
    const batches = await loadBatches();
    const workersBefore = window.lenetWorkers ?? 0;
    const run = target.startsWith('lenet-') ? await runLenet(target, batches) : await runTfjs(target, batches);
    const { msPerStep, examplesPerSecond } = summariseSteps(batches.batch, batches.warmup, run.stepsMs, run.losses);
    return {
      target,
      ...run,
      workersStarted: (window.lenetWorkers ?? 0) - workersBefore,
      msPerStep,
      examplesPerSecond,
      recipe: { ...BENCH_RECIPE },
    };
  },
};
document.body.dataset.ready = 'true';
