/**
 * What one training step of d2l's LeNet (batch 256) asks of WebGPU, counted by wrapping the WebGPU
 * classes' own methods (`GPUDevice.createBuffer`, `GPUQueue.submit`, …), not the dispatcher's
 * counters. Here WebGPU runs on Mesa's llvmpipe through Dawn; the counts are the same on a GPU.
 *
 * The compiled step must be one submission, create no buffer once the pools are warm, and read
 * nothing back between two reports of the training metrics (one read-back per report).
 */
import { createGpuBackend, type GpuBackend } from '@lenet/backend-gpu';
import { optim, Rng, setBackend, tensor, type Tensor } from '@lenet/core';
import { CpuBackend } from '@lenet/backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelSpec } from '../src/models/registry.js';
import { initWeights } from '../src/training/init-weights.js';
import { TrainingStep, type StepMode } from '../src/training/training-step.js';

const BATCH = 256;

/**
 * The kernels one compiled step launches: 7 forward (fused), the loss gradient, the metrics, 20
 * backward (the activation gradients folded into the next layer's backward kernels, the SGD updates
 * into the weight and bias gradient kernels; two long reductions split in two). Pinned exactly: a
 * step that launches one kernel more or fewer must change this number on purpose.
 */
const KERNEL_LAUNCHES_PER_COMPILED_STEP = 29;
const LAUNCHES_MESSAGE =
  `kernel launches of a compiled step (pinned at ${KERNEL_LAUNCHES_PER_COMPILED_STEP}: a change that ` +
  'adds or removes a launch must update KERNEL_LAUNCHES_PER_COMPILED_STEP on purpose, and say why)';

/** Calls to the WebGPU methods that cost per kernel launch. */
interface Counts {
  dispatchWorkgroups: number;
  submit: number;
  createBuffer: number;
  createBindGroup: number;
  mapAsync: number;
}

const counts: Counts = { dispatchWorkgroups: 0, submit: 0, createBuffer: 0, createBindGroup: 0, mapAsync: 0 };
const restore: Array<() => void> = [];

/** Wraps `owner.prototype[method]` (a WebGPU class from Dawn's globals) to count its calls. */
function count(className: string, method: string, key: keyof Counts): void {
  const owner: unknown = Reflect.get(globalThis, className);
  const prototype: unknown = typeof owner === 'function' ? Reflect.get(owner, 'prototype') : undefined;
  const original: unknown = typeof prototype === 'object' && prototype !== null ? Reflect.get(prototype, method) : undefined;
  if (typeof prototype !== 'object' || prototype === null || typeof original !== 'function') {
    throw new Error(`${className}.prototype.${method} is not there to wrap`);
  }
  Reflect.set(prototype, method, function counted(this: unknown, ...args: unknown[]): unknown {
    counts[key]++;
    return Reflect.apply(original, this, args);
  });
  restore.push(() => Reflect.set(prototype, method, original));
}

function snapshot(): Counts {
  return { ...counts };
}

function since(before: Counts): Counts {
  const after = snapshot();
  return {
    dispatchWorkgroups: after.dispatchWorkgroups - before.dispatchWorkgroups,
    submit: after.submit - before.submit,
    createBuffer: after.createBuffer - before.createBuffer,
    createBindGroup: after.createBindGroup - before.createBindGroup,
    mapAsync: after.mapAsync - before.mapAsync,
  };
}

let backend: GpuBackend;

beforeAll(async () => {
  backend = await createGpuBackend({ mode: 'webgpu' });
  expect(backend.mode).toBe('webgpu');
  count('GPUComputePassEncoder', 'dispatchWorkgroups', 'dispatchWorkgroups');
  count('GPUQueue', 'submit', 'submit');
  count('GPUDevice', 'createBuffer', 'createBuffer');
  count('GPUDevice', 'createBindGroup', 'createBindGroup');
  count('GPUBuffer', 'mapAsync', 'mapAsync');
});

afterAll(() => {
  for (const undo of restore) undo();
  setBackend(new CpuBackend());
  backend.destroy();
});

/** A model, optimiser and step in `mode`, and a function that trains one batch (nothing read back). */
function trainer(mode: StepMode): { step: () => void; metrics: () => Tensor; dispose: () => void } {
  setBackend(backend);
  const rng = new Rng(3);
  const model = getModelSpec('lenet5').build(rng.derive('layers'));
  initWeights(model, rng.derive('xavier'));
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.9 });
  const trainingStep = new TrainingStep(model, optimizer, mode);
  const images = Float32Array.from({ length: BATCH * 784 }, (_, i) => (i % 97) / 97);
  const labels = Float32Array.from({ length: BATCH }, (_, n) => n % 10);
  let sums = tensor(Float32Array.of(0, 0), [2]);
  return {
    step: () => {
      const x = tensor(images, [BATCH, 1, 28, 28]);
      const y = tensor(labels, [BATCH]);
      const next = trainingStep.run(x, y, sums);
      sums.dispose();
      sums = next;
      x.dispose();
      y.dispose();
    },
    metrics: () => sums,
    dispose: () => {
      sums.dispose();
      optimizer.zeroGrad();
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** Per-step counts of `mode` once warm: 4 warm-up steps and a read, then 5 steps and a read. */
async function measure(mode: StepMode): Promise<{ perStep: Counts[]; read: Counts }> {
  const run = trainer(mode);
  try {
    for (let i = 0; i < 4; i++) run.step();
    await run.metrics().data();
    const perStep: Counts[] = [];
    for (let i = 0; i < 5; i++) {
      const before = snapshot();
      run.step();
      perStep.push(since(before));
    }
    const beforeRead = snapshot();
    const [lossSum, correct] = await run.metrics().data();
    expect(Number.isFinite(lossSum) && correct >= 0, 'the metrics read back are numbers').toBe(true);
    return { perStep, read: since(beforeRead) };
  } finally {
    run.dispose();
  }
}

describe('WebGPU calls of one training step (d2l LeNet, batch 256)', () => {
  it('compiled: one submission, no buffer created, nothing read back between reports, one read-back per report', async () => {
    const { perStep, read } = await measure('compiled');
    for (const [i, step] of perStep.entries()) {
      expect(step.submit, `step ${i + 1}: submissions (exactly one per compiled step)`).toBe(1);
      expect(step.createBuffer, `step ${i + 1}: buffers created`).toBe(0);
      expect(step.mapAsync, `step ${i + 1}: read-backs`).toBe(0);
      expect(step.dispatchWorkgroups, `step ${i + 1}: ${LAUNCHES_MESSAGE}`).toBe(KERNEL_LAUNCHES_PER_COMPILED_STEP);
    }
    // bind groups are cached: once the pools cycle, at most a few are new in a step
    expect(perStep.at(-1)?.createBindGroup ?? 99, 'bind groups made in the last step').toBeLessThanOrEqual(2);
    expect(read.mapAsync, 'a report reads back once').toBe(1);
    expect(read.submit, 'and submits once (the copy)').toBe(1);
    expect(read.createBuffer, 'from the staging pool').toBe(0);
  });

  it('eager: the same submissions, but every op its own kernels (more launches than compiled)', async () => {
    const eager = await measure('eager');
    const compiled = await measure('compiled');
    const launches = (m: { perStep: Counts[] }): number => m.perStep[0].dispatchWorkgroups;
    expect(eager.perStep.every((step) => step.submit === 1 && step.createBuffer === 0 && step.mapAsync === 0)).toBe(true);
    expect(launches(eager)).toBeGreaterThan(launches(compiled));
  });
});
