/**
 * Property tests: every primitive kernel, forward and backward, on shapes, strides, paddings and
 * values drawn by fast-check, gives the gpu.js backend the same result as backend-cpu within the
 * tolerance the gpu.js backend declares. Registered once per mode by `describeGpuMode`.
 * @module
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ACTIVATION_OPS, broadcastShapes, gradientReadsOutput, sizeOf, type BinaryOp, type UnaryOp, type WindowInfo } from '@lenet/core';
import {
  broadcastableTo,
  classificationCase,
  convolutionCase,
  matmulCase,
  poolingCase,
  reducedShapeOf,
  seed,
  shape,
} from './arbitraries.js';
import { seededLabels, seededValues } from './seeded-values.js';
import type { TwinBackends } from './twin-backends.js';

/** How the property tests are run. */
export interface KernelPropertyOptions {
  /** Cases per property (each new shape compiles new kernels, which is what costs time on a GPU mode). */
  readonly numRuns: number;
}

/**
 * Registers one vitest test per kernel family.
 * @param twins the backends under test and the oracle, read when the tests run
 */
export function describeKernelProperties(twins: () => TwinBackends, options: KernelPropertyOptions): void {
  const check = async <T>(
    arbitrary: fc.Arbitrary<T>,
    body: (twin: TwinBackends, drawn: T) => Promise<void>,
    numRuns = options.numRuns,
  ): Promise<void> => {
    const twin = twins();
    const liveBefore = twin.gpu.liveBuffers();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (drawn) => {
        try {
          await body(twin, drawn);
        } finally {
          twin.disposeAll();
        }
        if (twin.gpu.liveBuffers() !== liveBefore) {
          throw new Error(`${twin.gpu.name} leaked buffers: ${twin.gpu.liveBuffers()} live, ${liveBefore} before`);
        }
      }),
      { numRuns },
    );
  };
  /** Cases per op where each op of a family has its own test (every op checked in every run). */
  const perOpRuns = Math.max(3, Math.ceil(options.numRuns / 3));

  const windowInputs = (twin: TwinBackends, info: WindowInfo, s: number) => ({
    x: twin.upload(seededValues(s, sizeOf(info.inShape)), info.inShape),
    dy: twin.upload(seededValues(s + 1, sizeOf(info.outShape)), info.outShape),
  });

  it('conv2d, conv2dBackpropInput and conv2dBackpropFilter match backend-cpu', async () => {
    await check(convolutionCase, async (twin, { info, seed: s }) => {
      const { x, dy } = windowInputs(twin, info, s);
      const w = twin.upload(seededValues(s + 2, sizeOf(info.filterShape)), info.filterShape);
      await twin.expectSame('conv2d', [x, w], (b, [xi, wi]) => b.conv2d(xi, wi, info));
      await twin.expectSame('conv2dBackpropInput', [dy, w], (b, [dyi, wi]) => b.conv2dBackpropInput(dyi, wi, info));
      await twin.expectSame('conv2dBackpropFilter', [x, dy], (b, [xi, dyi]) => b.conv2dBackpropFilter(xi, dyi, info));
    });
  });

  it('avgPool2d and avgPool2dBackprop match backend-cpu', async () => {
    await check(poolingCase, async (twin, { info, seed: s }) => {
      const { x, dy } = windowInputs(twin, info, s);
      await twin.expectSame('avgPool2d', [x], (b, [xi]) => b.avgPool2d(xi, info));
      await twin.expectSame('avgPool2dBackprop', [dy], (b, [dyi]) => b.avgPool2dBackprop(dyi, info));
    });
  });

  it('maxPool2d and maxPool2dBackprop match backend-cpu', async () => {
    await check(poolingCase, async (twin, { info, seed: s }) => {
      const { x, dy } = windowInputs(twin, info, s);
      await twin.expectSame('maxPool2d', [x], (b, [xi]) => b.maxPool2d(xi, info));
      await twin.expectSame('maxPool2dBackprop', [dy, x], (b, [dyi, xi]) => b.maxPool2dBackprop(dyi, xi, info));
    });
  });

  it('maxPool2d and maxPool2dBackprop match backend-cpu on ties (ReLU outputs: many zeros and equal values)', async () => {
    await check(poolingCase, async (twin, { info, seed: s }) => {
      // a coarse grid through ReLU: most windows hold several equal maxima, often zeros; the
      // gradient must go to the first in row-major order on both backends
      const tied = seededValues(s, sizeOf(info.inShape), -2, 2).map((v) => Math.max(0, Math.round(v)));
      const x = twin.upload(tied, info.inShape);
      const dy = twin.upload(seededValues(s + 1, sizeOf(info.outShape)), info.outShape);
      await twin.expectSame('maxPool2d (ties)', [x], (b, [xi]) => b.maxPool2d(xi, info));
      await twin.expectSame('maxPool2dBackprop (ties)', [dy, x], (b, [dyi, xi]) => b.maxPool2dBackprop(dyi, xi, info));
    });
  });

  it("loops longer than gpu.js's default limit of 1000 iterations run to the end (sumTo over 2,500, matmul with inner 1,500)", async () => {
    const twin = twins();
    const long = twin.upload(new Float32Array(2500).fill(1), [1, 2500]);
    await twin.expectSame('sumTo over 2,500 ones', [long], (b, [li]) => b.sumTo(li, [1, 1]));
    const summed = twin.gpu.sumTo(long.gpu, [1, 1]);
    const [sum] = await twin.gpu.download(summed);
    twin.gpu.dispose(summed);
    expect(sum, 'a loop cut at 1000 iterations would give 1000').toBe(2500);
    const a = twin.upload(seededValues(3, 2 * 1500), [2, 1500]);
    const b = twin.upload(seededValues(4, 1500 * 3), [1500, 3]);
    await twin.expectSame('matmul with inner extent 1,500', [a, b], (be, [ai, bi]) => be.matmul(ai, bi, false, false));
    twin.disposeAll();
  });

  it('matmul with either operand transposed matches backend-cpu', async () => {
    await check(matmulCase, async (twin, { m, k, n, transposeA, transposeB, seed: s }) => {
      const aShape = transposeA ? [k, m] : [m, k];
      const bShape = transposeB ? [n, k] : [k, n];
      const a = twin.upload(seededValues(s, m * k), aShape);
      const b = twin.upload(seededValues(s + 1, k * n), bShape);
      await twin.expectSame(`matmul ${aShape}·${bShape} (tA=${transposeA}, tB=${transposeB})`, [a, b], (be, [ai, bi]) =>
        be.matmul(ai, bi, transposeA, transposeB),
      );
    });
  });

  // Each op of a family is its own test with the shapes drawn, so no op can go unchecked in a run.
  for (const op of ['add', 'sub', 'mul', 'div'] as const satisfies readonly BinaryOp[]) {
    const binaryCase = shape.chain((full) => fc.record({ aShape: broadcastableTo(full), bShape: broadcastableTo(full), seed }));
    it(`binary ${op} with broadcasting matches backend-cpu`, async () => {
      await check(
        binaryCase,
        async (twin, { aShape, bShape, seed: s }) => {
          const outShape = broadcastShapes(aShape, bShape);
          const a = twin.upload(seededValues(s, sizeOf(aShape)), aShape);
          // divisors kept away from zero, where float32 rounding would dominate the comparison
          const bValues = seededValues(s + 1, sizeOf(bShape)).map((v) => (op === 'div' ? Math.sign(v || 1) * (0.5 + Math.abs(v)) : v));
          const b = twin.upload(bValues, bShape);
          await twin.expectSame(`${op} [${aShape}]∘[${bShape}]`, [a, b], (be, [ai, bi]) => be.binary(op, ai, bi, outShape));
        },
        perOpRuns,
      );
    });
  }

  const unaryOps: readonly UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'square', ...ACTIVATION_OPS];
  for (const op of unaryOps) {
    it(`unary ${op} matches backend-cpu`, async () => {
      await check(
        fc.record({ shape, seed }),
        async (twin, { shape: xShape, seed: s }) => {
          const positive = op === 'log' || op === 'sqrt';
          const x = twin.upload(seededValues(s, sizeOf(xShape), positive ? 0.05 : -6, positive ? 5 : 6), xShape);
          await twin.expectSame(`${op} [${xShape}]`, [x], (b, [xi]) => b.unary(op, xi));
        },
        perOpRuns,
      );
    });
  }

  it('affine and fill match backend-cpu', async () => {
    const affineCase = fc.record({
      shape,
      scale: fc.double({ min: -3, max: 3, noNaN: true }),
      shift: fc.double({ min: -3, max: 3, noNaN: true }),
      seed,
    });
    await check(affineCase, async (twin, { shape: xShape, scale, shift, seed: s }) => {
      const x = twin.upload(seededValues(s, sizeOf(xShape)), xShape);
      await twin.expectSame(`affine ·${scale} +${shift}`, [x], (b, [xi]) => b.affine(xi, scale, shift));
      await twin.expectSame(`fill ${shift}`, [], (b) => b.fill(xShape, shift));
    });
  });

  for (const op of ACTIVATION_OPS) {
    it(`${op} gradient matches backend-cpu`, async () => {
      // the input is y = f(z) in (−1, 1) for sigmoid and tanh (core's ACTIVATIONS says what each gradient reads), z or y ≥ 0 otherwise
      const bound = gradientReadsOutput(op) && op !== 'relu' ? 0.99 : 2;
      await check(
        fc.record({ shape, seed }),
        async (twin, { shape: xShape, seed: s }) => {
          const input = twin.upload(seededValues(s, sizeOf(xShape), -bound, bound), xShape);
          const dy = twin.upload(seededValues(s + 1, sizeOf(xShape)), xShape);
          await twin.expectSame(`${op} gradient`, [input, dy], (b, [ii, dyi]) => b.activationGrad(op, ii, dyi));
        },
        perOpRuns,
      );
    });
  }

  const reduceCase = shape.chain((full) => fc.record({ full: fc.constant(full), reduced: reducedShapeOf(full), seed }));
  it('sumTo and broadcastTo match backend-cpu', async () => {
    await check(reduceCase, async (twin, { full, reduced, seed: s }) => {
      const x = twin.upload(seededValues(s, sizeOf(full)), full);
      const small = twin.upload(seededValues(s + 1, sizeOf(reduced)), reduced);
      await twin.expectSame(`sumTo [${full}]→[${reduced}]`, [x], (b, [xi]) => b.sumTo(xi, reduced));
      await twin.expectSame(`broadcastTo [${reduced}]→[${full}]`, [small], (b, [si]) => b.broadcastTo(si, full));
    });
  });

  it('softmax, logSoftmax, softmaxCrossEntropy and its gradient match backend-cpu', async () => {
    await check(classificationCase, async (twin, { batch, classes, seed: s }) => {
      const logits = twin.upload(seededValues(s, batch * classes, -8, 8), [batch, classes]);
      const labels = twin.upload(seededLabels(s + 1, batch, classes), [batch]);
      const dLoss = twin.upload(seededValues(s + 2, batch), [batch]);
      await twin.expectSame('softmax', [logits], (b, [li]) => b.softmax(li));
      await twin.expectSame('logSoftmax', [logits], (b, [li]) => b.logSoftmax(li));
      await twin.expectSame('softmaxCrossEntropy', [logits, labels], (b, [li, yi]) => b.softmaxCrossEntropy(li, yi));
      await twin.expectSame('softmaxCrossEntropyGrad', [logits, labels, dLoss], (b, [li, yi, di]) => b.softmaxCrossEntropyGrad(li, yi, di));
    });
  });
}
