/**
 * The run store (src/training/run-store.ts): the one owner of a run directory. What the training
 * tests do not show directly: the checkpoint is read once, when the run is opened; the learning rate
 * on resume; and the refusals, each of which gives the directory back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuBackend } from '@lenet/backend-cpu';
import { optim, Rng, setBackend } from '@lenet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { getModelSpec } from '../src/models/registry.js';
import type { RunSettings } from '../src/training/checkpoint-metadata.js';
import { openRun, TrainingSetupError, type RunRequest } from '../src/training/run-store.js';

const REQUEST: RunRequest = {
  model: 'lenet5',
  seed: 3,
  batchSize: 8,
  momentum: 0,
  dataset: 'fashion-mnist',
  trainExamples: 16,
  testExamples: 8,
};

beforeAll(() => setBackend(new CpuBackend()));

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'lenet-run-store-')), 'run');
}

/** A run directory holding the epoch-0 checkpoint of lenet5 with `settings`; returns the saved weights. */
async function startedRun(dir: string, settings: RunSettings): Promise<Map<string, Float32Array>> {
  const run = openRun(dir, { resume: false });
  const model = getModelSpec(settings.model).build(new Rng(1));
  const optimizer = new optim.SGD(model.parameters(), { lr: settings.lr });
  try {
    await run.start({ settings, model, optimizer, epochs: 2 });
    return new Map([...(await model.stateDict())].map(([name, entry]) => [name, Float32Array.from(entry.data)]));
  } finally {
    optimizer.dispose();
    model.dispose();
    run.release();
  }
}

describe('openRun', () => {
  it('reads the checkpoint to resume once, when the run is opened', async () => {
    const dir = freshDir();
    const saved = await startedRun(dir, { ...REQUEST, lr: 0.25 });
    const run = openRun(dir, { resume: true });
    try {
      rmSync(run.paths.checkpoint); // start() must not need the file any more
      const settings = run.settingsFor(REQUEST);
      const model = getModelSpec('lenet5').build(new Rng(99)); // other initial weights
      const optimizer = new optim.SGD(model.parameters(), { lr: settings.lr });
      const before = await model.stateDict();
      expect(Array.from(before.get('0.weight')?.data ?? [])).not.toEqual(Array.from(saved.get('0.weight') ?? []));
      await run.start({ settings, model, optimizer, epochs: 2 });
      const loaded = await model.stateDict();
      for (const [name, data] of saved) expect(Array.from(loaded.get(name)?.data ?? []), name).toEqual(Array.from(data));
      optimizer.dispose();
      model.dispose();
    } finally {
      run.release();
    }
  });

  it("chooses the learning rate: the one asked for, else the checkpoint's on resume, else the model's", async () => {
    const dir = freshDir();
    await startedRun(dir, { ...REQUEST, lr: 0.25 });
    const resumed = openRun(dir, { resume: true });
    expect(resumed.settingsFor(REQUEST).lr).toBe(0.25);
    expect(resumed.settingsFor({ ...REQUEST, lr: 0.5 }).lr).toBe(0.5);
    resumed.release();
    const fresh = openRun(freshDir(), { resume: false });
    expect(fresh.settingsFor(REQUEST).lr).toBe(getModelSpec('lenet5').defaultLr);
    expect(fresh.settingsFor({ ...REQUEST, model: 'lenet5-classic' }).lr).toBe(0.001);
    fresh.release();
  });

  it('refuses other settings on resume, a fresh run over a checkpoint and a resume with none, and gives the directory back', async () => {
    const dir = freshDir();
    await startedRun(dir, { ...REQUEST, lr: 0.25 });
    const resumed = openRun(dir, { resume: true });
    expect(() => resumed.settingsFor({ ...REQUEST, batchSize: 16 })).toThrow(
      /cannot resume with different settings \(batchSize: checkpoint 8, now 16\)/,
    );
    resumed.release();
    expect(() => openRun(dir, { resume: false })).toThrow(TrainingSetupError);
    expect(() => openRun(dir, { resume: false })).toThrow(/already holds a run/);
    expect(() => openRun(freshDir(), { resume: true })).toThrow(/nothing to resume/);
    openRun(dir, { resume: true }).release(); // the lock was given back each time
  });
});
