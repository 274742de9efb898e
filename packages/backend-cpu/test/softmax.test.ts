import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { download, expectClose, float32Values, upload } from './helpers.js';

type RowKernel = 'softmax' | 'logSoftmax';

async function runRowKernel(kernel: RowKernel, logits: readonly number[], shape: readonly number[]): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend[kernel](upload(backend, logits, shape)));
}

async function runLoss(logits: readonly number[], shape: readonly number[], labels: readonly number[]): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend.softmaxCrossEntropy(upload(backend, logits, shape), upload(backend, labels, [shape[0]])));
}

async function runLossGrad(
  logits: readonly number[],
  shape: readonly number[],
  labels: readonly number[],
  dLoss: readonly number[],
): Promise<number[]> {
  const backend = new CpuBackend();
  const n = [shape[0]];
  return download(
    backend,
    backend.softmaxCrossEntropyGrad(upload(backend, logits, shape), upload(backend, labels, n), upload(backend, dLoss, n)),
  );
}

const e = Math.E;

describe('softmax and logSoftmax', () => {
  it('give e^x / Σ e^x and its log, row by row', async () => {
    // rows [1,2,3] and [0,0,−1]
    const logits = [1, 2, 3, 0, 0, -1];
    const sum1 = e + e ** 2 + e ** 3;
    const sum2 = 1 + 1 + 1 / e;
    const expected = [e / sum1, e ** 2 / sum1, e ** 3 / sum1, 1 / sum2, 1 / sum2, 1 / e / sum2];
    expectClose(await runRowKernel('softmax', logits, [2, 3]), expected, 1e-6);
    expectClose(await runRowKernel('logSoftmax', logits, [2, 3]), expected.map(Math.log), 1e-6);
  });

  it('are stable for huge logits (max subtracted)', async () => {
    // [1000, 1001] is [0, 1] shifted: softmax = [1/(1+e), e/(1+e)]; e^1000 would overflow.
    expectClose(await runRowKernel('softmax', [1000, 1001], [1, 2]), [1 / (1 + e), e / (1 + e)], 1e-6);
    expectClose(await runRowKernel('logSoftmax', [-1000, -1001], [1, 2]), [-Math.log(1 + 1 / e), -1 - Math.log(1 + 1 / e)], 1e-6);
  });

  it('give positive softmax rows that sum to 1', async () => {
    const probabilities = await runRowKernel('softmax', [3, -2, 0.5, 7, 7, 7, 7, 7], [2, 4]);
    for (const row of [probabilities.slice(0, 4), probabilities.slice(4)]) {
      expect(row.every((p) => p > 0)).toBe(true);
      expectClose([row.reduce((acc, p) => acc + p, 0)], [1], 1e-6);
    }
  });

  it('match a float64 reference on random [N,C]', async () => {
    const rowsCase = fc
      .record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 6 }), scale: fc.constantFrom(1, 30) })
      .chain((s) => fc.record({ s: fc.constant(s), x: float32Values(s.n * s.c) }));
    await fc.assert(
      fc.asyncProperty(rowsCase, async ({ s, x }) => {
        const logits = x.map((v) => Math.fround(v * s.scale));
        const expectedSoftmax: number[] = [];
        for (let n = 0; n < s.n; n++) {
          const row = logits.slice(n * s.c, (n + 1) * s.c);
          const total = row.reduce((acc, v) => acc + Math.exp(v), 0);
          expectedSoftmax.push(...row.map((v) => Math.exp(v) / total));
        }
        expectClose(await runRowKernel('softmax', logits, [s.n, s.c]), expectedSoftmax, 1e-5);
        expectClose(await runRowKernel('logSoftmax', logits, [s.n, s.c]), expectedSoftmax.map(Math.log), 1e-5);
      }),
      { numRuns: 100 },
    );
  });
});

describe('softmaxCrossEntropy', () => {
  it('is log Σ e^x − x[label] per example', async () => {
    const logits = [1, 2, 3, 0, 0, 0];
    const expected = [Math.log(e + e ** 2 + e ** 3) - 3, Math.log(3)];
    expectClose(await runLoss(logits, [2, 3], [2, 1]), expected, 1e-6);
  });

  it('is log 2 for two equal logits and stays finite for huge ones', async () => {
    expectClose(await runLoss([5, 5], [1, 2], [0]), [Math.log(2)], 1e-6);
    // the wrong class wins by 1000: loss = 1000 + log(1 + e^−1000) ≈ 1000, not ∞
    expectClose(await runLoss([1000, 0], [1, 2], [1]), [1000], 1e-6);
  });

  it('refuses a label that is not a class index of its row (it would read another row)', async () => {
    const logits = [1, 2, 3, 4, 5, 6];
    await expect(runLoss(logits, [2, 3], [3, 0])).rejects.toThrow('softmaxCrossEntropy: label 3 of example 0 is not a class index in 0..2');
    await expect(runLoss(logits, [2, 3], [0, 0.5])).rejects.toThrow(
      'softmaxCrossEntropy: label 0.5 of example 1 is not a class index in 0..2',
    );
    await expect(runLoss(logits, [2, 3], [-1, 0])).rejects.toThrow('label -1 of example 0');
    await expect(runLossGrad(logits, [2, 3], [0, 3], [1, 1])).rejects.toThrow(
      'softmaxCrossEntropyGrad: label 3 of example 1 is not a class index in 0..2',
    );
  });

  it('has gradient dLoss · (softmax − one-hot)', async () => {
    const logits = [1, 2, 3, 0, 0, 0];
    const sum1 = e + e ** 2 + e ** 3;
    const dLoss = [0.5, 2];
    const expected = [
      0.5 * (e / sum1),
      0.5 * (e ** 2 / sum1),
      0.5 * (e ** 3 / sum1 - 1), // label 2
      2 * (1 / 3),
      2 * (1 / 3 - 1), //           label 1
      2 * (1 / 3),
    ];
    expectClose(await runLossGrad(logits, [2, 3], [2, 1], dLoss), expected, 1e-6);
  });

  it('has a gradient that matches central differences of the loss (float64 loss from the kernel)', async () => {
    const lossCase = fc.record({ n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 2, max: 5 }) }).chain((s) =>
      fc.record({
        s: fc.constant(s),
        x: float32Values(s.n * s.c),
        labels: fc.array(fc.integer({ min: 0, max: s.c - 1 }), { minLength: s.n, maxLength: s.n }),
        dLoss: float32Values(s.n),
      }),
    );
    await fc.assert(
      fc.asyncProperty(lossCase, async ({ s, x, labels, dLoss }) => {
        // The loss in float64, L = Σ_n dLoss[n] · (log Σ e^x[n] − x[n,label]), differentiated numerically.
        const weightedLoss = (logits: readonly number[]): number => {
          let total = 0;
          for (let n = 0; n < s.n; n++) {
            const row = logits.slice(n * s.c, (n + 1) * s.c);
            total += dLoss[n] * (Math.log(row.reduce((acc, v) => acc + Math.exp(v), 0)) - row[labels[n]]);
          }
          return total;
        };
        const h = 1e-6;
        const numeric = x.map((_, i) => {
          const plus = [...x];
          const minus = [...x];
          plus[i] += h;
          minus[i] -= h;
          return (weightedLoss(plus) - weightedLoss(minus)) / (2 * h);
        });
        expectClose(await runLossGrad(x, [s.n, s.c], labels, dLoss), numeric, 1e-5);
      }),
      { numRuns: 100 },
    );
  });
});
