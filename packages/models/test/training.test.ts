import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuBackend } from '@lenet/backend-cpu';
import { setBackend } from '@lenet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTrainCommand } from '../src/cli/train-command.js';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import type { ImageClassificationData } from '../src/data/image-classification-data.js';
import { readSafetensors } from '../src/io/safetensors-file.js';
import { MODEL_NAMES } from '../src/models/registry.js';
import { readCheckpoint } from '../src/training/checkpoint.js';
import type { EpochMetrics } from '../src/training/epoch-metrics.js';
import { train } from '../src/training/train.js';
import { collectOutput } from './helpers/collect-output.js';
import { deterministic, TINY_SETTINGS } from './helpers/tiny-run.js';

/** A tiny run: 3 steps of 8 examples per epoch, 16 test examples, on the CPU backend. */
const TINY = ['--backend', 'cpu', '--limit', '24', '--batch-size', '8', '--test-limit', '16', '--seed', '7'];

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'lenet-training-')), 'run');
}

/** The optimiser state files of a run, sorted. */
function optimizerFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('optimizer'))
    .sort();
}

function metricsFile(dir: string): EpochMetrics[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as EpochMetrics);
}

let data: ImageClassificationData;
beforeAll(() => {
  data = loadFashionMnist();
  setBackend(new CpuBackend());
});

describe('resume after an interrupted run', () => {
  it('gives the same metrics and bit-identical weights as an uninterrupted run', async () => {
    const straight = freshDir();
    expect(await runTrainCommand([...TINY, '--epochs', '3', '--out', straight], { io: collectOutput().io })).toBe(0);

    // Interrupted in the middle of epoch 3 (as Ctrl-C would), then resumed by the CLI.
    const resumed = freshDir();
    const controller = new AbortController();
    const outcome = await train({
      settings: TINY_SETTINGS,
      epochs: 3,
      data,
      outDir: resumed,
      signal: controller.signal,
      progressIntervalMs: 0, // a report after every step, so the abort lands after step 2
      events: {
        onStep: (step) => {
          if (step.epoch === 3 && step.step === 2) controller.abort();
        },
      },
    });
    expect(outcome).toMatchObject({ status: 'interrupted', epoch: 3, step: 2 });
    expect(readCheckpoint(join(resumed, 'model.safetensors')).info.epoch).toBe(2);
    const output = collectOutput();
    expect(await runTrainCommand([...TINY, '--epochs', '3', '--out', resumed, '--resume'], { io: output.io })).toBe(0);
    expect(output.stdout()).toContain('resuming at epoch 3');

    expect(deterministic(metricsFile(resumed))).toEqual(deterministic(metricsFile(straight)));
    const a = readSafetensors(join(straight, 'model.safetensors'));
    const b = readSafetensors(join(resumed, 'model.safetensors'));
    expect([...b.tensors.keys()]).toEqual([...a.tensors.keys()]);
    for (const [name, tensor] of a.tensors) expect(b.tensors.get(name)?.data, name).toEqual(tensor.data);
    expect(b.metadata.epoch).toBe('3');
    // The weights really changed between epochs 2 and 3, so the comparison above means something.
    expect(metricsFile(straight)[2].trainLoss).not.toBe(metricsFile(straight)[1].trainLoss);
  });

  it("refuses to resume with a different seed, and to overwrite a run without --resume; resumes with the checkpoint's lr", async () => {
    const dir = freshDir();
    expect(await runTrainCommand([...TINY, '--epochs', '1', '--lr', '0.5', '--out', dir], { io: collectOutput().io })).toBe(0);
    const otherSeed = collectOutput();
    expect(await runTrainCommand([...TINY, '--seed', '8', '--epochs', '2', '--out', dir, '--resume'], { io: otherSeed.io })).toBe(2);
    expect(otherSeed.stderr()).toMatch(/cannot resume with different settings \(seed: checkpoint 7, now 8\)/);
    const again = collectOutput();
    expect(await runTrainCommand([...TINY, '--epochs', '1', '--out', dir], { io: again.io })).toBe(2);
    expect(again.stderr()).toMatch(/already holds a run .*pass --resume/);
    const sameSettings = collectOutput();
    expect(await runTrainCommand([...TINY, '--epochs', '1', '--out', dir, '--resume'], { io: sameSettings.io })).toBe(0);
    expect(sameSettings.stdout()).toContain('lr 0.5, batch size 8');
    expect(sameSettings.stdout()).toContain('nothing to do: the checkpoint already has 1 epochs');
  });

  it("uses the model's learning rate when --lr is not given", async () => {
    const output = collectOutput();
    expect(
      await runTrainCommand([...TINY, '--model', 'lenet5-classic', '--epochs', '1', '--limit', '8', '--out', freshDir()], {
        io: output.io,
      }),
    ).toBe(0);
    expect(output.stdout()).toContain('lr 0.001, batch size 8');
  });
});

