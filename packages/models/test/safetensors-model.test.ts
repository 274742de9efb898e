import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuBackend } from '@lenet/backend-cpu';
import { nn, noGrad, Rng, setBackend, tensor } from '@lenet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEvaluateCommand } from '../src/cli/evaluate-command.js';
import { runTrainCommand } from '../src/cli/train-command.js';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import { predict } from '../src/evaluation/predict.js';
import { encodeSafetensors, type TensorData } from '../src/io/safetensors.js';
import { readSafetensors, writeSafetensors } from '../src/io/safetensors-file.js';
import { getModelSpec, isModelName } from '../src/models/registry.js';
import type { EpochMetrics } from '../src/training/epoch-metrics.js';
import { collectOutput } from './helpers/collect-output.js';

beforeAll(() => setBackend(new CpuBackend()));

describe('model.safetensors', () => {
  it('loads back and gives the same test accuracy (evaluate CLI vs the run’s own last epoch)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lenet-st-')), 'run');
    const args = [
      '--backend',
      'cpu',
      '--model',
      'lenet5-modern',
      '--limit',
      '32',
      '--batch-size',
      '8',
      '--test-limit',
      '40',
      '--epochs',
      '2',
      '--lr',
      '0.1',
      '--out',
      out,
    ];
    expect(await runTrainCommand(args, { io: collectOutput().io })).toBe(0);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]) as EpochMetrics;

    const evaluation = collectOutput();
    expect(await runEvaluateCommand(['--checkpoint', join(out, 'model.safetensors'), '--backend', 'cpu'], { io: evaluation.io })).toBe(0);
    const printed = /test accuracy (\d\.\d{4}) \((\d+) of 40\)/.exec(evaluation.stdout());
    expect(printed).not.toBeNull();
    expect(Number(printed?.[2])).toBe(Math.round(last.testAcc * 40));
    expect(Number(printed?.[1])).toBeCloseTo(last.testAcc, 4);

    // The loaded weights decide the predictions: the same network with its untrained weights predicts otherwise.
    const data = loadFashionMnist();
    const trained = getModelSpec('lenet5-modern').build(new Rng(0));
    trained.loadStateDict(readSafetensors(join(out, 'model.safetensors')).tensors, 'run');
    const fromFile = await predict(trained, data.test, { limit: 40 });
    const untrained = await predict(getModelSpec('lenet5-modern').build(new Rng(0)), data.test, { limit: 40 });
    expect(fromFile.accuracy).toBeCloseTo(last.testAcc, 10);
    expect(Array.from(fromFile.predicted)).not.toEqual(Array.from(untrained.predicted));
    expect(new Set(fromFile.predicted).size).toBeGreaterThan(1);
  });

  it("evaluates weights saved by another library (a bare state_dict in PyTorch's layout, written here by our writer; a file PyTorch itself wrote is in pytorch-fixture.test.ts) given --model", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lenet-st-'));
    const out = join(dir, 'run');
    expect(
      await runTrainCommand(
        ['--backend', 'cpu', '--limit', '32', '--batch-size', '8', '--test-limit', '40', '--epochs', '1', '--out', out],
        { io: collectOutput().io },
      ),
    ).toBe(0);
    const ours = collectOutput();
    expect(
      await runEvaluateCommand(['--checkpoint', join(out, 'model.safetensors'), '--backend', 'cpu', '--limit', '40'], { io: ours.io }),
    ).toBe(0);
    const ourAccuracy = /test accuracy (\d\.\d{4})/.exec(ours.stdout())?.[1];
    expect(ourAccuracy).toBeDefined();

    // What safetensors.torch.save_file(net.state_dict(), path) writes: the tensors and no LeNet.ts metadata.
    const foreign = join(dir, 'pytorch.safetensors');
    writeSafetensors(foreign, readSafetensors(join(out, 'model.safetensors')).tensors, { format: 'pt' });

    const withoutModel = collectOutput();
    expect(await runEvaluateCommand(['--checkpoint', foreign, '--backend', 'cpu', '--limit', '40'], { io: withoutModel.io })).toBe(2);
    expect(withoutModel.stderr()).toMatch(
      /pytorch\.safetensors: .*not written by the train command.*pass --model \(lenet5, lenet5-modern, lenet5-classic\)/,
    );

    const withModel = collectOutput();
    expect(
      await runEvaluateCommand(['--checkpoint', foreign, '--model', 'lenet5', '--backend', 'cpu', '--limit', '40'], { io: withModel.io }),
    ).toBe(0);
    expect(withModel.stdout()).toContain('lenet5 (weights from another library)');
    expect(/test accuracy (\d\.\d{4})/.exec(withModel.stdout())?.[1]).toBe(ourAccuracy);

    // A LeNet.ts checkpoint says which network it holds: --model may not contradict it (lenet5 and
    // lenet5-modern have the same tensor names and shapes, so the weights would load silently).
    const contradicted = collectOutput();
    expect(
      await runEvaluateCommand(['--checkpoint', join(out, 'model.safetensors'), '--model', 'lenet5-modern', '--backend', 'cpu'], {
        io: contradicted.io,
      }),
    ).toBe(2);
    expect(contradicted.stderr()).toMatch(/holds lenet5 weights, but --model asks for lenet5-modern/);
  });

  it("holds exactly PyTorch's state_dict of the d2l Sequential: names, order, layouts; metadata says what it is", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lenet-st-')), 'run');
    expect(
      await runTrainCommand(
        ['--backend', 'cpu', '--limit', '8', '--batch-size', '8', '--test-limit', '8', '--epochs', '1', '--seed', '3', '--out', out],
        { io: collectOutput().io },
      ),
    ).toBe(0);
    const file = readSafetensors(join(out, 'model.safetensors'));
    expect([...file.tensors].map(([name, t]) => [name, t.shape])).toEqual([
      ['0.weight', [6, 1, 5, 5]],
      ['0.bias', [6]],
      ['3.weight', [16, 6, 5, 5]],
      ['3.bias', [16]],
      ['7.weight', [120, 400]],
      ['7.bias', [120]],
      ['9.weight', [84, 120]],
      ['9.bias', [84]],
      ['11.weight', [10, 84]],
      ['11.bias', [10]],
    ]);
    expect(file.metadata).toMatchObject({
      format: 'pt',
      model: 'lenet5',
      epoch: '1',
      seed: '3',
      batch_size: '8',
      lr: '0.9',
      dataset: 'fashion-mnist',
    });
  });

  it('uses the [out, in, kh, kw] layout with PyTorch’s cross-correlation: one weight at (k=2, u=0, v=4) shifts the image', async () => {
    const model = getModelSpec('lenet5').build(new Rng(0));
    const saved = await model.stateDict();
    const weight = new Float32Array(6 * 25);
    weight[2 * 25 + 0 * 5 + 4] = 1; // filter 2, row u = 0, column v = 4
    saved.set('0.weight', { shape: [6, 1, 5, 5], data: weight });
    saved.set('0.bias', { shape: [6], data: new Float32Array(6) });
    model.loadStateDict(saved, 'test');
    const image = Float32Array.from({ length: 28 * 28 }, (_, i) => (i % 97) / 97);
    const conv = model.layers[0];
    const z = await noGrad(() => conv.call(tensor(image, [1, 1, 28, 28]))).data();
    // padding 2: z[2](y, x) = image(y + 0 − 2, x + 4 − 2)
    for (const [y, x] of [
      [2, 0],
      [10, 7],
      [27, 25],
    ])
      expect(z[2 * 784 + y * 28 + x]).toBeCloseTo(image[(y - 2) * 28 + (x + 2)], 6);
    expect(z[2 * 784 + 0 * 28 + 5]).toBe(0); // reads row −2: padding
    expect(z[2 * 784 + 5 * 28 + 27]).toBe(0); // reads column 29: padding
  });

  it('round-trips lenet5-classic with its buffers (C3 mask, RBF codes): same predictions', async () => {
    const data = loadFashionMnist();
    const original = getModelSpec('lenet5-classic').build(new Rng(21));
    const saved = await original.stateDict();
    expect([...saved.keys()].filter((name) => !name.endsWith('weight') && !name.endsWith('bias') && !name.endsWith('coefficient'))).toEqual(
      ['5.mask', '14.codes'],
    );
    const restored = getModelSpec('lenet5-classic').build(new Rng(99));
    restored.loadStateDict(saved, 'memory');
    const a = await predict(original, data.test, { limit: 24, batchSize: 12 });
    const b = await predict(restored, data.test, { limit: 24, batchSize: 12 });
    expect(Array.from(b.predicted)).toEqual(Array.from(a.predicted));
  });

  it('re-encodes every recorded checkpoint byte for byte once loaded: names, order and layouts as they were written', async () => {
    const runs = fileURLToPath(new URL('../runs-recorded/', import.meta.url));
    const checkpoints = readdirSync(runs)
      .map((run) => join(runs, run, 'model.safetensors'))
      .filter((path) => existsSync(path));
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const path of checkpoints) {
      const file = readSafetensors(path);
      const modelName = file.metadata.model ?? '';
      if (!isModelName(modelName)) throw new Error(`${path}: metadata 'model' is '${modelName}'`);
      const model = getModelSpec(modelName).build(new Rng(1));
      model.loadStateDict(file.tensors, path);
      const again = encodeSafetensors(await model.stateDict(), file.metadata);
      expect(Buffer.compare(Buffer.from(again), readFileSync(path)), path).toBe(0);
      model.dispose();
    }
  });

  it('refuses weights that do not fit, listing every problem', async () => {
    const model = getModelSpec('lenet5').build(new Rng(0));
    const saved = new Map<string, TensorData>(await model.stateDict());
    saved.delete('9.bias');
    saved.set('7.weight', { shape: [400, 120], data: new Float32Array(48_000) });
    saved.set('12.weight', { shape: [1], data: new Float32Array(1) });
    expect(() => model.loadStateDict(saved, 'other.safetensors')).toThrow(nn.StateDictMismatchError);
    expect(() => model.loadStateDict(saved, 'other.safetensors')).toThrow(
      "other.safetensors: the saved weights do not fit the model: '7.weight' has shape [400,120] but the model's is [120,400]; missing '9.bias' [84]; unexpected '12.weight'",
    );
  });
});
