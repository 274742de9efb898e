import { broadcastShapes, sizeOf, type BinaryOp, type Shape, type UnaryOp } from '@lenet/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { download, expectClose, float32Values, upload } from './helpers.js';

/** Every coordinate tuple of `shape`, in row-major order (an odometer; one empty tuple for a scalar). */
function allCoordinates(shape: Shape): number[][] {
  const result: number[][] = [];
  const coordinates = new Array<number>(shape.length).fill(0);
  for (let count = 0; count < sizeOf(shape); count++) {
    result.push([...coordinates]);
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      coordinates[axis]++;
      if (coordinates[axis] < shape[axis]) break;
      coordinates[axis] = 0;
    }
  }
  return result;
}

/** The value of a broadcast operand at output coordinates: right-aligned axes, coordinate 0 where its extent is 1. */
function broadcastRead(values: readonly number[], shape: Shape, outCoordinates: readonly number[]): number {
  const offset = outCoordinates.length - shape.length;
  let index = 0;
  for (let axis = 0; axis < shape.length; axis++) {
    const coordinate = shape[axis] === 1 ? 0 : outCoordinates[axis + offset];
    index = index * shape[axis] + coordinate;
  }
  return values[index];
}

const binaryReference: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
};

/** An output shape and two operand shapes that broadcast to it (leading axes dropped, some axes set to 1). */
const broadcastCase = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((outShape) => {
    const operandShape = fc
      .record({
        dropped: fc.integer({ min: 0, max: outShape.length }),
        ones: fc.array(fc.boolean(), { minLength: outShape.length, maxLength: outShape.length }),
      })
      .map(({ dropped, ones }) => outShape.map((extent, axis) => (ones[axis] ? 1 : extent)).slice(dropped));
    return fc.record({ aShape: operandShape, bShape: operandShape, op: fc.constantFrom<BinaryOp>('add', 'sub', 'mul', 'div') });
  })
  .chain(({ aShape, bShape, op }) =>
    fc.record({
      op: fc.constant(op),
      aShape: fc.constant(aShape),
      bShape: fc.constant(bShape),
      a: float32Values(sizeOf(aShape)),
      // divisors kept away from 0
      b: float32Values(sizeOf(bShape)).map((values) => values.map((v) => Math.fround(v < 0 ? v - 0.5 : v + 0.5))),
    }),
  );

describe('binary ops with broadcasting', () => {
  it('broadcasts a column against a row', async () => {
    const backend = new CpuBackend();
    const column = upload(backend, [10, 20], [2, 1]);
    const row = upload(backend, [1, 2, 3], [3]);
    expect(await download(backend, backend.binary('sub', column, row, [2, 3]))).toEqual([9, 8, 7, 19, 18, 17]);
    expect(await download(backend, backend.binary('div', row, column, [2, 3]))).toEqual(
      [1 / 10, 2 / 10, 3 / 10, 1 / 20, 2 / 20, 3 / 20].map(Math.fround),
    );
  });

  it('adds a per-channel bias [1,K,1,1] to [N,K,H,W]', async () => {
    const backend = new CpuBackend();
    const x = upload(
      backend,
      Array.from({ length: 12 }, (_, i) => i),
      [1, 2, 2, 3],
    );
    const bias = upload(backend, [100, 200], [1, 2, 1, 1]);
    const expected = [100, 101, 102, 103, 104, 105, 206, 207, 208, 209, 210, 211];
    expect(await download(backend, backend.binary('add', x, bias, [1, 2, 2, 3]))).toEqual(expected);
  });

  it('matches a float64 reference for random shapes that broadcast (ranks 0..4)', async () => {
    await fc.assert(
      fc.asyncProperty(broadcastCase, async ({ op, aShape, bShape, a, b }) => {
        const outShape = broadcastShapes(aShape, bShape);
        const expected = allCoordinates(outShape).map((coordinates) =>
          binaryReference[op](broadcastRead(a, aShape, coordinates), broadcastRead(b, bShape, coordinates)),
        );
        const backend = new CpuBackend();
        const out = backend.binary(op, upload(backend, a, aShape), upload(backend, b, bShape), outShape);
        expectClose(await download(backend, out), expected, 1e-6);
      }),
      { numRuns: 200 },
    );
  });
});

describe('unary, affine, fill and activation gradients', () => {
  const inputs = [-30, -2.5, -1, -0.25, 0, 0.25, 1, 2.5, 30];
  const references: Record<UnaryOp, (x: number) => number> = {
    neg: (x) => -x,
    exp: Math.exp,
    log: Math.log,
    sqrt: Math.sqrt,
    square: (x) => x * x,
    sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    tanh: Math.tanh,
    relu: (x) => Math.max(0, x),
    silu: (x) => x / (1 + Math.exp(-x)),
  };

  // every op of core's list: the record above fails to compile when one lacks its reference
  const unaryOps = Object.keys(references).filter((op): op is UnaryOp => Object.hasOwn(references, op));

  it.each(unaryOps)('%s matches Math', async (op) => {
    const backend = new CpuBackend();
    const x = op === 'log' || op === 'sqrt' ? inputs.filter((v) => v > 0) : inputs;
    const out = await download(backend, backend.unary(op, upload(backend, x, [x.length])));
    expectClose(
      out,
      x.map((v) => references[op](Math.fround(v))),
      1e-6,
    );
  });

  it('relu passes positives, zeroes negatives', async () => {
    const backend = new CpuBackend();
    expect(await download(backend, backend.unary('relu', upload(backend, [-3, 0, 2], [3])))).toEqual([0, 0, 2]);
  });

  it('affine computes x · scale + shift', async () => {
    const backend = new CpuBackend();
    const x = upload(backend, [0, 0.5, 2], [3]);
    expect(await download(backend, backend.affine(x, -1, 1))).toEqual([1, 0.5, -1]);
    expect(await download(backend, backend.affine(x, 4, -3))).toEqual([-3, -1, 5]);
  });

  it('fill makes a buffer of one value', async () => {
    const backend = new CpuBackend();
    expect(await download(backend, backend.fill([2, 3], 0.25))).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  it('activation gradients use y for sigmoid and tanh and x for relu', async () => {
    const backend = new CpuBackend();
    const dy = upload(backend, [2, 3, 5], [3]);
    const y = upload(backend, [0.5, 0.25, -0.5], [3]);
    expectClose(await download(backend, backend.activationGrad('sigmoid', y, dy)), [2 * 0.5 * 0.5, 3 * 0.25 * 0.75, 5 * -0.5 * 1.5], 1e-6);
    expectClose(await download(backend, backend.activationGrad('tanh', y, dy)), [2 * (1 - 0.25), 3 * (1 - 0.0625), 5 * (1 - 0.25)], 1e-6);
    const x = upload(backend, [-1, 0, 4], [3]);
    expect(await download(backend, backend.activationGrad('relu', x, dy))).toEqual([0, 0, 5]);
  });

  it('sigmoid and tanh gradients match central differences of the functions', async () => {
    const backend = new CpuBackend();
    const x = [-3, -0.7, 0, 0.4, 2];
    const h = 1e-6;
    for (const op of ['sigmoid', 'tanh'] as const) {
      const f = references[op];
      const y = upload(backend, x.map(f), [x.length]);
      const dy = upload(backend, [1, 1, 1, 1, 1], [x.length]);
      const numeric = x.map((v) => (f(v + h) - f(v - h)) / (2 * h));
      expectClose(await download(backend, backend.activationGrad(op, y, dy)), numeric, 1e-5);
    }
  });
});
