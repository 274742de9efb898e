import { computeConv2dInfo, type WindowInfo } from '@lenet/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend, kernels } from '../src/index.js';
import { absDot, dot, download, expectClose, float32Values, upload } from './helpers.js';

/** Runs the forward kernel on plain arrays. */
async function runConv2d(x: ArrayLike<number>, w: ArrayLike<number>, info: WindowInfo): Promise<number[]> {
  const backend = new CpuBackend();
  const z = backend.conv2d(upload(backend, x, info.inShape), upload(backend, w, info.filterShape), info);
  return download(backend, z);
}

async function runBackpropInput(dy: ArrayLike<number>, w: ArrayLike<number>, info: WindowInfo): Promise<number[]> {
  const backend = new CpuBackend();
  const dx = backend.conv2dBackpropInput(upload(backend, dy, info.outShape), upload(backend, w, info.filterShape), info);
  return download(backend, dx);
}

async function runBackpropFilter(x: ArrayLike<number>, dy: ArrayLike<number>, info: WindowInfo): Promise<number[]> {
  const backend = new CpuBackend();
  const dw = backend.conv2dBackpropFilter(upload(backend, x, info.inShape), upload(backend, dy, info.outShape), info);
  return download(backend, dw);
}

/**
 * The float64 reference, written differently from the kernel: copy the input into an explicitly
 * zero-padded buffer, then slide the window over it with flat indices.
 */
function referenceConv2d(x: readonly number[], w: readonly number[], info: WindowInfo): number[] {
  const { batch, inChannels, inHeight, inWidth, outChannels, kernelHeight, kernelWidth } = info;
  const paddedHeight = inHeight + 2 * info.padHeight;
  const paddedWidth = inWidth + 2 * info.padWidth;
  const padded = new Float64Array(batch * inChannels * paddedHeight * paddedWidth);
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < inChannels; c++)
      for (let i = 0; i < inHeight; i++)
        for (let j = 0; j < inWidth; j++)
          padded[((n * inChannels + c) * paddedHeight + i + info.padHeight) * paddedWidth + j + info.padWidth] =
            x[((n * inChannels + c) * inHeight + i) * inWidth + j];
  const out: number[] = [];
  for (let n = 0; n < batch; n++)
    for (let k = 0; k < outChannels; k++)
      for (let i = 0; i < info.outHeight; i++)
        for (let j = 0; j < info.outWidth; j++) {
          let sum = 0;
          for (let c = 0; c < inChannels; c++)
            for (let u = 0; u < kernelHeight; u++)
              for (let v = 0; v < kernelWidth; v++)
                sum +=
                  padded[((n * inChannels + c) * paddedHeight + i * info.strideHeight + u) * paddedWidth + j * info.strideWidth + v] *
                  w[((k * inChannels + c) * kernelHeight + u) * kernelWidth + v];
          out.push(sum);
        }
  return out;
}

/** Random convolution geometries: non-square inputs and kernels, stride and padding drawn per axis. */
const convInfo = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    inChannels: fc.integer({ min: 1, max: 3 }),
    outChannels: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 7 }),
    width: fc.integer({ min: 1, max: 7 }),
    kernelHeight: fc.integer({ min: 1, max: 4 }),
    kernelWidth: fc.integer({ min: 1, max: 4 }),
    strideHeight: fc.integer({ min: 1, max: 3 }),
    strideWidth: fc.integer({ min: 1, max: 3 }),
    padHeight: fc.integer({ min: 0, max: 2 }),
    padWidth: fc.integer({ min: 0, max: 2 }),
  })
  .filter(
    (g) =>
      g.height !== g.width &&
      g.kernelHeight !== g.kernelWidth &&
      g.kernelHeight <= g.height + 2 * g.padHeight &&
      g.kernelWidth <= g.width + 2 * g.padWidth,
  )
  .map((g) =>
    computeConv2dInfo(
      [g.batch, g.inChannels, g.height, g.width],
      [g.outChannels, g.inChannels, g.kernelHeight, g.kernelWidth],
      [g.strideHeight, g.strideWidth],
      [g.padHeight, g.padWidth],
    ),
  );

/** A geometry with an input x, a filter w and an output gradient dy, all distinct random values. */
const convCase = convInfo.chain((info) =>
  fc.record({
    info: fc.constant(info),
    x: float32Values(info.inShape.reduce((a, b) => a * b, 1)),
    w: float32Values(info.filterShape.reduce((a, b) => a * b, 1)),
    dy: float32Values(info.outShape.reduce((a, b) => a * b, 1)),
  }),
);

const range = (length: number): number[] => Array.from({ length }, (_, i) => i);

