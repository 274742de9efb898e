/**
 * Comparing a tensor's values with expected numbers, within the tolerance its backend declares.
 * @module
 */
import { expect } from 'vitest';
import { formatShape, type Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Asserts that `actual` and `expected` have the same length and that every element satisfies the
 * backend contract |actual − expected| ≤ tolerance · max(1, |expected|) (see `Backend.tolerance`).
 * The failure names `what`, the first offending index and both values.
 */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, `${what}: number of values`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    const allowed = tolerance * Math.max(1, Math.abs(expected[i]));
    if (!(error <= allowed)) {
      expect.fail(
        `${what}: element ${i} is ${actual[i]} but should be ${expected[i]} ` +
          `(|error| ${error.toExponential(2)} > ${allowed.toExponential(2)}); ` +
          `actual [${Array.from(actual).join(', ')}], expected [${Array.from(expected).join(', ')}]`,
      );
    }
  }
}

/**
 * Asserts that `t` has shape `shape` and values close to `expected` (row-major), within its
 * backend's tolerance.
 * @example await expectTensor(conv2d(x, w), [1, 1, 2, 2], [19, 25, 37, 43], 'conv2d 3x3 ⋆ 2x2');
 */
export async function expectTensor(t: Tensor, shape: Shape, expected: ArrayLike<number>, what: string): Promise<void> {
  expect(formatShape(t.shape), `${what}: shape`).toBe(formatShape(shape));
  expectAllClose(await t.data(), expected, t.backend.tolerance, what);
}

/** `t.grad`, or a failed assertion naming `t` when backward() gave it no gradient. */
export function gradOf(t: Tensor): Tensor {
  if (t.grad === null) expect.fail(`${t.describe()} has no gradient after backward()`);
  return t.grad;
}
