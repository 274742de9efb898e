/**
 * The start file of a whole run: what every target trains from, so that PyTorch and TensorFlow.js
 * start where `npm run train --seed S` starts and see its batches in its order.
 *
 * A safetensors file (the batches file's layout, read by `peers/pytorch_whole_run.py` in a few lines):
 *
 *   param.<name>  LeNet.ts's initial parameters by state-dict name (`param.0.weight` [6,1,5,5], …)
 *   order         [E, n]   epoch e's order of the first n training examples (indices as floats,
 *                          exact below 2²⁴), `DataLoader.order(e)` as `train` draws it
 *   metadata      lr, batch, epochs, seed, testExamples, dataset
 *
 * The images are not in it: each target reads Fashion-MNIST's IDX files itself (60,000 images
 * would take 188 MB as float32).
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { dispose, setBackend } from '@lenet/core';
import type { ImageClassificationData } from '../../data/image-classification-data.js';
import { imageLoader } from '../../data/image-batches.js';
import type { TensorData } from '../../io/safetensors.js';
import { addParameters, metadataNumber, parametersOf } from '../start-file-parts.js';
import { readSafetensors, writeSafetensors } from '../../io/safetensors-file.js';
import { BENCH_RECIPE, benchNetwork } from '../bench-network.js';

/** A whole run's starting point and plan. */
export interface WholeRunStart {
  readonly lr: number;
  readonly batch: number;
  readonly epochs: number;
  readonly seed: number;
  /** Training examples per epoch: the first n of the split (`--limit`). */
  readonly trainExamples: number;
  /** Test examples evaluated after each epoch: the first of the split (`--test-limit`). */
  readonly testExamples: number;
  /** `epochs · trainExamples` indices: epoch e's order at `e · trainExamples`. */
  readonly order: Float32Array;
  /** Initial parameters by state-dict name (PyTorch's layouts). */
  readonly parameters: ReadonlyMap<string, TensorData>;
}

/** Draws the orders of `data`'s training split and LeNet.ts's initial parameters (on backend-cpu), as `train` does. */
export async function drawWholeRunStart(
  data: ImageClassificationData,
  options: { batch: number; epochs: number; seed: number; trainExamples: number; testExamples: number },
): Promise<WholeRunStart> {
  const { batch, epochs, seed, trainExamples, testExamples } = options;
  const loader = imageLoader(data.train, { batchSize: batch, shuffle: true, seed, limit: trainExamples });
  const order = new Float32Array(epochs * trainExamples);
  for (let epoch = 0; epoch < epochs; epoch++) order.set(loader.order(epoch), epoch * trainExamples);
  setBackend(new CpuBackend());
  const net = benchNetwork(seed);
  const parameters = new Map<string, TensorData>();
  for (const [name, parameter] of net.namedParameters())
    parameters.set(name, { shape: [...parameter.shape], data: await parameter.data() });
  dispose(...net.parameters());
  return { lr: BENCH_RECIPE.lr, batch, epochs, seed, trainExamples, testExamples, order, parameters };
}

/** Writes the start file. */
export function writeWholeRunStart(path: string, start: WholeRunStart): void {
  const tensors = new Map<string, TensorData>([['order', { shape: [start.epochs, start.trainExamples], data: start.order }]]);
  addParameters(tensors, start.parameters);
  const metadata = {
    lr: String(start.lr),
    batch: String(start.batch),
    epochs: String(start.epochs),
    seed: String(start.seed),
    testExamples: String(start.testExamples),
    dataset: BENCH_RECIPE.dataset,
  };
  writeSafetensors(path, tensors, metadata);
}

/** Reads a start file written by {@link writeWholeRunStart}. */
export function readWholeRunStart(path: string): WholeRunStart {
  const { tensors, metadata } = readSafetensors(path);
  const order = tensors.get('order');
  if (order === undefined || order.shape.length !== 2) throw new Error(`${path}: not a whole-run start file (needs order [E, n])`);
  const parameters = parametersOf(tensors);
  return {
    lr: metadataNumber(metadata, 'lr', path),
    batch: metadataNumber(metadata, 'batch', path),
    epochs: order.shape[0],
    seed: metadataNumber(metadata, 'seed', path),
    trainExamples: order.shape[1],
    testExamples: metadataNumber(metadata, 'testExamples', path),
    order: order.data,
    parameters,
  };
}
