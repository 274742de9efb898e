import { sizeOf, type Shape } from '@lenet/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { absDot, dot, download, expectClose, float32Values, upload } from './helpers.js';

async function runSumTo(x: readonly number[], xShape: Shape, outShape: Shape): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend.sumTo(upload(backend, x, xShape), outShape));
}

async function runBroadcastTo(s: readonly number[], sShape: Shape, outShape: Shape): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend.broadcastTo(upload(backend, s, sShape), outShape));
}

/** A full shape and a reduced shape of the same rank with some axes collapsed to 1. */
const reduceCase = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      reduced: fc
        .array(fc.boolean(), { minLength: shape.length, maxLength: shape.length })
        .map((ones) => shape.map((extent, axis) => (ones[axis] ? 1 : extent))),
    }),
  )
  .chain(({ shape, reduced }) =>
    fc.record({
      shape: fc.constant(shape),
      reduced: fc.constant(reduced),
      x: float32Values(sizeOf(shape)),
      s: float32Values(sizeOf(reduced)),
    }),
  );

describe('sumTo and broadcastTo', () => {
  // x [2,3,2] = 0..11: x[i,j,k] = 6i + 2j + k
  const x = Array.from({ length: 12 }, (_, i) => i);

  it('sums over the axes that become 1', async () => {
    // over axes 0 and 2: out[j] = Σ_i Σ_k (6i + 2j + k) = 4·(2j) + 2·6 + 2·1 = 8j + 14
    expect(await runSumTo(x, [2, 3, 2], [1, 3, 1])).toEqual([14, 22, 30]);
    // over axis 1: out[i,k] = Σ_j (6i + 2j + k) = 18i + 6 + 3k
    expect(await runSumTo(x, [2, 3, 2], [2, 1, 2])).toEqual([6, 9, 24, 27]);
    // over everything: 0 + 1 + … + 11
    expect(await runSumTo(x, [2, 3, 2], [1, 1, 1])).toEqual([66]);
    // over nothing
    expect(await runSumTo(x, [2, 3, 2], [2, 3, 2])).toEqual(x);
  });

  it('repeats along the axes that are 1', async () => {
    expect(await runBroadcastTo([1, 2], [1, 2, 1], [2, 2, 3])).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
  });

  it('match a float64 reference and are adjoint: ⟨broadcastTo(s), x⟩ = ⟨s, sumTo(x)⟩', async () => {
    await fc.assert(
      fc.asyncProperty(reduceCase, async ({ shape, reduced, x: values, s }) => {
        const summed = await runSumTo(values, shape, reduced);
        const repeated = await runBroadcastTo(s, reduced, shape);
        // reference: walk x with an odometer and add each value to the reduced cell
        const expectedSum = new Array<number>(sizeOf(reduced)).fill(0);
        const expectedRepeat: number[] = [];
        const coordinates = new Array<number>(shape.length).fill(0);
        for (let i = 0; i < values.length; i++) {
          let target = 0;
          for (let axis = 0; axis < shape.length; axis++) {
            target = target * reduced[axis] + (reduced[axis] === 1 ? 0 : coordinates[axis]);
          }
          expectedSum[target] += values[i];
          expectedRepeat.push(s[target]);
          for (let axis = shape.length - 1; axis >= 0; axis--) {
            if (++coordinates[axis] < shape[axis]) break;
            coordinates[axis] = 0;
          }
        }
        expectClose(summed, expectedSum, 1e-5);
        expect(repeated).toEqual(expectedRepeat);
        const scale = 1e-5 * (1 + absDot(repeated, values) + absDot(s, summed));
        expect(Math.abs(dot(repeated, values) - dot(s, summed))).toBeLessThanOrEqual(scale);
      }),
      { numRuns: 200 },
    );
  });
});
