/**
 * Times one backend: each LeNet kernel, and a full training step of d2l's LeNet, at one batch
 * size. GPU work is queued and finishes when a value is read back, so every timing ends with a
 * download.
 * @module
 */
import { dispose, optim, Rng, setBackend, sizeOf, tensor, type Backend, type DataId, type TensorInfo } from '@lenet/core';
import { lenetKernelBenchmarks } from './kernel-benchmarks.js';
import { buildLenet } from './lenet.js';
import { trainStep } from './train-step.js';

/** The time of one kernel. */
export interface KernelTiming {
  readonly name: string;
  /** Milliseconds per call: `reps` calls queued back to back, then one download, divided by `reps`. */
  readonly ms: number;
}

/** The time of a training step. */
export interface TrainingTiming {
  readonly batch: number;
  /** The first step, which compiles every kernel. */
  readonly firstStepMs: number;
  /** Median of the timed steps. */
  readonly msPerStep: number;
  readonly examplesPerSecond: number;
  /** Every timed step, in order. */
  readonly stepsMs: readonly number[];
  /** Live buffers after the warm-up step and after the last step (equal when nothing leaks). */
  readonly liveBuffers: readonly [number, number];
}

/** How much to measure. */
export interface MeasureOptions {
  readonly batch: number;
  /** Timed training steps (after one warm-up step). */
  readonly steps: number;
  /** Calls per kernel timing. */
  readonly kernelReps: number;
}

function seededArray(size: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: size }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  });
}

/** Times each of LeNet's kernels on `backend`. */
export async function measureKernels(backend: Backend, options: MeasureOptions): Promise<KernelTiming[]> {
  const timings: KernelTiming[] = [];
  for (const benchmark of lenetKernelBenchmarks(options.batch)) {
    const inputs: TensorInfo[] = benchmark.inputs.map((shape, i) => ({ dataId: backend.upload(seededArray(sizeOf(shape), i + 1), shape), shape }));
    const warm = benchmark.run(backend, inputs);
    await backend.download(warm);
    backend.dispose(warm);
    const outputs: DataId[] = [];
    const start = performance.now();
    for (let rep = 0; rep < options.kernelReps; rep++) {
      outputs.push(benchmark.run(backend, inputs));
    }
    await backend.download(outputs[outputs.length - 1]);
    const ms = (performance.now() - start) / options.kernelReps;
    for (const id of [...outputs, ...inputs.map((input) => input.dataId)]) backend.dispose(id);
    timings.push({ name: benchmark.name, ms });
  }
  return timings;
}

/** Times training steps of LeNet on `backend` (random images and labels; values do not change the work). */
export async function measureTraining(backend: Backend, options: MeasureOptions): Promise<TrainingTiming> {
  setBackend(backend);
  const net = buildLenet(new Rng(1));
  const optimizer = new optim.SGD(net.parameters(), { lr: 0.9 });
  const images = tensor(seededArray(options.batch * 28 * 28, 3), [options.batch, 1, 28, 28]);
  const labels = tensor(Float32Array.from({ length: options.batch }, (_, i) => (i * 7) % 10), [options.batch]);
  const firstStart = performance.now();
  await trainStep(net, optimizer, images, labels);
  const firstStepMs = performance.now() - firstStart;
  const liveAfterWarmUp = backend.liveBuffers();
  const stepsMs: number[] = [];
  for (let step = 0; step < options.steps; step++) {
    const start = performance.now();
    await trainStep(net, optimizer, images, labels);
    stepsMs.push(performance.now() - start);
  }
  const liveAfter = backend.liveBuffers();
  optimizer.zeroGrad();
  dispose(images, labels, ...net.parameters());
  const sorted = [...stepsMs].sort((a, b) => a - b);
  const msPerStep = sorted[Math.floor(sorted.length / 2)];
  return { batch: options.batch, firstStepMs, msPerStep, examplesPerSecond: (options.batch * 1000) / msPerStep, stepsMs, liveBuffers: [liveAfterWarmUp, liveAfter] };
}
