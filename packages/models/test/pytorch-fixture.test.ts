/**
 * A safetensors file that PyTorch wrote (not LeNet.ts's writer) loads here: names, shapes, dtypes
 * and values, and the loaded network computes what PyTorch computed. The fixture and the figures
 * it is checked against come from `fixtures/make-pytorch-fixture.py` (torch 1.13; see its
 * docstring for how the bytes are laid out).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CpuBackend } from '@lenet/backend-cpu';
import { noGrad, Rng, setBackend, tensor } from '@lenet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEvaluateCommand } from '../src/cli/evaluate-command.js';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import { scaleToUnitInterval } from '../src/data/idx-bytes.js';
import { readSafetensors } from '../src/io/safetensors-file.js';
import { getModelSpec } from '../src/models/registry.js';
import { collectOutput } from './helpers/collect-output.js';

const FIXTURE = fileURLToPath(new URL('fixtures/pytorch-lenet5.safetensors', import.meta.url));

/** What the script recorded from PyTorch alongside the file. */
interface Expected {
  readonly state_dict_order: readonly string[];
  readonly tensors: Readonly<
    Record<string, { readonly dtype: string; readonly shape: readonly number[]; readonly first: readonly number[]; readonly sum: number }>
  >;
  readonly images: number;
  readonly logits: readonly (readonly number[])[];
  readonly predicted: readonly number[];
  readonly accuracy_images: number;
  readonly correct: number;
}

const expected = JSON.parse(readFileSync(new URL('fixtures/pytorch-lenet5.expected.json', import.meta.url), 'utf8')) as Expected;

/** The JSON header of a safetensors file, parsed here independently of the reader under test. */
function rawHeader(path: string): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
}

beforeAll(() => setBackend(new CpuBackend()));

describe('a state_dict that PyTorch wrote (fixtures/pytorch-lenet5.safetensors)', () => {
  it('reads with the names, shapes, dtypes and values PyTorch recorded, in the file order safetensors uses', () => {
    const { tensors, metadata } = readSafetensors(FIXTURE);
    // safetensors.torch.save_file without metadata: no __metadata__, tensors sorted by name
    expect(metadata).toEqual({});
    expect(Object.keys(rawHeader(FIXTURE))).not.toContain('__metadata__');
    expect([...tensors.keys()]).toEqual([...expected.state_dict_order].sort());
    expect([...tensors.keys()]).not.toEqual(expected.state_dict_order);
    for (const [name, entry] of Object.entries(rawHeader(FIXTURE))) {
      expect(entry.dtype, name).toBe('F32');
    }
    for (const [name, recorded] of Object.entries(expected.tensors)) {
      const read = tensors.get(name);
      expect(read, name).toBeDefined();
      expect(read?.shape, name).toEqual(recorded.shape);
      expect(read?.data).toBeInstanceOf(Float32Array);
      // PyTorch's float32 values, printed as float64, are the float32 values read back exactly
      expect(Array.from(read?.data.subarray(0, recorded.first.length) ?? []), name).toEqual(recorded.first);
      const sum = Array.from(read?.data ?? []).reduce((total, value) => total + value, 0);
      expect(Math.abs(sum - recorded.sum), `${name}: Σ values`).toBeLessThan(1e-9 * Math.max(1, Math.abs(recorded.sum)) + 1e-12);
    }
  });

  it("loads into LeNet.ts's lenet5 under PyTorch's names and gives PyTorch's logits on Fashion-MNIST's first test images", async () => {
    const { tensors } = readSafetensors(FIXTURE);
    const net = getModelSpec('lenet5').build(new Rng(0));
    const names = net.namedParameters().map(([name]) => name);
    expect(names).toEqual(expected.state_dict_order);
    for (const [name, parameter] of net.namedParameters()) {
      const entry = tensors.get(name);
      if (entry === undefined) throw new Error(`the fixture has no '${name}'`);
      parameter.assign(tensor(entry.data, entry.shape));
    }
    net.eval();
    const images = scaleToUnitInterval(loadFashionMnist().test.images.subarray(0, expected.images * 28 * 28));
    const logits = await noGrad(() => net.call(tensor(images, [expected.images, 1, 28, 28]))).data();
    const classes = 10;
    for (let n = 0; n < expected.images; n += 1) {
      for (let c = 0; c < classes; c += 1) {
        const want = expected.logits[n][c];
        expect(Math.abs(logits[n * classes + c] - want), `logit [${n}, ${c}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want)));
      }
      const row = Array.from(logits.subarray(n * classes, (n + 1) * classes));
      expect(row.indexOf(Math.max(...row)), `image ${n}'s class`).toBe(expected.predicted[n]);
    }
  });

  it('is evaluated by `evaluate --model lenet5` to the accuracy PyTorch measured', async () => {
    const output = collectOutput();
    const code = await runEvaluateCommand(
      ['--checkpoint', FIXTURE, '--model', 'lenet5', '--backend', 'cpu', '--limit', String(expected.accuracy_images)],
      { io: output.io },
    );
    expect(code, output.stderr()).toBe(0);
    expect(output.stdout()).toContain('lenet5 (weights from another library)');
    expect(output.stdout()).toContain(`(${expected.correct} of ${expected.accuracy_images})`);
  }, 120_000);
});
