import { computePool2dInfo, sizeOf, type WindowInfo } from '@lenet/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { absDot, dot, download, expectClose, float32Values, tiedValues, upload } from './helpers.js';

type PoolKernel = 'avgPool2d' | 'maxPool2d';

async function runPool(kernel: PoolKernel, x: ArrayLike<number>, info: WindowInfo): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend[kernel](upload(backend, x, info.inShape), info));
}

async function runAvgBackprop(dy: ArrayLike<number>, info: WindowInfo): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend.avgPool2dBackprop(upload(backend, dy, info.outShape), info));
}

async function runMaxBackprop(dy: ArrayLike<number>, x: ArrayLike<number>, info: WindowInfo): Promise<number[]> {
  const backend = new CpuBackend();
  return download(backend, backend.maxPool2dBackprop(upload(backend, dy, info.outShape), upload(backend, x, info.inShape), info));
}

/** The flat indices of the real (non-padding) input cells of window (n, c, i, j), in row-major order. */
function windowCells(info: WindowInfo, n: number, c: number, i: number, j: number): number[] {
  const cells: number[] = [];
  for (let u = 0; u < info.kernelHeight; u++) {
    for (let v = 0; v < info.kernelWidth; v++) {
      const row = i * info.strideHeight + u - info.padHeight;
      const col = j * info.strideWidth + v - info.padWidth;
      if (row >= 0 && row < info.inHeight && col >= 0 && col < info.inWidth) {
        cells.push(((n * info.inChannels + c) * info.inHeight + row) * info.inWidth + col);
      }
    }
  }
  return cells;
}

/** Calls `visit(window cells, output index)` for every output of the pooling, in row-major order. */
function forEachWindow(info: WindowInfo, visit: (cells: number[], outIndex: number) => void): void {
  let outIndex = 0;
  for (let n = 0; n < info.batch; n++)
    for (let c = 0; c < info.inChannels; c++)
      for (let i = 0; i < info.outHeight; i++) for (let j = 0; j < info.outWidth; j++) visit(windowCells(info, n, c, i, j), outIndex++);
}

/** float64 references. */
function referenceAvgPool(x: readonly number[], info: WindowInfo): number[] {
  const out: number[] = [];
  forEachWindow(info, (cells) => out.push(cells.reduce((sum, cell) => sum + x[cell], 0) / (info.kernelHeight * info.kernelWidth)));
  return out;
}

function referenceMaxPool(x: readonly number[], info: WindowInfo): number[] {
  const out: number[] = [];
  forEachWindow(info, (cells) => out.push(Math.max(...cells.map((cell) => x[cell]))));
  return out;
}

function referenceMaxPoolBackprop(dy: readonly number[], x: readonly number[], info: WindowInfo): number[] {
  const dx = new Array<number>(x.length).fill(0);
  forEachWindow(info, (cells, outIndex) => {
    const max = Math.max(...cells.map((cell) => x[cell]));
    const first = cells.find((cell) => x[cell] === max);
    if (first === undefined) throw new Error('a window without real cells');
    dx[first] += dy[outIndex];
  });
  return dx;
}

/** Random pooling geometries: non-square input and window, stride and padding (≤ half the window) per axis. */
const poolInfo = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    channels: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 7 }),
    width: fc.integer({ min: 1, max: 7 }),
    kernelHeight: fc.integer({ min: 1, max: 4 }),
    kernelWidth: fc.integer({ min: 1, max: 4 }),
    strideHeight: fc.integer({ min: 1, max: 3 }),
    strideWidth: fc.integer({ min: 1, max: 3 }),
    padHeightFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    padWidthFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((g) => ({
    ...g,
    padHeight: Math.floor(g.padHeightFraction * (Math.floor(g.kernelHeight / 2) + 0.999)),
    padWidth: Math.floor(g.padWidthFraction * (Math.floor(g.kernelWidth / 2) + 0.999)),
  }))
  .filter(
    (g) =>
      g.height !== g.width &&
      g.kernelHeight !== g.kernelWidth &&
      g.kernelHeight <= g.height + 2 * g.padHeight &&
      g.kernelWidth <= g.width + 2 * g.padWidth,
  )
  .map((g) =>
    computePool2dInfo(
      [g.batch, g.channels, g.height, g.width],
      [g.kernelHeight, g.kernelWidth],
      [g.strideHeight, g.strideWidth],
      [g.padHeight, g.padWidth],
    ),
  );

const poolCase = poolInfo.chain((info) =>
  fc.record({
    info: fc.constant(info),
    x: fc.oneof(float32Values(sizeOf(info.inShape)), tiedValues(sizeOf(info.inShape))),
    dy: float32Values(sizeOf(info.outShape)),
  }),
);

