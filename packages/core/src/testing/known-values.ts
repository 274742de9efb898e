/**
 * Hand-worked known values: each expected number is worked out in a comment (or computed from the
 * formula with `Math`), never copied from a backend's output. Inputs are non-square, and stride and
 * padding differ between height and width, so that a kernel that swaps the two axes fails.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { relu, sigmoid, silu, tanh } from '../ops/activations.js';
import { conv2d } from '../ops/conv2d.js';
import { matmul } from '../ops/matmul.js';
import { avgPool2d, maxPool2d } from '../ops/pool.js';
import { broadcastTo, mean, sum, sumTo } from '../ops/reduce.js';
import { crossEntropy, logSoftmax, softmax } from '../ops/softmax.js';
import { affine, exp, log, neg, sqrt, square } from '../ops/unary-math.js';
import { tensor } from '../tensor/creation.js';
import type { ConformanceContext } from './context.js';
import { expectAllClose, expectTensor, gradOf } from './expect-close.js';
import { scopedTest } from './scoped.js';

/** `[0, 1, …, n − 1]` */
function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** softmax of one row, from the definition e^(z_c) / Σ_j e^(z_j), in float64. */
function softmaxRow(row: readonly number[]): number[] {
  const total = row.reduce((s, z) => s + Math.exp(z), 0);
  return row.map((z) => Math.exp(z) / total);
}