describe('conv2d (formula (1))', () => {
  it('cross-correlates the 3×3 input 0..8 with the 2×2 kernel 0..3 into [[19,25],[37,43]]', async () => {
    const info = computeConv2dInfo([1, 1, 3, 3], [1, 1, 2, 2], 1, 0);
    // x = [[0,1,2],[3,4,5],[6,7,8]], w_rot = [[0,1],[2,3]], no flip:
    // z(0,0) = 0·0 + 1·1 + 3·2 + 4·3 = 19     z(0,1) = 1·0 + 2·1 + 4·2 + 5·3 = 25
    // z(1,0) = 3·0 + 4·1 + 6·2 + 7·3 = 37     z(1,1) = 4·0 + 5·1 + 7·2 + 8·3 = 43
    expect(await runConv2d(range(9), range(4), info)).toEqual([19, 25, 37, 43]);
  });

  it('is exported as a plain function on Float32Arrays too (kernels.conv2d)', () => {
    const info = computeConv2dInfo([1, 1, 3, 3], [1, 1, 2, 2], 1, 0);
    expect(Array.from(kernels.conv2d(Float32Array.from(range(9)), Float32Array.from(range(4)), info))).toEqual([19, 25, 37, 43]);
  });

  it('applies stride and padding per axis (stride [2,1], padding [1,0])', async () => {
    const info = computeConv2dInfo([1, 1, 3, 3], [1, 1, 2, 2], [2, 1], [1, 0]);
    expect(info.outShape).toEqual([1, 1, 2, 2]);
    // Windows start at rows −1 and 1 (row −1 is padding) and at columns 0 and 1.
    const expected = [
      0 * 2 + 1 * 3, //                 rows −1..0, cols 0..1: only the bottom kernel row meets the image
      1 * 2 + 2 * 3, //                 rows −1..0, cols 1..2
      3 * 0 + 4 * 1 + 6 * 2 + 7 * 3, // rows 1..2, cols 0..1
      4 * 0 + 5 * 1 + 7 * 2 + 8 * 3, // rows 1..2, cols 1..2
    ];
    expect(await runConv2d(range(9), range(4), info)).toEqual(expected);
  });

  it('sums over input channels and keeps filters apart', async () => {
    // 2 input channels (x and 10·x), 2 filters: [ones on channel 0 only] and [ones on channel 1 only].
    const info = computeConv2dInfo([1, 2, 2, 3], [2, 2, 1, 1], 1, 0);
    const x = [...range(6), ...range(6).map((v) => 10 * v)];
    const w = [1, 0, 0, 1];
    expect(await runConv2d(x, w, info)).toEqual(x);
  });

  it('matches a float64 reference on random geometries and values', async () => {
    await fc.assert(
      fc.asyncProperty(convCase, async ({ info, x, w }) => {
        expectClose(await runConv2d(x, w, info), referenceConv2d(x, w, info), 1e-5);
      }),
      { numRuns: 150 },
    );
  });
});

describe('conv2d backprops', () => {
  it('input gradient: each input pixel collects the weights of the windows that covered it', async () => {
    const info = computeConv2dInfo([1, 1, 3, 3], [1, 1, 2, 2], 1, 0);
    // w_rot = [[0,1],[2,3]], dy = ones(2×2). Pixel (1,1) lies in all four windows, at kernel positions
    // (1,1), (1,0), (0,1), (0,0); corner (0,0) only in window (0,0), at kernel position (0,0); and so on.
    const expected = [0, 0 + 1, 1, 0 + 2, 3 + 2 + 1 + 0, 3 + 1, 2, 3 + 2, 3];
    expect(await runBackpropInput([1, 1, 1, 1], range(4), info)).toEqual(expected);
  });

  it('input gradient of a single output is the stored filter itself, not its rotation', async () => {
    // ∂z(0,0)/∂a(u,v) = w_rot(u,v): a one-hot dy at output (0,0) must give back w_rot, unflipped, at the top left.
    const info = computeConv2dInfo([1, 1, 3, 4], [1, 1, 2, 3], 1, 0);
    const wRot = [1, 2, 3, 4, 5, 6];
    const dy = [1, 0, 0, 0];
    expect(await runBackpropInput(dy, wRot, info)).toEqual([1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0]);
  });

  it('filter gradient: dw_rot(u,v) sums the input block at offset (u,v) weighted by dy', async () => {
    const info = computeConv2dInfo([1, 1, 3, 3], [1, 1, 2, 2], 1, 0);
    const expected = [0 + 1 + 3 + 4, 1 + 2 + 4 + 5, 3 + 4 + 6 + 7, 4 + 5 + 7 + 8];
    expect(await runBackpropFilter(range(9), [1, 1, 1, 1], info)).toEqual(expected);
  });

  it('are the adjoints of the forward pass: ⟨conv(x,w), dy⟩ = ⟨x, dx(dy,w)⟩ = ⟨w, dw(x,dy)⟩', async () => {
    await fc.assert(
      fc.asyncProperty(convCase, async ({ info, x, w, dy }) => {
        const z = await runConv2d(x, w, info);
        const dx = await runBackpropInput(dy, w, info);
        const dw = await runBackpropFilter(x, dy, info);
        const scale = 1e-5 * (1 + absDot(z, dy) + absDot(x, dx) + absDot(w, dw));
        expect(Math.abs(dot(z, dy) - dot(x, dx))).toBeLessThanOrEqual(scale);
        expect(Math.abs(dot(z, dy) - dot(w, dw))).toBeLessThanOrEqual(scale);
      }),
      { numRuns: 150 },
    );
  });
});