// x = [[3,1,4,1],
//      [5,9,2,6],
//      [5,3,5,8]]
const digitsOfPi = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];

describe('avgPool2d', () => {
  it('averages 2×3 windows of a 3×4 image with stride 1', async () => {
    const info = computePool2dInfo([1, 1, 3, 4], [2, 3], 1);
    expect(info.outShape).toEqual([1, 1, 2, 2]);
    const x = Array.from({ length: 12 }, (_, i) => i);
    const expected = [
      (0 + 1 + 2 + 4 + 5 + 6) / 6,
      (1 + 2 + 3 + 5 + 6 + 7) / 6,
      (4 + 5 + 6 + 8 + 9 + 10) / 6,
      (5 + 6 + 7 + 9 + 10 + 11) / 6,
    ];
    expectClose(await runPool('avgPool2d', x, info), expected, 1e-6);
  });

  it('counts padding cells in the divisor', async () => {
    // x = [[1,2,3],[4,5,6]], window 2×2, stride 2, padding 1: windows start at rows −1, 1 and columns −1, 1.
    const info = computePool2dInfo([1, 1, 2, 3], 2, 2, 1);
    expect(info.outShape).toEqual([1, 1, 2, 2]);
    expectClose(await runPool('avgPool2d', [1, 2, 3, 4, 5, 6], info), [1 / 4, (2 + 3) / 4, 4 / 4, (5 + 6) / 4], 1e-6);
  });

  it('spreads the gradient evenly over overlapping windows', async () => {
    // 1×3 image, window 1×2, stride 1: the middle cell is in both windows.
    const info = computePool2dInfo([1, 1, 1, 3], [1, 2], 1);
    expectClose(await runAvgBackprop([2, 6], info), [2 / 2, 2 / 2 + 6 / 2, 6 / 2], 1e-6);
  });

  it('matches a float64 reference on random geometries', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async ({ info, x }) => {
        expectClose(await runPool('avgPool2d', x, info), referenceAvgPool(x, info), 1e-5);
      }),
      { numRuns: 150 },
    );
  });

  it('has its backprop as its adjoint: ⟨avgPool(x), dy⟩ = ⟨x, backprop(dy)⟩', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async ({ info, x, dy }) => {
        const y = await runPool('avgPool2d', x, info);
        const dx = await runAvgBackprop(dy, info);
        const scale = 1e-5 * (1 + absDot(y, dy) + absDot(x, dx));
        expect(Math.abs(dot(y, dy) - dot(x, dx))).toBeLessThanOrEqual(scale);
      }),
      { numRuns: 150 },
    );
  });
});

describe('maxPool2d', () => {
  it('takes the max of 2×2 windows with stride [1,2]', async () => {
    const info = computePool2dInfo([1, 1, 3, 4], 2, [1, 2]);
    expect(info.outShape).toEqual([1, 1, 2, 2]);
    const expected = [Math.max(3, 1, 5, 9), Math.max(4, 1, 2, 6), Math.max(5, 9, 5, 3), Math.max(2, 6, 5, 8)];
    expect(await runPool('maxPool2d', digitsOfPi, info)).toEqual(expected);
  });

  it('routes each gradient to its window’s max, adding where windows share it', async () => {
    const info = computePool2dInfo([1, 1, 3, 4], 2, [1, 2]);
    // The 9 at (1,1) wins windows 0 and 2, the 6 at (1,3) window 1, the 8 at (2,3) window 3.
    const expected = [0, 0, 0, 0, 0, 1 + 3, 0, 2, 0, 0, 0, 4];
    expect(await runMaxBackprop([1, 2, 3, 4], digitsOfPi, info)).toEqual(expected);
  });

  it('ignores padding: an all-negative image keeps its negative maxima', async () => {
    const info = computePool2dInfo([1, 1, 2, 3], 2, 2, 1);
    expect(await runPool('maxPool2d', [-1, -2, -3, -4, -5, -6], info)).toEqual([-1, Math.max(-2, -3), -4, Math.max(-5, -6)]);
  });

  it('routes a tie to the first max in row-major order', async () => {
    const info = computePool2dInfo([1, 1, 2, 2], 2);
    expect(await runMaxBackprop([7], [1, 5, 5, 2], info)).toEqual([0, 7, 0, 0]);
    expect(await runMaxBackprop([7], [4, 4, 4, 4], info)).toEqual([7, 0, 0, 0]);
  });

  it('matches a float64 reference, forward and backward, on random geometries (ties included)', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async ({ info, x, dy }) => {
        expectClose(await runPool('maxPool2d', x, info), referenceMaxPool(x, info), 0); // exact (and −0 = 0)
        expectClose(await runMaxBackprop(dy, x, info), referenceMaxPoolBackprop(dy, x, info), 1e-5);
      }),
      { numRuns: 150 },
    );
  });
});
