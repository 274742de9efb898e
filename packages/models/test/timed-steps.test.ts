/**
 * The benchmark's timed loop (`timed-steps.ts`), which LeNet.ts in Node, the TensorFlow.js peer and
 * the browser benchmark's page all run: each step gets its own batch, in order; the clock holds the
 * step and nothing else; the hook runs before the step, outside the clock; LeNet.ts's step on a host
 * batch frees the tensors it makes.
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { dispose, optim, setBackend, tensor } from '@lenet/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchNetwork } from '../src/bench/bench-network.js';
import { type StepBatch, type StepBatches, stepBatch, timeSteps, trainStepOnBatch } from '../src/bench/timed-steps.js';
import { trainStep } from '../src/bench/train-step.js';
import { TrainingStep } from '../src/training/training-step.js';

const PIXELS = 784;

/** `stepCount` steps of `batch` examples; every pixel and label is distinct, so a wrong slice shows. */
function batchesOf(stepCount: number, batch: number): StepBatches {
  return {
    batch,
    stepCount,
    images: Float32Array.from({ length: stepCount * batch * PIXELS }, (_, i) => i),
    labels: Float32Array.from({ length: stepCount * batch }, (_, i) => i),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stepBatch', () => {
  it("cuts step s's images [N,1,28,28] and labels [N] out of the run's", () => {
    const batches = batchesOf(3, 2);
    const { images, labels } = stepBatch(batches, 1);
    expect(images.length).toBe(2 * PIXELS);
    expect(images[0]).toBe(2 * PIXELS);
    expect(images[images.length - 1]).toBe(4 * PIXELS - 1);
    expect([...labels]).toEqual([2, 3]);
  });

  it('refuses a step outside the run, naming the range', () => {
    const batches = batchesOf(3, 2);
    expect(() => stepBatch(batches, 3)).toThrow('stepBatch: step 3 is not in 0..2');
    expect(() => stepBatch(batches, -1)).toThrow(RangeError);
    expect(() => stepBatch(batches, 0.5)).toThrow(RangeError);
  });
});

describe('timeSteps', () => {
  it("runs every step on its own batch in order and records each step's loss and time, the hook outside the clock", async () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const batches = batchesOf(3, 2);
    const seen: string[] = [];
    const { stepsMs, losses } = await timeSteps(
      batches,
      async (batch: StepBatch) => {
        const step = batch.labels[0] / 2;
        seen.push(`step ${step}`);
        now += 10 * (step + 1);
        return 100 + step;
      },
      (step) => {
        seen.push(`before ${step}`);
        now += 1000;
      },
    );
    expect(seen).toEqual(['before 0', 'step 0', 'before 1', 'step 1', 'before 2', 'step 2']);
    expect(stepsMs).toEqual([10, 20, 30]);
    expect(losses).toEqual([100, 101, 102]);
  });
});

describe('trainStepOnBatch', () => {
  it('gives the loss of trainStep on the same tensors and leaves no tensor behind', async () => {
    const backend = new CpuBackend();
    setBackend(backend);
    const batches = batchesOf(1, 2);
    const batch: StepBatch = {
      images: batches.images.map((value) => (value % 255) / 255),
      labels: Float32Array.of(3, 7),
    };
    const losses: number[] = [];
    for (const run of ['host batch', 'tensors'] as const) {
      const net = benchNetwork(0);
      const step = new TrainingStep(net, new optim.SGD(net.parameters(), { lr: 0.1 }), 'eager');
      if (run === 'host batch') {
        losses.push(await trainStepOnBatch(step, batch));
        // the first step makes the gradients' buffers; a second one must add nothing
        const live = backend.liveBuffers();
        await trainStepOnBatch(step, batch);
        expect(backend.liveBuffers()).toBe(live);
      } else {
        const images = tensor(batch.images, [2, 1, 28, 28]);
        const labels = tensor(batch.labels, [2]);
        losses.push(await trainStep(step, images, labels));
        dispose(images, labels);
      }
      dispose(...net.parameters());
    }
    expect(losses[0]).toBeGreaterThan(0);
    expect(losses[0]).toBe(losses[1]);
  });
});
