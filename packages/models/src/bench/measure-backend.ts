/**
 * Times one backend: each LeNet kernel, and training steps of `lenet5` (d2l's LeNet) on the run's
 * Fashion-MNIST batches. GPU work is queued and finishes when a value is read back, so every timing
 * ends with a download.
 * @module
 */
import { dispose, optim, setBackend, sizeOf, type Backend, type DataId, type Shape, type TensorInfo } from '@lenet/core';
import type { BenchBatches } from './bench-batches.js';
import { benchNetwork } from './bench-network.js';
import { lenetKernelBenchmarks } from './kernel-benchmarks.js';
import { summariseSteps, type StepTiming } from './step-timing.js';
import { timeSteps, trainStepOnBatch } from './timed-steps.js';
import { GpuBackend, type DispatchCounts } from '@lenet/backend-gpu';
import { TrainingStep, type StepMode } from '../training/training-step.js';

/** The time of one kernel. */
export interface KernelTiming {
  readonly name: string;
  /** Milliseconds per call: `reps` calls queued back to back, then one download, divided by `reps`. */
  readonly ms: number;
}

/** The time of LeNet.ts's training steps on one backend (see {@link StepTiming}). */
export interface TrainingTiming extends StepTiming {
  /** Live buffers after the warm-up steps and after the last step (equal when nothing leaks). */
  readonly liveBuffers: readonly [number, number];
  /** How the step ran: `eager` (op by op) or `compiled` (fused kernels; see `TrainingStep`). */
  readonly stepMode: StepMode;
  /**
   * WebGPU only: what the dispatcher asked of the device per timed step (kernel launches, submits,
   * buffers and bind groups created, read-backs). The benchmark reads each step's loss back, so a
   * step here has one read-back and the submit it takes; `train` reads only a few times a second.
   */
  readonly webGpuCallsPerStep?: DispatchCounts;
}

/** A snapshot of a WebGPU backend's dispatch counts, or null for any other backend. */
function dispatchCountsOf(backend: Backend): DispatchCounts | null {
  return backend instanceof GpuBackend && backend.dispatchCounts !== null ? { ...backend.dispatchCounts } : null;
}

/** (after − before) / steps for each count. */
function perStep(before: DispatchCounts, after: DispatchCounts, steps: number): DispatchCounts {
  const per = (key: keyof DispatchCounts): number => (after[key] - before[key]) / steps;
  return {
    dispatches: per('dispatches'),
    submits: per('submits'),
    buffersCreated: per('buffersCreated'),
    bindGroupsCreated: per('bindGroupsCreated'),
    readbacks: per('readbacks'),
  };
}

/** How much to measure. */
export interface MeasureOptions {
  readonly batch: number;
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
    const values = (shape: Shape, i: number): Float32Array =>
      benchmark.labelInputs?.includes(i)
        ? Float32Array.from({ length: sizeOf(shape) }, (_, n) => (n * 7) % 10)
        : seededArray(sizeOf(shape), i + 1);
    const inputs: TensorInfo[] = benchmark.inputs.map((shape, i) => ({ dataId: backend.upload(values(shape, i), shape), shape }));
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

/**
 * Trains `lenet5` on `backend` over the run's batches (warm-up steps, then the timed ones), from
 * the run's seed, with SGD at the run's learning rate. Each step's time includes making the batch's
 * tensors, as in training.
 */
export async function measureTraining(backend: Backend, batches: BenchBatches, stepMode: StepMode): Promise<TrainingTiming> {
  setBackend(backend);
  const net = benchNetwork(batches.seed);
  const optimizer = new optim.SGD(net.parameters(), { lr: batches.lr });
  const trainingStep = new TrainingStep(net, optimizer, stepMode);
  let liveAfterWarmUp = 0;
  let countsAfterWarmUp: DispatchCounts | null = null;
  const { stepsMs, losses } = await timeSteps(
    batches,
    (batch) => trainStepOnBatch(trainingStep, batch),
    (step) => {
      if (step !== batches.warmup) return;
      liveAfterWarmUp = backend.liveBuffers();
      countsAfterWarmUp = dispatchCountsOf(backend);
    },
  );
  const liveAfter = backend.liveBuffers();
  const countsAfter = dispatchCountsOf(backend);
  const timedSteps = batches.stepCount - batches.warmup;
  const webGpuCallsPerStep =
    countsAfterWarmUp === null || countsAfter === null ? undefined : perStep(countsAfterWarmUp, countsAfter, timedSteps);
  optimizer.zeroGrad();
  dispose(...net.parameters());
  return {
    ...summariseSteps(batches.batch, batches.warmup, stepsMs, losses),
    liveBuffers: [liveAfterWarmUp, liveAfter],
    stepMode,
    ...(webGpuCallsPerStep === undefined ? {} : { webGpuCallsPerStep }),
  };
}
