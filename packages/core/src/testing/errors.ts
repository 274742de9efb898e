/**
 * Bad arguments raise errors that name the op, the shapes (or values) involved and what was
 * expected: wrong shapes, bad strides and paddings, non-finite or negative sizes.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { add, div, mul } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import { matmul } from '../ops/matmul.js';
import { avgPool2d, maxPool2d } from '../ops/pool.js';
import { mean, sum } from '../ops/reduce.js';
import { flatten, reshape } from '../ops/reshape.js';
import { crossEntropy, logSoftmax, softmax } from '../ops/softmax.js';
import { affine } from '../ops/unary-math.js';
import { full, tensor, zeros } from '../tensor/creation.js';
import type { ConformanceContext } from './context.js';
import { scopedTest } from './scoped.js';

/** What an error message must say. */
interface ExpectedError {
  /** The message starts with the op's name followed by a colon. */
  readonly op: string;
  /** Each appears literally in the message (shapes as `[2,3]`, or offending values). */
  readonly mentions: readonly string[];
  /** What was expected, or how to fix it. */
  readonly expected: RegExp;
}

/** Runs `run`, asserts that it throws, and that the message names the op, the shapes and what was expected. */
export function expectOpError(run: () => unknown, { op, mentions, expected }: ExpectedError): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof Error)) expect.fail(`${op}: expected an Error to be thrown, got ${String(thrown)}`);
  const message = thrown.message;
  expect(message.startsWith(`${op}: `), `the message names the op '${op}': ${message}`).toBe(true);
  for (const mention of mentions) expect(message, `the message mentions ${mention}`).toContain(mention);
  expect(message).toMatch(expected);
}

