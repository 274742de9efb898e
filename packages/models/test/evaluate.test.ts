import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEvaluateCommand } from '../src/cli/evaluate-command.js';
import { runTrainCommand } from '../src/cli/train-command.js';
import { FASHION_MNIST_CLASS_NAMES } from '../src/data/fashion-mnist-classes.js';
import { confusionMatrix, formatConfusionMatrix } from '../src/evaluation/confusion-matrix.js';
import { argmaxRows, countCorrect } from '../src/evaluation/accuracy.js';
import { collectOutput } from './helpers/collect-output.js';

describe('accuracy helpers', () => {
  it('argmax per row takes the first maximum and never a NaN', () => {
    expect(Array.from(argmaxRows(Float32Array.of(0.1, 2, -1, 5, 5, 0, NaN, -3, -2), 3))).toEqual([1, 0, 2]);
    expect(countCorrect([1, 0, 2, 2], [1, 1, 2, 0])).toBe(2);
    expect(() => argmaxRows(new Float32Array(7), 3)).toThrow(/7 logits cannot be split into rows of 3/);
  });
});

describe('confusion matrix', () => {
  it('counts true class by predicted class', () => {
    const counts = confusionMatrix([0, 2, 2, 1, 0, 2], [0, 2, 1, 1, 2, 2], 3);
    expect(counts).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/example 1 has label 1 and prediction 3/);
  });

  it('prints class names, counts and recall per class', () => {
    const text = formatConfusionMatrix(
      [
        [3, 1],
        [0, 0],
      ],
      ['Sandal', 'Bag'],
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^true \\ predicted\s+0\s+1\s+recall$/);
    expect(lines[1]).toMatch(/^0 Sandal\s+3\s+1\s+0\.750$/);
    expect(lines[2]).toMatch(/^1 Bag\s+0\s+0\s+-$/);
    expect(lines[3]).toBe('columns: 0 = Sandal, 1 = Bag');
  });
});

describe('evaluate --misclassified', () => {
  it('writes a PNG of misclassified examples and lists their captions; the matrix names the classes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lenet-eval-')), 'run');
    expect(
      await runTrainCommand(
        ['--backend', 'cpu', '--limit', '16', '--batch-size', '8', '--test-limit', '24', '--epochs', '1', '--out', out],
        { io: collectOutput().io },
      ),
    ).toBe(0);
    const picture = join(out, 'wrong.png');
    const output = collectOutput();
    const code = await runEvaluateCommand(
      ['--checkpoint', join(out, 'model.safetensors'), '--backend', 'cpu', '--misclassified', picture, '--misclassified-count', '5'],
      { io: output.io },
    );
    expect(code).toBe(0);
    const text = output.stdout();
    for (const name of FASHION_MNIST_CLASS_NAMES) expect(text).toContain(name);
    const wrong = /wrote (\d+) misclassified examples/.exec(text);
    expect(Number(wrong?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/ 1\. #\d+ true: [A-Za-z/ -]+, predicted: [A-Za-z/ -]+/);
    const png = readFileSync(picture);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
