/**
 * The comparison every property test uses: the gpu.js result against backend-cpu's, element by
 * element, within the tolerance the gpu.js backend declares.
 * @module
 */
import { expect } from 'vitest';

/**
 * Asserts |actual − expected| ≤ tolerance · max(1, |expected|) everywhere, and equal lengths.
 * The failure names the first bad index, both values and `what`.
 */
export function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = tolerance * Math.max(1, Math.abs(expected[i]));
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= bound) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (±${bound.toExponential(1)})`);
    }
  }
}