describe('resume with momentum', () => {
  it('restores the SGD momentum buffers from optimizer-<epoch>.safetensors: same weights as a straight run', async () => {
    const withMomentum = [...TINY, '--momentum', '0.5', '--lr', '0.3'];
    const straight = freshDir();
    expect(await runTrainCommand([...withMomentum, '--epochs', '2', '--out', straight], { io: collectOutput().io })).toBe(0);
    const resumed = freshDir();
    expect(await runTrainCommand([...withMomentum, '--epochs', '1', '--out', resumed], { io: collectOutput().io })).toBe(0);
    const optimizerState = readSafetensors(join(resumed, 'optimizer-1.safetensors'));
    expect(optimizerState.metadata.epoch).toBe('1');
    expect(optimizerFiles(resumed)).toEqual(['optimizer-1.safetensors']);
    expect([...optimizerState.tensors.keys()].slice(0, 2)).toEqual(['momentum.0.weight', 'momentum.0.bias']);
    expect(await runTrainCommand([...withMomentum, '--epochs', '2', '--out', resumed, '--resume'], { io: collectOutput().io })).toBe(0);
    const a = readSafetensors(join(straight, 'model.safetensors'));
    const b = readSafetensors(join(resumed, 'model.safetensors'));
    for (const [name, tensor] of a.tensors) expect(b.tensors.get(name)?.data, name).toEqual(tensor.data);
  });

  it('resumes exactly after a crash between writing the optimiser state and the model checkpoint', async () => {
    const withMomentum = [...TINY, '--momentum', '0.5', '--lr', '0.3'];
    const straight = freshDir();
    expect(await runTrainCommand([...withMomentum, '--epochs', '2', '--out', straight], { io: collectOutput().io })).toBe(0);
    expect(optimizerFiles(straight)).toEqual(['optimizer-2.safetensors']);

    // The crash: epoch 2's optimiser state is on disk (the very file the straight run wrote), the
    // model checkpoint still holds epoch 1.
    const crashed = freshDir();
    expect(await runTrainCommand([...withMomentum, '--epochs', '1', '--out', crashed], { io: collectOutput().io })).toBe(0);
    copyFileSync(join(straight, 'optimizer-2.safetensors'), join(crashed, 'optimizer-2.safetensors'));
    expect(readCheckpoint(join(crashed, 'model.safetensors')).info.epoch).toBe(1);
    expect(optimizerFiles(crashed)).toEqual(['optimizer-1.safetensors', 'optimizer-2.safetensors']);

    const output = collectOutput();
    expect(await runTrainCommand([...withMomentum, '--epochs', '2', '--out', crashed, '--resume'], { io: output.io })).toBe(0);
    expect(output.stdout()).toContain('resuming at epoch 2');
    const a = readSafetensors(join(straight, 'model.safetensors'));
    const b = readSafetensors(join(crashed, 'model.safetensors'));
    expect(b.metadata.epoch).toBe('2');
    for (const [name, tensor] of a.tensors) expect(b.tensors.get(name)?.data, name).toEqual(tensor.data);
    const momentumA = readSafetensors(join(straight, 'optimizer-2.safetensors'));
    const momentumB = readSafetensors(join(crashed, 'optimizer-2.safetensors'));
    for (const [name, tensor] of momentumA.tensors) expect(momentumB.tensors.get(name)?.data, name).toEqual(tensor.data);
    expect(optimizerFiles(crashed)).toEqual(['optimizer-2.safetensors']);
  });
});

