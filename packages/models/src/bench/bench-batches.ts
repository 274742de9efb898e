/**
 * The batches file: what every target of one benchmark run trains on, so the data order, the
 * starting parameters and the recipe are the same for LeNet.ts's backends and for the peers.
 *
 * It is a safetensors file (readable by PyTorch's side in a few lines of Python, see
 * `peers/pytorch_lenet.py`):
 *
 *   images        [S, N, 1, 28, 28]   S = warm-up + timed steps, N = the batch size, pixels in [0, 1]
 *   labels        [S, N]              class indices as floats
 *   param.<name>  LeNet.ts's initial parameters by state-dict name (`param.0.weight` [6,1,5,5], …)
 *   metadata      lr, warmup, seed, dataset
 *
 * The batches are the first S of an epoch of Fashion-MNIST's training set, shuffled with the seed,
 * as `train --seed` draws them.
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { setBackend, dispose } from '@lenet/core';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import type { TensorData } from '../io/safetensors.js';
import { addParameters, metadataNumber, parametersOf } from './start-file-parts.js';
import { readSafetensors, writeSafetensors } from '../io/safetensors-file.js';
import { imageLoader } from '../data/image-batches.js';
import { BENCH_RECIPE, benchNetwork } from './bench-network.js';

/** The batches and starting point of one benchmark run. */
export interface BenchBatches {
  /** Examples per batch. */
  readonly batch: number;
  /** Steps in all: `warmup` untimed, then the timed ones. */
  readonly stepCount: number;
  readonly warmup: number;
  readonly seed: number;
  readonly lr: number;
  /** `stepCount · batch · 784` pixels, step after step. */
  readonly images: Float32Array;
  /** `stepCount · batch` labels. */
  readonly labels: Float32Array;
  /** The network's initial parameters by state-dict name (PyTorch's layout: conv `[O,C,KH,KW]`, linear `[out,in]`). */
  readonly parameters: ReadonlyMap<string, TensorData>;
}

const PIXELS = 28 * 28;

/**
 * Draws the batches of a run from Fashion-MNIST (shipped with this package) and computes the
 * initial parameters on backend-cpu.
 */
export async function drawBenchBatches(options: { batch: number; warmup: number; steps: number; seed: number }): Promise<BenchBatches> {
  const { batch, warmup, steps, seed } = options;
  const stepCount = warmup + steps;
  const data = loadFashionMnist();
  const loader = imageLoader(data.train, { batchSize: batch, shuffle: true, seed });
  if (loader.numBatches < stepCount)
    throw new RangeError(`bench: ${stepCount} steps of ${batch} need more than Fashion-MNIST's ${data.train.count} training images`);
  const images = new Float32Array(stepCount * batch * PIXELS);
  const labels = new Float32Array(stepCount * batch);
  let step = 0;
  for (const drawn of loader.batches(0)) {
    if (step === stepCount) break;
    images.set(drawn.images, step * batch * PIXELS);
    labels.set(drawn.labels, step * batch);
    step++;
  }
  setBackend(new CpuBackend());
  const net = benchNetwork(seed);
  const parameters = new Map<string, TensorData>();
  for (const [name, parameter] of net.namedParameters())
    parameters.set(name, { shape: [...parameter.shape], data: await parameter.data() });
  dispose(...net.parameters());
  return { batch, stepCount, warmup, seed, lr: BENCH_RECIPE.lr, images, labels, parameters };
}

/** Writes the batches file. */
export function writeBenchBatches(path: string, batches: BenchBatches): void {
  const tensors = new Map<string, TensorData>([
    ['images', { shape: [batches.stepCount, batches.batch, 1, 28, 28], data: batches.images }],
    ['labels', { shape: [batches.stepCount, batches.batch], data: batches.labels }],
  ]);
  addParameters(tensors, batches.parameters);
  const metadata = { lr: String(batches.lr), warmup: String(batches.warmup), seed: String(batches.seed), dataset: BENCH_RECIPE.dataset };
  writeSafetensors(path, tensors, metadata);
}

/** Reads a batches file written by {@link writeBenchBatches}. */
export function readBenchBatches(path: string): BenchBatches {
  const { tensors, metadata } = readSafetensors(path);
  const images = tensors.get('images');
  const labels = tensors.get('labels');
  if (images === undefined || labels === undefined || images.shape.length !== 5)
    throw new Error(`${path}: not a benchmark batches file (needs images [S,N,1,28,28] and labels [S,N])`);
  const [stepCount, batch] = images.shape;
  const parameters = parametersOf(tensors);
  return {
    batch,
    stepCount,
    warmup: metadataNumber(metadata, 'warmup', path),
    seed: metadataNumber(metadata, 'seed', path),
    lr: metadataNumber(metadata, 'lr', path),
    images: images.data,
    labels: labels.data,
    parameters,
  };
}
