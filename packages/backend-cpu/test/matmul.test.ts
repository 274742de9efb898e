import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { download, expectClose, float32Values, upload } from './helpers.js';

async function runMatmul(
  a: readonly number[],
  aShape: readonly number[],
  b: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend.matmul(upload(backend, a, aShape), upload(backend, b, bShape), transposeA, transposeB));
}

/** The transpose of a row-major `rows × cols` matrix, as a row-major `cols × rows` matrix. */
function transpose(m: readonly number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(m[i * cols + j]);
  return out;
}

// A = [[1,2,3],[4,5,6]] (2×3), B = [[7,8],[9,10],[11,12]] (3×2)
const a = [1, 2, 3, 4, 5, 6];
const b = [7, 8, 9, 10, 11, 12];
const aTimesB = [1 * 7 + 2 * 9 + 3 * 11, 1 * 8 + 2 * 10 + 3 * 12, 4 * 7 + 5 * 9 + 6 * 11, 4 * 8 + 5 * 10 + 6 * 12];

describe('matmul', () => {
  it('multiplies [2,3]·[3,2] by hand', async () => {
    expect(await runMatmul(a, [2, 3], b, [3, 2], false, false)).toEqual(aTimesB);
  });

  it('reads A transposed when transposeA: A stored as [3,2]', async () => {
    const aStoredTransposed = [1, 4, 2, 5, 3, 6]; // Aᵀ = [[1,4],[2,5],[3,6]]
    expect(await runMatmul(aStoredTransposed, [3, 2], b, [3, 2], true, false)).toEqual(aTimesB);
  });

  it('reads B transposed when transposeB: B stored as [2,3]', async () => {
    const bStoredTransposed = [7, 9, 11, 8, 10, 12]; // Bᵀ = [[7,9,11],[8,10,12]]
    expect(await runMatmul(a, [2, 3], bStoredTransposed, [2, 3], false, true)).toEqual(aTimesB);
  });

  it('reads both transposed', async () => {
    expect(await runMatmul([1, 4, 2, 5, 3, 6], [3, 2], [7, 9, 11, 8, 10, 12], [2, 3], true, true)).toEqual(aTimesB);
  });

  it('gives Aᵀ·A (the shape of a weight gradient) for a non-square A', async () => {
    // A = [[1,2,3],[4,5,6]]: (AᵀA)(i,j) = Σ_t A(t,i)·A(t,j)
    const expected = [1 + 16, 2 + 20, 3 + 24, 2 + 20, 4 + 25, 6 + 30, 3 + 24, 6 + 30, 9 + 36];
    expect(await runMatmul(a, [2, 3], a, [2, 3], true, false)).toEqual(expected);
  });

  it('matches a float64 reference for random shapes and every transpose flag', async () => {
    const matmulCase = fc
      .record({
        m: fc.integer({ min: 1, max: 5 }),
        k: fc.integer({ min: 1, max: 5 }),
        n: fc.integer({ min: 1, max: 5 }),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
      })
      .chain((s) => fc.record({ s: fc.constant(s), a: float32Values(s.m * s.k), b: float32Values(s.k * s.n) }));
    await fc.assert(
      fc.asyncProperty(matmulCase, async ({ s, a: left, b: right }) => {
        const expected: number[] = [];
        for (let i = 0; i < s.m; i++)
          for (let j = 0; j < s.n; j++) {
            let sum = 0;
            for (let t = 0; t < s.k; t++) sum += left[i * s.k + t] * right[t * s.n + j];
            expected.push(sum);
          }
        const storedA = s.transposeA ? transpose(left, s.m, s.k) : left;
        const storedB = s.transposeB ? transpose(right, s.k, s.n) : right;
        const actual = await runMatmul(
          storedA,
          s.transposeA ? [s.k, s.m] : [s.m, s.k],
          storedB,
          s.transposeB ? [s.n, s.k] : [s.k, s.n],
          s.transposeA,
          s.transposeB,
        );
        expectClose(actual, expected, 1e-5);
      }),
      { numRuns: 150 },
    );
  });
});