describe('a loss that becomes NaN or infinite', () => {
  it('stops with exit code 3, suggests a smaller learning rate and keeps the last good checkpoint', async () => {
    const dir = freshDir();
    expect(await runTrainCommand([...TINY, '--epochs', '1', '--out', dir], { io: collectOutput().io })).toBe(0);
    const good = readSafetensors(join(dir, 'model.safetensors'));

    const output = collectOutput();
    const code = await runTrainCommand([...TINY, '--epochs', '3', '--out', dir, '--resume', '--lr', '1e38'], { io: output.io });
    expect(code).toBe(3);
    expect(output.stderr()).toMatch(/the training loss became (NaN|-?Infinity) at epoch 2, step \d/);
    expect(output.stderr()).toMatch(/Try a smaller learning rate, e\.g\. --lr 1e\+37/);
    expect(output.stderr()).toContain(`The last good checkpoint (epoch 1) is kept in ${join(dir, 'model.safetensors')}`);

    const kept = readSafetensors(join(dir, 'model.safetensors'));
    expect(kept.metadata.epoch).toBe('1');
    for (const [name, tensor] of good.tensors) expect(kept.tensors.get(name)?.data, name).toEqual(tensor.data);
    expect(metricsFile(dir)).toHaveLength(1);
  });

  it('keeps the initial weights (epoch 0) when the very first epoch diverges', async () => {
    const dir = freshDir();
    const output = collectOutput();
    expect(await runTrainCommand([...TINY, '--epochs', '1', '--out', dir, '--lr', '1e38'], { io: output.io })).toBe(3);
    expect(output.stderr()).toContain('The last good checkpoint (epoch 0, the initial weights)');
    expect(readCheckpoint(join(dir, 'model.safetensors')).info.epoch).toBe(0);
  });
});

describe('the training loop', () => {
  it('averages loss and accuracy over the epoch as d2l does, with the same live buffers after every step', async () => {
    const dir = freshDir();
    const backend = new CpuBackend();
    setBackend(backend);
    const steps: Array<{ loss: number; trainLoss: number; trainAcc: number; buffers: number }> = [];
    const outcome = await train({
      settings: TINY_SETTINGS,
      epochs: 2,
      data,
      outDir: dir,
      progressIntervalMs: 0, // read the metrics back after every step
      events: { onStep: (step) => steps.push({ ...step, buffers: backend.liveBuffers() }) },
    });
    expect(outcome.status).toBe('completed');
    expect(steps).toHaveLength(6);
    // d2l's Accumulator: Σ loss·n / Σ n over the epoch (equal batches of 8 here, so the plain mean).
    const epoch1 = steps.slice(0, 3);
    expect(outcome.history[0].trainLoss).toBeCloseTo((epoch1[0].loss + epoch1[1].loss + epoch1[2].loss) / 3, 6);
    expect(outcome.history[0].trainAcc).toBe(epoch1[2].trainAcc);
    expect(outcome.history[0].examples).toBe(24);
    expect(outcome.history[0].examplesPerSec).toBeCloseTo(24 / outcome.history[0].trainSeconds, 6);
    // After the first step (which creates the gradients), every step ends with the same live buffers.
    expect(new Set(steps.slice(1).map((step) => step.buffers)).size).toBe(1);
    expect(metricsFile(dir).map((line) => line.epoch)).toEqual([1, 2]);
    const svg = readFileSync(join(dir, 'curves.svg'), 'utf8');
    expect(svg).toContain('train loss');
    expect(svg).toContain('test acc');
  });

  // train() builds the model and optimiser itself and disposes both before it returns, so every
  // buffer it made (parameters, gradients, momentum, and the models' own non-parameter buffers such
  // as ZeroPad2d's identity filter, MaskedConv2d's mask and EuclideanRbf's codes) must be gone.
  it.each(MODEL_NAMES)('leaves no buffers behind once it returns (%s, with momentum)', async (model) => {
    const backend = new CpuBackend();
    setBackend(backend);
    const before = backend.liveBuffers();
    let during = 0;
    const outcome = await train({
      settings: { ...TINY_SETTINGS, model, lr: 0.05, momentum: 0.9 },
      epochs: 1,
      data,
      outDir: freshDir(),
      events: {
        onStep: () => {
          during = backend.liveBuffers();
        },
      },
    });
    expect(outcome.status).toBe('completed');
    expect(during).toBeGreaterThan(before);
    expect(backend.liveBuffers()).toBe(before);
  });
});