/** Registers the known-value tests: convolution, pooling, softmax and the loss, matmul, broadcasting. */
export function describeKnownValues(context: ConformanceContext): void {
  const test = (name: string, body: () => Promise<void>) => it(name, () => scopedTest(context, body));

  describe('known values: conv2d (a cross-correlation, formula (1))', () => {
    test('the 3x3 input 0..8 ⋆ the 2x2 kernel 0..3 = [[19,25],[37,43]]', async () => {
      // z(0,0) = 0·0 + 1·1 + 3·2 + 4·3 = 19    z(0,1) = 1·0 + 2·1 + 4·2 + 5·3 = 25
      // z(1,0) = 3·0 + 4·1 + 6·2 + 7·3 = 37    z(1,1) = 4·0 + 5·1 + 7·2 + 8·3 = 43
      const x = tensor(range(9), [1, 1, 3, 3]);
      const w = tensor(range(4), [1, 1, 2, 2]);
      await expectTensor(conv2d(x, w), [1, 1, 2, 2], [19, 25, 37, 43], 'conv2d 3x3 ⋆ 2x2');
    });

    test('a 3x4 input, a 2x1 kernel, stride [1,2], padding [1,0]', async () => {
      // x = [[0,1,2,3],[4,5,6,7],[8,9,10,11]], w = [[1],[2]]: z(r,c) = x[r−1][2c]·1 + x[r][2c]·2
      // (rows −1 and 3 are padding). outH = ⌊(3 + 2 − 2)/1⌋ + 1 = 4, outW = ⌊(4 − 1)/2⌋ + 1 = 2.
      // r=0: [0 + 0, 0 + 4]   r=1: [0 + 8, 2 + 12]   r=2: [4 + 16, 6 + 20]   r=3: [8 + 0, 10 + 0]
      const x = tensor(range(12), [1, 1, 3, 4]);
      const w = tensor([1, 2], [1, 1, 2, 1]);
      await expectTensor(
        conv2d(x, w, { stride: [1, 2], padding: [1, 0] }),
        [1, 1, 4, 2],
        [0, 4, 8, 14, 20, 26, 8, 10],
        'conv2d stride [1,2] padding [1,0]',
      );
    });

    test('two channels, two filters: channels are summed, filters are kept apart', async () => {
      // channel 0 = [[1,2,3],[4,5,6]], channel 1 = [[0,1,0],[1,0,1]]
      // filter 0: channel 0 [1,0], channel 1 [0,10] → z = c0(r,c) + 10·c1(r,c+1) = [[11,2],[4,15]]
      // filter 1: channel 0 [0,1], channel 1 [−1,0] → z = c0(r,c+1) − c1(r,c)    = [[2,2],[4,6]]
      const x = tensor([1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 1], [1, 2, 2, 3]);
      const w = tensor([1, 0, 0, 10, 0, 1, -1, 0], [2, 2, 1, 2]);
      await expectTensor(conv2d(x, w), [1, 2, 2, 2], [11, 2, 4, 15, 2, 2, 4, 6], 'conv2d 2 channels, 2 filters');
    });

    test('gradients of the 3x3 ⋆ 2x2 example', async () => {
      // L = Σ z. ∂L/∂w(u,v) = Σ over the 2x2 outputs of x(r+u, c+v): w(0,0) ← 0+1+3+4 = 8,
      // w(0,1) ← 1+2+4+5 = 12, w(1,0) ← 3+4+6+7 = 20, w(1,1) ← 4+5+7+8 = 24.
      // ∂L/∂x(i,j) = Σ of the kernel entries that touch x(i,j): corners get one entry, edges two, the centre all four.
      const x = tensor(range(9), [1, 1, 3, 3], { requiresGrad: true });
      const w = tensor(range(4), [1, 1, 2, 2], { requiresGrad: true });
      conv2d(x, w).sum().backward();
      await expectTensor(gradOf(w), [1, 1, 2, 2], [8, 12, 20, 24], '∂L/∂w');
      await expectTensor(gradOf(x), [1, 1, 3, 3], [0, 0 + 1, 1, 0 + 2, 0 + 1 + 2 + 3, 1 + 3, 2, 2 + 3, 3], '∂L/∂x');
      x.grad?.dispose();
      w.grad?.dispose();
    });
  });

  describe('known values: pooling', () => {
    test('avgPool2d, a 2x2 window on a 2x4 input', async () => {
      // [[1,2,3,4],[5,6,7,8]] → [(1+2+5+6)/4, (3+4+7+8)/4] = [3.5, 5.5]
      const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 4]);
      await expectTensor(avgPool2d(x, { kernelSize: 2 }), [1, 1, 1, 2], [3.5, 5.5], 'avgPool2d 2x2');
    });

    test('avgPool2d counts padding as zeros: kernel 2, stride [1,2], padding [0,1]', async () => {
      // [[1,2,3],[4,5,6]] padded to columns −1..3; windows on columns (−1,0) and (1,2):
      // (0 + 1 + 0 + 4)/4 = 1.25 and (2 + 3 + 5 + 6)/4 = 4
      const x = tensor([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
      await expectTensor(avgPool2d(x, { kernelSize: 2, stride: [1, 2], padding: [0, 1] }), [1, 1, 1, 2], [1.25, 4], 'avgPool2d padded');
    });

    test('maxPool2d, a 3x2 window with stride [1,2], and its gradient to the arg-max', async () => {
      // [[1,9,2,8],[7,3,6,4],[5,0,11,10]]: window columns 0–1 → 9, columns 2–3 → 11
      const x = tensor([1, 9, 2, 8, 7, 3, 6, 4, 5, 0, 11, 10], [1, 1, 3, 4], { requiresGrad: true });
      const y = maxPool2d(x, { kernelSize: [3, 2], stride: [1, 2] });
      await expectTensor(y, [1, 1, 1, 2], [9, 11], 'maxPool2d 3x2');
      y.sum().backward();
      // Only the maxima (9 at index 1, 11 at index 10) receive the gradient.
      await expectTensor(gradOf(x), [1, 1, 3, 4], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], 'maxPool2d gradient');
      x.grad?.dispose();
    });

    test('maxPool2d ignores padding: all-negative input, kernel 2, stride 1, padding 1', async () => {
      // [[−1,−2,−3],[−4,−5,−6]]: a window that covers padding takes the max of its real cells only
      // (a zero from the padding would win otherwise). outH = 2 + 2 − 2 + 1 = 3, outW = 3 + 2 − 2 + 1 = 4.
      const x = tensor([-1, -2, -3, -4, -5, -6], [1, 1, 2, 3]);
      await expectTensor(
        maxPool2d(x, { kernelSize: 2, stride: 1, padding: 1 }),
        [1, 1, 3, 4],
        [-1, -1, -2, -3, -1, -1, -2, -3, -4, -4, -5, -6],
        'maxPool2d padded',
      );
    });

    test('avgPool2d gradient spreads evenly: each input of a 2x2 window gets 1/4', async () => {
      const x = tensor(range(8), [1, 1, 2, 4], { requiresGrad: true });
      avgPool2d(x, { kernelSize: 2 }).sum().backward();
      await expectTensor(gradOf(x), [1, 1, 2, 4], new Array<number>(8).fill(0.25), 'avgPool2d gradient');
      x.grad?.dispose();
    });
  });

  describe('known values: softmax, logSoftmax, crossEntropy', () => {
    const rows = [
      [1, 2, 3],
      [0.5, -1, 2],
    ];
    const labels = [2, 0];

    test('softmax and logSoftmax of [[1,2,3],[0.5,−1,2]] from the definition', async () => {
      const logits = tensor(rows.flat(), [2, 3]);
      const expected = rows.map(softmaxRow);
      await expectTensor(softmax(logits), [2, 3], expected.flat(), 'softmax');
      await expectTensor(logSoftmax(logits), [2, 3], expected.flat().map(Math.log), 'logSoftmax');
    });

    test('crossEntropy: label 2 of [1,2,3] is −log(e³/(e+e²+e³)), averaged over the batch', async () => {
      const first = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
      const second = -Math.log(Math.exp(0.5) / (Math.exp(0.5) + Math.exp(-1) + Math.exp(2)));
      const logits = tensor(rows.flat(), [2, 3], { requiresGrad: true });
      const loss = crossEntropy(logits, tensor(labels, [2]));
      await expectTensor(loss, [], [(first + second) / 2], 'crossEntropy');
      loss.backward();
      // ∂L/∂z[n,c] = (softmax(z[n])[c] − [c = label[n]]) / N
      const expectedGrad = rows.flatMap((row, n) => softmaxRow(row).map((p, c) => (p - (c === labels[n] ? 1 : 0)) / rows.length));
      await expectTensor(gradOf(logits), [2, 3], expectedGrad, 'crossEntropy gradient');
      logits.grad?.dispose();
    });

    test('large logits do not overflow (max subtracted): softmax([1000,1001,1002]) = softmax([0,1,2])', async () => {
      await expectTensor(softmax(tensor([1000, 1001, 1002], [1, 3])), [1, 3], softmaxRow([0, 1, 2]), 'softmax of large logits');
      await expectTensor(
        logSoftmax(tensor([1000, 1001, 1002], [1, 3])),
        [1, 3],
        softmaxRow([0, 1, 2]).map(Math.log),
        'logSoftmax of large logits',
      );
      // −log softmax([1000, 0])[1] = −(0 − 1000 − log(1 + e^−1000)) = 1000
      const loss = crossEntropy(tensor([1000, 0], [1, 2]), tensor([1], [1]));
      const value = await loss.item();
      expect(Number.isFinite(value), `crossEntropy of large logits is ${value}`).toBe(true);
      expectAllClose([value], [1000], context.backend.tolerance, 'crossEntropy of large logits');
    });
  });

  describe('known values: matmul', () => {
    // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]]
    const product = [58, 64, 139, 154];
    const a = [1, 2, 3, 4, 5, 6];
    const aT = [1, 4, 2, 5, 3, 6]; // a stored transposed, [3,2]
    const b = [7, 8, 9, 10, 11, 12];
    const bT = [7, 9, 11, 8, 10, 12]; // b stored transposed, [2,3]
    for (const [transposeA, transposeB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      test(`[2,3]·[3,2] with transposeA=${transposeA}, transposeB=${transposeB}`, async () => {
        const left = transposeA ? tensor(aT, [3, 2]) : tensor(a, [2, 3]);
        const right = transposeB ? tensor(bT, [2, 3]) : tensor(b, [3, 2]);
        await expectTensor(matmul(left, right, { transposeA, transposeB }), [2, 2], product, 'matmul');
      });
    }
  });

  describe('known values: element-wise ops, broadcasting and reductions', () => {
    test('add [2,1] + [1,3] broadcasts to the outer sum [2,3]', async () => {
      const column = tensor([10, 20], [2, 1]);
      const row = tensor([1, 2, 3], [1, 3]);
      await expectTensor(add(column, row), [2, 3], [11, 12, 13, 21, 22, 23], 'add [2,1]+[1,3]');
      await expectTensor(add(row, column), [2, 3], [11, 12, 13, 21, 22, 23], 'add [1,3]+[2,1]');
    });

    test('sub, mul, div with a row vector [3] against [2,3] and a [2,1,3] against [2,1]', async () => {
      const matrix = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const row = tensor([1, 2, 4], [3]);
      await expectTensor(sub(matrix, row), [2, 3], [0, 0, -1, 3, 3, 2], 'sub [2,3]−[3]');
      await expectTensor(sub(row, matrix), [2, 3], [0, 0, 1, -3, -3, -2], 'sub [3]−[2,3]');
      await expectTensor(mul(matrix, row), [2, 3], [1, 4, 12, 4, 10, 24], 'mul [2,3]·[3]');
      await expectTensor(div(matrix, row), [2, 3], [1, 1, 0.75, 4, 2.5, 1.5], 'div [2,3]/[3]');
      // [2,1,3] + [2,1] → [2,2,3]: out[i,j,k] = a[i,0,k] + b[j,0]
      const a = tensor([1, 2, 3, 4, 5, 6], [2, 1, 3]);
      const b = tensor([10, 20], [2, 1]);
      await expectTensor(add(a, b), [2, 2, 3], [11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26], 'add [2,1,3]+[2,1]');
    });

    test('unary ops from their definitions', async () => {
      const values = [-1.5, -0.25, 0.5, 2];
      const positive = [0.25, 1, 2.5, 4];
      const x = tensor(values, [2, 2]);
      const p = tensor(positive, [2, 2]);
      await expectTensor(
        neg(x),
        [2, 2],
        values.map((v) => -v),
        'neg',
      );
      await expectTensor(exp(x), [2, 2], values.map(Math.exp), 'exp');
      await expectTensor(
        square(x),
        [2, 2],
        values.map((v) => v * v),
        'square',
      );
      await expectTensor(
        sigmoid(x),
        [2, 2],
        values.map((v) => 1 / (1 + Math.exp(-v))),
        'sigmoid',
      );
      await expectTensor(tanh(x), [2, 2], values.map(Math.tanh), 'tanh');
      await expectTensor(
        relu(x),
        [2, 2],
        values.map((v) => Math.max(0, v)),
        'relu',
      );
      await expectTensor(
        silu(x),
        [2, 2],
        values.map((v) => v / (1 + Math.exp(-v))),
        'silu',
      );
      await expectTensor(
        affine(x, 3, -1),
        [2, 2],
        values.map((v) => 3 * v - 1),
        'affine',
      );
      await expectTensor(log(p), [2, 2], positive.map(Math.log), 'log');
      await expectTensor(sqrt(p), [2, 2], positive.map(Math.sqrt), 'sqrt');
    });

    test('sum and mean over axes, with and without keepDims', async () => {
      // [[1,2,3],[4,5,6]]
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      await expectTensor(sum(x), [], [21], 'sum of all');
      await expectTensor(sum(x, [0]), [3], [5, 7, 9], 'sum over axis 0');
      await expectTensor(sum(x, [1], true), [2, 1], [6, 15], 'sum over axis 1, keepDims');
      await expectTensor(sum(x, [-1]), [2], [6, 15], 'sum over axis −1');
      await expectTensor(mean(x), [], [3.5], 'mean of all');
      await expectTensor(mean(x, [0], true), [1, 3], [2.5, 3.5, 4.5], 'mean over axis 0, keepDims');
    });

    test('sumTo and broadcastTo are each other’s adjoint', async () => {
      // [2,3,2] summed to [3,1]: out[j] = Σ_i Σ_k x[i,j,k]
      const x = tensor(range(12), [2, 3, 2]);
      await expectTensor(sumTo(x, [3, 1]), [3, 1], [0 + 1 + 6 + 7, 2 + 3 + 8 + 9, 4 + 5 + 10 + 11], 'sumTo [2,3,2]→[3,1]');
      await expectTensor(
        broadcastTo(tensor([1, 2], [2, 1]), [2, 2, 3]),
        [2, 2, 3],
        [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2],
        'broadcastTo [2,1]→[2,2,3]',
      );
    });
  });
}
