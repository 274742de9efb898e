/**
 * Issue 4, "must show" 2: the same seed and data on `--backend cpu` and `--backend gpu` give the same
 * first 20 step losses, within float32 tolerance. The GPU backend runs in webasm mode (WebAssembly,
 * no GPU needed) and in webgpu mode (Dawn; on a machine without a GPU, Mesa's llvmpipe).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuBackend } from '@lenet/backend-cpu';
import { createGpuBackend, type ConcreteGpuMode } from '@lenet/backend-gpu';
import { setBackend } from '@lenet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import type { ImageClassificationData } from '../src/data/image-classification-data.js';
import type { RunSettings } from '../src/training/checkpoint-metadata.js';
import { train } from '../src/training/train.js';

const STEPS = 20;
/** 20 steps of 8 examples; the test accuracy after the epoch on 8 examples. */
const SETTINGS: RunSettings = {
  model: 'lenet5',
  seed: 12,
  batchSize: 8,
  lr: 0.9,
  momentum: 0,
  dataset: 'fashion-mnist',
  trainExamples: 8 * STEPS,
  testExamples: 8,
};
/**
 * |gpu − cpu| ≤ TOLERANCE · max(1, |cpu|) for every step: float32 rounding, compounded over 20 SGD
 * steps (measured: at most 2.4e-7 in webasm mode and 4.8e-7 in webgpu mode).
 */
const TOLERANCE = 1e-4;

let data: ImageClassificationData;
let cpuLosses: number[];

async function stepLosses(settings: RunSettings): Promise<number[]> {
  const losses: number[] = [];
  const outcome = await train({
    settings,
    epochs: 1,
    data,
    outDir: join(mkdtempSync(join(tmpdir(), 'lenet-parity-')), 'run'),
    progressIntervalMs: 0, // every step's loss
    events: { onStep: (step) => losses.push(step.loss) },
  });
  expect(outcome.status).toBe('completed');
  return losses;
}

beforeAll(async () => {
  data = loadFashionMnist();
  setBackend(new CpuBackend());
  cpuLosses = await stepLosses(SETTINGS);
});

describe.each<ConcreteGpuMode>(['webasm', 'webgpu'])('cpu vs gpu (%s): the first 20 step losses', (mode) => {
  it('agree within float32 tolerance', async () => {
    const backend = await createGpuBackend({ mode });
    expect(backend.mode).toBe(mode);
    setBackend(backend);
    try {
      const gpuLosses = await stepLosses(SETTINGS);
      expect(gpuLosses).toHaveLength(STEPS);
      expect(cpuLosses).toHaveLength(STEPS);
      gpuLosses.forEach((loss, step) => {
        expect(Math.abs(loss - cpuLosses[step]), `step ${step + 1}: gpu ${loss}, cpu ${cpuLosses[step]}`).toBeLessThanOrEqual(
          TOLERANCE * Math.max(1, Math.abs(cpuLosses[step])),
        );
      });
      // The losses move, so agreeing is not trivial.
      expect(new Set(cpuLosses.map((loss) => loss.toFixed(4))).size).toBeGreaterThan(10);
    } finally {
      setBackend(new CpuBackend());
      backend.destroy();
    }
  });
});
