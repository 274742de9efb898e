/**
 * Test helpers: moving values in and out of a backend, float64 inner products, closeness checks and
 * fast-check arbitraries for float32 values.
 */
import type { Backend, DataId, Shape, TensorInfo } from '@lenet/core';
import fc from 'fast-check';
import { expect } from 'vitest';

/** Uploads `values` with `shape` and returns the kernel argument for it. */
export function upload(backend: Backend, values: ArrayLike<number>, shape: Shape): TensorInfo {
  return { dataId: backend.upload(Float32Array.from(values), shape), shape };
}

/** Downloads a buffer as a plain number array (easier to compare and to print). */
export async function download(backend: Backend, dataId: DataId): Promise<number[]> {
  return Array.from(await backend.download(dataId));
}

/** Σ a[i]·b[i] in float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Σ |a[i]·b[i]| in float64: the scale against which the rounding of a dot product is judged. */
export function absDot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] * b[i]);
  return sum;
}

/**
 * Asserts |actual[i] − expected[i]| ≤ tolerance · max(1, |expected[i]|) for every i, the rule the
 * backend's declared tolerance is stated in, and that the lengths agree.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= tolerance * Math.max(1, Math.abs(expected[i])))) {
      expect.fail(`element ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}

/** `length` float32 values in [−1, 1] (drawn as doubles, rounded to float32 so the reference sees the same inputs). */
export function float32Values(length: number): fc.Arbitrary<number[]> {
  return fc
    .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: length, maxLength: length })
    .map((values) => values.map((value) => Math.fround(value)));
}

/** `length` small integers in [−3, 3]: many ties, for max pooling's tie rule. */
export function tiedValues(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: -3, max: 3 }), { minLength: length, maxLength: length });
}
