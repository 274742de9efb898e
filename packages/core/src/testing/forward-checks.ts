/**
 * Forward passes over drawn shapes, against the float64 references of `reference.ts`, within the
 * backend's declared tolerance. The gradient checks test that forward and backward agree; these
 * test that the forward pass is the formula (a kernel that swapped height and width in both
 * passes would satisfy the first but not the second).
 * @module
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import { matmul } from '../ops/matmul.js';
import { avgPool2d, maxPool2d } from '../ops/pool.js';
import { sum } from '../ops/reduce.js';
import { broadcastShapes } from '../shape/broadcast.js';
import { sizeOf } from '../shape/shape.js';
import { computeConv2dInfo, computePool2dInfo } from '../shape/window-info.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastableTo, shapeOf, valuesAwayFromZero, valuesIn, windowAxes } from './arbitraries.js';
import type { ConformanceContext } from './context.js';
import { expectTensor } from './expect-close.js';
import { referenceBinary, referenceConv2d, referenceMatmul, referencePool2d, referenceSumTo } from './reference.js';
import { scopedTest } from './scoped.js';

const binaryOps = {
  add: { run: add, reference: (a: number, b: number) => a + b },
  sub: { run: sub, reference: (a: number, b: number) => a - b },
  mul: { run: mul, reference: (a: number, b: number) => a * b },
  div: { run: div, reference: (a: number, b: number) => a / b },
} satisfies Record<string, { run: (a: Tensor, b: Tensor) => Tensor; reference: (a: number, b: number) => number }>;

/** Registers the forward checks. */
export function describeForwardChecks(context: ConformanceContext): void {
  /** One property: for each drawn case, `body` compares the backend's output with the reference. */
  function property<T>(name: string, arbitrary: fc.Arbitrary<T>, body: (drawn: T) => Promise<void>): void {
    it(`${name} matches a float64 reference`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, (drawn) => scopedTest(context, () => body(drawn))),
        { numRuns: context.numRuns, ...(context.seed === undefined ? {} : { seed: context.seed }) },
      );
    });
  }

  describe('forward: drawn shapes against a float64 reference', () => {
    const convolution = fc
      .record({
        batch: fc.integer({ min: 1, max: 2 }),
        inChannels: fc.integer({ min: 1, max: 3 }),
        outChannels: fc.integer({ min: 1, max: 3 }),
        window: windowAxes('conv'),
      })
      .chain((g) => {
        const info = computeConv2dInfo(
          [g.batch, g.inChannels, ...g.window.size],
          [g.outChannels, g.inChannels, ...g.window.kernel],
          g.window.stride,
          g.window.padding,
        );
        return fc.record({
          window: fc.constant(g.window),
          info: fc.constant(info),
          x: valuesIn(sizeOf(info.inShape), -2, 2),
          w: valuesIn(sizeOf(info.filterShape), -2, 2),
        });
      });
    property('conv2d', convolution, async ({ window, info, x, w }) => {
      const out = conv2d(tensor(x, info.inShape), tensor(w, info.filterShape), { stride: window.stride, padding: window.padding });
      await expectTensor(out, info.outShape, referenceConv2d(x, w, info), 'conv2d');
    });

    const pooling = fc
      .record({ batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 3 }), window: windowAxes('pool') })
      .chain((g) => {
        const info = computePool2dInfo([g.batch, g.channels, ...g.window.size], g.window.kernel, g.window.stride, g.window.padding);
        return fc.record({ window: fc.constant(g.window), info: fc.constant(info), x: valuesIn(sizeOf(info.inShape), -2, 2) });
      });
    property('avgPool2d', pooling, async ({ window, info, x }) => {
      const out = avgPool2d(tensor(x, info.inShape), { kernelSize: window.kernel, stride: window.stride, padding: window.padding });
      await expectTensor(out, info.outShape, referencePool2d('avg', x, info), 'avgPool2d');
    });
    property('maxPool2d', pooling, async ({ window, info, x }) => {
      const out = maxPool2d(tensor(x, info.inShape), { kernelSize: window.kernel, stride: window.stride, padding: window.padding });
      await expectTensor(out, info.outShape, referencePool2d('max', x, info), 'maxPool2d');
    });

    const products = fc
      .record({
        m: fc.integer({ min: 1, max: 5 }),
        k: fc.integer({ min: 1, max: 5 }),
        n: fc.integer({ min: 1, max: 5 }),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
      })
      .chain((g) => fc.record({ g: fc.constant(g), a: valuesIn(g.m * g.k, -2, 2), b: valuesIn(g.k * g.n, -2, 2) }));
    property('matmul (transpose flags drawn)', products, async ({ g, a, b }) => {
      const left = tensor(a, g.transposeA ? [g.k, g.m] : [g.m, g.k]);
      const right = tensor(b, g.transposeB ? [g.n, g.k] : [g.k, g.n]);
      const out = matmul(left, right, { transposeA: g.transposeA, transposeB: g.transposeB });
      await expectTensor(out, [g.m, g.n], referenceMatmul(a, b, g.m, g.k, g.n, g.transposeA, g.transposeB), 'matmul');
    });

    const binary = shapeOf(1, 4, 3)
      .chain((full) => fc.tuple(broadcastableTo(full), broadcastableTo(full), fc.constantFrom('add', 'sub', 'mul', 'div' as const)))
      .chain(([aShape, bShape, op]) =>
        fc.record({
          op: fc.constant(op),
          aShape: fc.constant(aShape),
          bShape: fc.constant(bShape),
          a: valuesIn(sizeOf(aShape), -2, 2),
          b: valuesAwayFromZero(sizeOf(bShape), 0.5, 2),
        }),
      );
    property('add, sub, mul, div with broadcasting', binary, async ({ op, aShape, bShape, a, b }) => {
      const outShape = broadcastShapes(aShape, bShape);
      const out = binaryOps[op].run(tensor(a, aShape), tensor(b, bShape));
      await expectTensor(out, outShape, referenceBinary(binaryOps[op].reference, a, aShape, b, bShape, outShape), op);
    });

    const reductions = shapeOf(1, 4, 4).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        x: valuesIn(sizeOf(shape), -2, 2),
        axes: fc.subarray(
          shape.map((_, axis) => axis),
          { minLength: 1 },
        ),
      }),
    );
    property('sum over drawn axes', reductions, async ({ shape, x, axes }) => {
      const kept = shape.map((extent, axis) => (axes.includes(axis) ? 1 : extent));
      await expectTensor(sum(tensor(x, shape), axes, true), kept, referenceSumTo(x, shape, kept), 'sum');
    });
  });
}