/** Registers the error tests. */
export function describeErrors(context: ConformanceContext): void {
  const test = (name: string, body: () => void) => it(name, () => scopedTest(context, async () => body()));

  describe('errors: wrong shapes', () => {
    test('matmul: inner dimensions differ, with and without transposes; operands not 2-D', () => {
      const a = zeros([2, 3]);
      const b = zeros([4, 5]);
      expectOpError(() => matmul(a, b), {
        op: 'matmul',
        mentions: ['[2,3]', '[4,5]', '(3)', '(4)'],
        expected: /columns of the first .* equal the rows of the second/,
      });
      expectOpError(() => matmul(a, b, { transposeA: true, transposeB: true }), {
        op: 'matmul',
        mentions: ['[2,3]ᵀ', '[4,5]ᵀ', '(2)', '(5)'],
        expected: /equal/,
      });
      expectOpError(() => matmul(zeros([2, 3, 4]), b), { op: 'matmul', mentions: ['[2,3,4]'], expected: /must be 2-D/ });
      expectOpError(() => matmul(a, zeros([3])), { op: 'matmul', mentions: ['[3]'], expected: /must be 2-D/ });
    });

    test('conv2d: channel mismatch, input or filter not 4-D, kernel larger than the padded input', () => {
      const x = zeros([1, 2, 5, 6]);
      expectOpError(() => conv2d(x, zeros([4, 3, 3, 3])), {
        op: 'conv2d',
        mentions: ['[1,2,5,6]', '[4,3,3,3]'],
        expected: /expects 3 input channels but the input has 2/,
      });
      expectOpError(() => conv2d(zeros([5, 6]), zeros([1, 1, 2, 2])), {
        op: 'conv2d',
        mentions: ['[5,6]'],
        expected: /must be 4-D \[batch, channels, height, width\]/,
      });
      expectOpError(() => conv2d(x, zeros([2, 3])), { op: 'conv2d', mentions: ['[2,3]'], expected: /must be 4-D/ });
      expectOpError(() => conv2d(zeros([1, 1, 2, 5]), zeros([1, 1, 3, 3]), { padding: [0, 1] }), {
        op: 'conv2d',
        mentions: ['[1,1,2,5]', '[1,1,3,3]', '[3,3]', '[2,7]'],
        expected: /larger than the padded input/,
      });
    });

    test('pooling: input not 4-D', () => {
      expectOpError(() => avgPool2d(zeros([2, 5, 6]), { kernelSize: 2 }), {
        op: 'avgPool2d',
        mentions: ['[2,5,6]'],
        expected: /must be 4-D/,
      });
      expectOpError(() => maxPool2d(zeros([30]), { kernelSize: 2 }), { op: 'maxPool2d', mentions: ['[30]'], expected: /must be 4-D/ });
    });

    test('element-wise ops: shapes that do not broadcast', () => {
      expectOpError(() => add(zeros([2, 3]), zeros([4])), {
        op: 'add',
        mentions: ['[2,3]', '[4]'],
        expected: /do not broadcast.*equal extents or a 1/,
      });
      expectOpError(() => mul(zeros([2, 3, 1]), zeros([5, 1, 4])), {
        op: 'mul',
        mentions: ['[2,3,1]', '[5,1,4]'],
        expected: /do not broadcast/,
      });
    });

    test('softmax, logSoftmax, crossEntropy: logits not 2-D, labels of the wrong shape', () => {
      expectOpError(() => softmax(zeros([4])), { op: 'softmax', mentions: ['[4]'], expected: /must be 2-D \[batch, classes\]/ });
      expectOpError(() => logSoftmax(zeros([2, 3, 4])), { op: 'logSoftmax', mentions: ['[2,3,4]'], expected: /must be 2-D/ });
      const logits = zeros([3, 4]);
      expectOpError(() => crossEntropy(logits, zeros([3, 1])), {
        op: 'crossEntropy',
        mentions: ['[3,1]', '[3,4]'],
        expected: /must be \[3\]/,
      });
      expectOpError(() => crossEntropy(logits, zeros([2])), { op: 'crossEntropy', mentions: ['[2]', '[3,4]'], expected: /must be \[3\]/ });
      expectOpError(() => crossEntropy(zeros([4]), zeros([4])), { op: 'crossEntropy', mentions: ['[4]'], expected: /must be 2-D/ });
    });

    test('reshape, flatten, sum, mean: sizes that differ, axes out of range', () => {
      const x = zeros([2, 3]);
      expectOpError(() => reshape(x, [4, 2]), { op: 'reshape', mentions: ['[2,3]', '[4,2]', '6 elements'], expected: /sizes must match/ });
      expectOpError(() => reshape(x, [-1, -1]), { op: 'reshape', mentions: ['[-1,-1]'], expected: /at most one extent may be -1/ });
      expectOpError(() => reshape(x, [-1, 4]), { op: 'reshape', mentions: ['[-1,4]'], expected: /sizes must match/ });
      expectOpError(() => flatten(x, 2), { op: 'flatten', mentions: ['[2,3]', 'startAxis 2'], expected: /out of range/ });
      expectOpError(() => sum(x, [2]), { op: 'sum', mentions: ['[2,3]', 'axis 2'], expected: /out of range/ });
      expectOpError(() => mean(x, [-3]), { op: 'mean', mentions: ['[2,3]', 'axis -3'], expected: /out of range/ });
    });

    test('backward: a non-scalar without a seed, a seed of the wrong shape, nothing to differentiate', () => {
      const x = zeros([2, 3], { requiresGrad: true });
      const y = x.mul(2);
      expectOpError(() => y.backward(), { op: 'backward', mentions: ['[2,3]'], expected: /is not a scalar; pass the gradient/ });
      expectOpError(() => y.backward(zeros([3, 2])), { op: 'backward', mentions: ['[3,2]', '[2,3]'], expected: /seed has shape/ });
      expectOpError(() => zeros([1]).backward(), {
        op: 'backward',
        mentions: ['[1]'],
        expected: /does not depend on any tensor with requiresGrad/,
      });
    });
  });

  describe('errors: bad strides and paddings', () => {
    const x = () => zeros([1, 1, 5, 6]);
    const w = () => zeros([1, 1, 2, 3]);
    const convMentions = ['[1,1,5,6]', '[1,1,2,3]'];

    test('conv2d: stride 0, negative or fractional', () => {
      expectOpError(() => conv2d(x(), w(), { stride: 0 }), {
        op: 'conv2d',
        mentions: [...convMentions, 'got 0'],
        expected: /stride \(height\) must be a positive integer/,
      });
      expectOpError(() => conv2d(x(), w(), { stride: [1, -2] }), {
        op: 'conv2d',
        mentions: [...convMentions, 'got -2'],
        expected: /stride \(width\) must be a positive integer/,
      });
      expectOpError(() => conv2d(x(), w(), { stride: [1.5, 1] }), {
        op: 'conv2d',
        mentions: [...convMentions, 'got 1.5'],
        expected: /stride \(height\) must be a positive integer/,
      });
    });

    test('conv2d: negative or fractional padding', () => {
      expectOpError(() => conv2d(x(), w(), { padding: [0, -1] }), {
        op: 'conv2d',
        mentions: [...convMentions, 'got -1'],
        expected: /padding \(width\) must be a non-negative integer/,
      });
      expectOpError(() => conv2d(x(), w(), { padding: [0.5, 0] }), {
        op: 'conv2d',
        mentions: [...convMentions, 'got 0.5'],
        expected: /padding \(height\) must be a non-negative integer/,
      });
    });

    test('pooling: bad stride, negative padding, padding above half the kernel', () => {
      const input = zeros([1, 1, 5, 6]);
      expectOpError(() => maxPool2d(input, { kernelSize: 2, stride: [2, 0] }), {
        op: 'maxPool2d',
        mentions: ['[1,1,5,6]', 'got 0'],
        expected: /stride \(width\) must be a positive integer/,
      });
      expectOpError(() => avgPool2d(input, { kernelSize: 2, stride: -1 }), {
        op: 'avgPool2d',
        mentions: ['[1,1,5,6]', 'got -1'],
        expected: /stride \(height\) must be a positive integer/,
      });
      expectOpError(() => avgPool2d(input, { kernelSize: 2, padding: [-1, 0] }), {
        op: 'avgPool2d',
        mentions: ['[1,1,5,6]', 'got -1'],
        expected: /padding \(height\) must be a non-negative integer/,
      });
      expectOpError(() => maxPool2d(input, { kernelSize: [3, 2], padding: [2, 0] }), {
        op: 'maxPool2d',
        mentions: ['[1,1,5,6]', '[2,0]', '[3,2]'],
        expected: /must be at most half the kernel/,
      });
      expectOpError(() => avgPool2d(input, { kernelSize: [3, 2], padding: [1, 2] }), {
        op: 'avgPool2d',
        mentions: ['[1,2]', '[3,2]'],
        expected: /at most half the kernel/,
      });
    });
  });

  describe('errors: non-finite or negative sizes and values', () => {
    test('tensor shapes with a negative, fractional, NaN or infinite extent; values that do not fill the shape', () => {
      expectOpError(() => tensor([], [2, -1]), { op: 'tensor', mentions: ['[2,-1]'], expected: /not a non-negative integer/ });
      expectOpError(() => tensor([1, 2, 3], [Number.NaN, 3]), {
        op: 'tensor',
        mentions: ['[NaN,3]'],
        expected: /not a non-negative integer/,
      });
      expectOpError(() => tensor([1, 2, 3], [1.5, 2]), { op: 'tensor', mentions: ['[1.5,2]'], expected: /not a non-negative integer/ });
      expectOpError(() => full([2, Number.POSITIVE_INFINITY], 1), {
        op: 'full',
        mentions: ['[2,Infinity]'],
        expected: /not a non-negative integer/,
      });
      expectOpError(() => tensor([1, 2, 3, 4, 5], [2, 3]), {
        op: 'tensor',
        mentions: ['5 values', '[2,3]', '6'],
        expected: /cannot fill shape/,
      });
    });

    test('pooling kernels of size 0, NaN or negative', () => {
      const input = zeros([1, 1, 5, 6]);
      expectOpError(() => avgPool2d(input, { kernelSize: [0, 2], stride: 1 }), {
        op: 'avgPool2d',
        mentions: ['[1,1,5,6]', 'got 0'],
        expected: /kernel height must be a positive integer/,
      });
      expectOpError(() => maxPool2d(input, { kernelSize: [2, Number.NaN], stride: 1 }), {
        op: 'maxPool2d',
        mentions: ['[1,1,5,6]', 'got NaN'],
        expected: /kernel width must be a positive integer/,
      });
      expectOpError(() => avgPool2d(input, { kernelSize: Number.NaN }), {
        op: 'avgPool2d',
        mentions: ['[1,1,5,6]', 'got NaN'],
        expected: /kernel height must be a positive integer/,
      });
      expectOpError(() => maxPool2d(input, { kernelSize: -2, stride: 1 }), {
        op: 'maxPool2d',
        mentions: ['[1,1,5,6]', 'got -2'],
        expected: /kernel height must be a positive integer/,
      });
    });

    test('reshape to a NaN or negative extent other than −1', () => {
      const x = zeros([2, 3]);
      expectOpError(() => reshape(x, [Number.NaN, 6]), { op: 'reshape', mentions: ['[2,3]', '[NaN,6]'], expected: /sizes must match/ });
      expectOpError(() => reshape(x, [-2, -3]), { op: 'reshape', mentions: ['[2,3]', '[-2,-3]'], expected: /sizes must match/ });
    });

    test('non-finite numbers where an op needs a finite one; division by the number 0', () => {
      const x = zeros([2, 3]);
      expectOpError(() => affine(x, Number.NaN, 0), { op: 'affine', mentions: ['NaN', '[2,3]'], expected: /must be finite/ });
      expectOpError(() => div(x, 0), { op: 'div', mentions: ['[2,3]'], expected: /by the number 0/ });
    });
  });
}
