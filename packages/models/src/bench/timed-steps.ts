/**
 * The benchmark's timed loop, written once for every target that runs in JavaScript: LeNet.ts in
 * Node (`measureTraining`), TensorFlow.js in Node (`tfjs-peer.ts`) and both in the browser
 * benchmark's page. For each step of the run: take its batch, start the clock, run the step (it
 * resolves to the step's loss once all of its work is done), record the loss and the milliseconds.
 * Nothing here needs Node.
 * @module
 */
import { dispose, tensor } from '@lenet/core';
import type { TrainingStep } from '../training/training-step.js';
import type { BenchBatches } from './bench-batches.js';
import { trainStep } from './train-step.js';

const PIXELS = 28 * 28;

/** What of {@link BenchBatches} a step's batch is cut from. */
export type StepBatches = Pick<BenchBatches, 'batch' | 'stepCount' | 'images' | 'labels'>;

/** One step's batch on the host: images `[N,1,28,28]` and labels `[N]`, flat. */
export interface StepBatch {
  readonly images: Float32Array;
  readonly labels: Float32Array;
}

/** One step's batch as views into {@link BenchBatches} (no copy). */
export function stepBatch(batches: StepBatches, step: number): StepBatch {
  if (!Number.isInteger(step) || step < 0 || step >= batches.stepCount)
    throw new RangeError(`stepBatch: step ${step} is not in 0..${batches.stepCount - 1}`);
  const n = batches.batch;
  return {
    images: batches.images.subarray(step * n * PIXELS, (step + 1) * n * PIXELS),
    labels: batches.labels.subarray(step * n, (step + 1) * n),
  };
}

/** Every step's time and loss, warm-up steps first (what `summariseSteps` takes). */
export interface TimedSteps {
  readonly stepsMs: number[];
  readonly losses: number[];
}

/**
 * Runs `runStep` on each of the run's batches in order and times it; `beforeStep`, when given, is
 * called before a step's batch is taken, outside the clock (`measureTraining` counts live buffers
 * there at the end of the warm-up).
 * @example const { stepsMs, losses } = await timeSteps(batches, (batch) => tfjsTrainStep(net, sgd, batch.images, batch.labels));
 */
export async function timeSteps(
  batches: StepBatches,
  runStep: (batch: StepBatch) => Promise<number>,
  beforeStep?: (step: number) => void,
): Promise<TimedSteps> {
  const stepsMs: number[] = [];
  const losses: number[] = [];
  for (let step = 0; step < batches.stepCount; step++) {
    beforeStep?.(step);
    const batch = stepBatch(batches, step);
    const start = performance.now();
    losses.push(await runStep(batch));
    stepsMs.push(performance.now() - start);
  }
  return { stepsMs, losses };
}

/**
 * LeNet.ts's step on a host batch, as training takes it: the batch's tensors are made on the current
 * backend (inside the timed step, as `train` makes them), {@link trainStep} runs, and the tensors are
 * freed. Resolves to the step's mean loss.
 */
export async function trainStepOnBatch(step: TrainingStep, batch: StepBatch): Promise<number> {
  const n = batch.labels.length;
  const images = tensor(batch.images, [n, 1, 28, 28]);
  const labels = tensor(batch.labels, [n]);
  const loss = await trainStep(step, images, labels);
  dispose(images, labels);
  return loss;
}
