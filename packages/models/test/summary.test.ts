import { CpuBackend } from '@lenet/backend-cpu';
import { nn, Rng, setBackend } from '@lenet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lenet5Classic } from '../src/models/lenet5-classic.js';
import { lenet5Modern } from '../src/models/lenet5-modern.js';
import { lenet5 } from '../src/models/lenet5.js';
import { getModelSpec } from '../src/models/registry.js';
import { formatOutputShapes, formatSummary } from '../src/summary/format-summary.js';
import { summary } from '../src/summary/summary.js';

beforeAll(() => setBackend(new CpuBackend()));

function rowsByLabel(model: nn.Sequential, labels: Readonly<Record<string, string>>) {
  const result = summary(model, [1, 1, 28, 28], { labels });
  return { result, byLabel: new Map(result.rows.filter((row) => row.label !== '').map((row) => [row.label, row])) };
}

describe('summary of lenet5-classic (LeCun et al. 1998, section II-B)', () => {
  const spec = getModelSpec('lenet5-classic');

  it('reproduces the paper’s connection counts layer by layer', () => {
    const { byLabel } = rowsByLabel(lenet5Classic(new Rng(1)), spec.layerNames);
    // The paper: C1 122,304; S2 5,880; C3 151,600; S4 2,000; C5 48,120; F6 10,164.
    expect(byLabel.get('C1')?.connections).toBe(122_304);
    expect(byLabel.get('S2')?.connections).toBe(5_880);
    expect(byLabel.get('C3')?.connections).toBe(151_600);
    expect(byLabel.get('S4')?.connections).toBe(2_000);
    expect(byLabel.get('C5')?.connections).toBe(48_120);
    expect(byLabel.get('F6')?.connections).toBe(10_164);
  });

  it('reproduces the paper’s trainable parameter counts, 60,000 in all', () => {
    const { result, byLabel } = rowsByLabel(lenet5Classic(new Rng(1)), spec.layerNames);
    expect(byLabel.get('C1')?.parameters).toBe(156);
    expect(byLabel.get('S2')?.parameters).toBe(12);
    expect(byLabel.get('C3')?.parameters).toBe(1_516);
    expect(byLabel.get('S4')?.parameters).toBe(32);
    expect(byLabel.get('C5')?.parameters).toBe(48_120);
    expect(byLabel.get('F6')?.parameters).toBe(10_164);
    expect(byLabel.get('OUTPUT')?.parameters).toBe(0);
    expect(result.totalParameters).toBe(60_000);
    expect(result.totalConnections).toBe(340_908); // the paper: "340,908 connections"
  });

  it('gives the 32x32 input and the paper’s feature-map sizes', () => {
    const { byLabel } = rowsByLabel(lenet5Classic(new Rng(1)), spec.layerNames);
    expect(byLabel.get('INPUT')?.outputShape).toEqual([1, 1, 32, 32]);
    expect(byLabel.get('C1')?.outputShape).toEqual([1, 6, 28, 28]);
    expect(byLabel.get('S2')?.outputShape).toEqual([1, 6, 14, 14]);
    expect(byLabel.get('C3')?.outputShape).toEqual([1, 16, 10, 10]);
    expect(byLabel.get('S4')?.outputShape).toEqual([1, 16, 5, 5]);
    expect(byLabel.get('C5')?.outputShape).toEqual([1, 120, 1, 1]);
    expect(byLabel.get('F6')?.outputShape).toEqual([1, 84]);
    expect(byLabel.get('OUTPUT')?.outputShape).toEqual([1, 10]);
  });
});

describe('summary of lenet5 (d2l)', () => {
  it('has 61,706 parameters, and the row counts add up to the tensors the model holds', () => {
    const model = lenet5(new Rng(2));
    const result = summary(model, [1, 1, 28, 28]);
    expect(result.totalParameters).toBe(61_706);
    expect(model.numParameters()).toBe(61_706);
    expect(result.rows.map((row) => row.parameters)).toEqual([156, 0, 0, 2_416, 0, 0, 0, 48_120, 0, 10_164, 0, 850]);
  });

  it('prints the notes’ shape loop, layer by layer', () => {
    const text = formatOutputShapes(summary(lenet5(new Rng(2)), [1, 1, 28, 28]));
    expect(text.split('\n')).toEqual([
      'Conv2d output shape:\t[1, 6, 28, 28]',
      'Sigmoid output shape:\t[1, 6, 28, 28]',
      'AvgPool2d output shape:\t[1, 6, 14, 14]',
      'Conv2d output shape:\t[1, 16, 10, 10]',
      'Sigmoid output shape:\t[1, 16, 10, 10]',
      'AvgPool2d output shape:\t[1, 16, 5, 5]',
      'Flatten output shape:\t[1, 400]',
      'Linear output shape:\t[1, 120]',
      'Sigmoid output shape:\t[1, 120]',
      'Linear output shape:\t[1, 84]',
      'Sigmoid output shape:\t[1, 84]',
      'Linear output shape:\t[1, 10]',
    ]);
  });

  it('formats a table with a total line; connections are per example, whatever the batch', () => {
    const table = formatSummary(summary(lenet5Modern(new Rng(3)), [2, 1, 28, 28], { labels: getModelSpec('lenet5-modern').layerNames }));
    const lines = table.split('\n');
    expect(lines[0]).toBe('input shape [2, 1, 28, 28]');
    expect(lines.find((line) => line.startsWith('0 '))).toMatch(/^0\s+Conv2d\s+C1\s+\[2, 6, 28, 28\]\s+156\s+122,304$/);
    expect(lines.find((line) => line.startsWith('2 '))).toMatch(/^2\s+MaxPool2d\s+S2\s+\[2, 6, 14, 14\]\s+0\s+4,704$/);
    expect(lines.at(-1)).toMatch(/^\s+total\s+61,706\s+[\d,]+$/);
  });

  it('names the layer whose input does not fit: a non-square 28x36 image flattens to 560, not 400', () => {
    expect(() => summary(lenet5(new Rng(2)), [3, 1, 28, 36])).toThrow(/layer 7 \(Linear\).*\[3,560\]/);
  });

  it('follows a non-square input through the convolutional part', () => {
    const convolutional = new nn.Sequential(...lenet5(new Rng(2)).layers.slice(0, 7));
    const result = summary(convolutional, [3, 1, 28, 36]);
    expect(result.rows.map((row) => row.outputShape)).toEqual([
      [3, 6, 28, 36],
      [3, 6, 28, 36],
      [3, 6, 14, 18],
      [3, 16, 10, 14],
      [3, 16, 10, 14],
      [3, 16, 5, 7],
      [3, 560],
    ]);
    expect(result.rows[0].connections).toBe(28 * 36 * 6 * 26);
  });
});
