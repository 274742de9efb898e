/**
 * The gradient epilogues (`GradientEpilogue`) against what they fold: for each kernel that takes one
 * (`matmul`, `sumTo`, `conv2dBackpropFilter`, `avgPool2dBackprop`) and each epilogue (the gradient of
 * every `ActivationOp`, enumerated, and the SGD update), the kernel with its epilogue equals the
 * kernel without it followed by `activationGrad` or `sgdUpdate` on the same backend (each of which
 * the rest of the suite checks against a float64 reference), within a tolerance relative to the
 * result's size. Shapes are drawn, including reductions long enough that a GPU backend splits them
 * (the epilogue must then apply once, after the last part).
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Backend, DataId, GradientEpilogue, TensorInfo } from '../backend/backend.js';
import { Parameter } from '../nn/parameter.js';
import { mul } from '../ops/arithmetic.js';
import { ACTIVATION_OPS, type ActivationOp, gradientReadsOutput } from '../ops/activations.js';
import { fusedConv2d } from '../ops/fused-conv2d.js';
import { fusedMatmul } from '../ops/fused-matmul.js';
import { avgPool2d } from '../ops/pool.js';
import type { FoldedUpdate } from '../ops/fused-backward.js';
import { SGD } from '../optim/sgd.js';
import { sum } from '../ops/reduce.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { sizeOf, type Shape } from '../shape/shape.js';
import { computeConv2dInfo, computePool2dInfo } from '../shape/window-info.js';
import { valuesIn, windowAxes } from './arbitraries.js';
import type { ConformanceContext } from './context.js';
import { expectAllClose, gradOf } from './expect-close.js';
import { scopedTest } from './scoped.js';

/** Each epilogue the checks run: the gradient of every activation, and the SGD update. */
const EPILOGUES: readonly ({ readonly kind: 'activationGrad'; readonly op: ActivationOp } | { readonly kind: 'sgdUpdate' })[] = [
  ...ACTIVATION_OPS.map((op) => ({ kind: 'activationGrad' as const, op })),
  { kind: 'sgdUpdate' },
];

/** Drawn inputs of one kernel that takes an epilogue. */
interface EpilogueCase {
  /** The kernel's inputs. */
  readonly inputs: readonly { readonly shape: Shape; readonly values: readonly number[] }[];
  /** The shape of its result (and of the epilogue's tensor). */
  readonly outShape: Shape;
  /** Runs the kernel on the uploaded inputs, with or without the epilogue. */
  readonly run: (backend: Backend, inputs: readonly TensorInfo[], epilogue?: GradientEpilogue) => DataId;
}

/** Values for the epilogue's tensor (an activation's output or input, or the parameter) and a learning rate. */
function withEpilogueValues(drawn: fc.Arbitrary<EpilogueCase>): fc.Arbitrary<{ kernel: EpilogueCase; other: number[]; lr: number }> {
  return drawn.chain((kernel) =>
    fc.record({
      kernel: fc.constant(kernel),
      other: valuesIn(sizeOf(kernel.outShape), -1, 1),
      lr: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
  );
}

async function checkEpilogue(
  context: ConformanceContext,
  d: { kernel: EpilogueCase; other: number[]; lr: number },
  index: number,
  what: string,
): Promise<void> {
  const backend = context.backend;
  const before = backend.liveBuffers();
  const made: DataId[] = [];
  const upload = (values: readonly number[], shape: Shape): TensorInfo => {
    const dataId = backend.upload(Float32Array.from(values), shape);
    made.push(dataId);
    return { dataId, shape };
  };
  try {
    const inputs = d.kernel.inputs.map(({ values, shape }) => upload(values, shape));
    const other = upload(d.other, d.kernel.outShape);
    const choice = EPILOGUES[index];
    const epilogue: GradientEpilogue =
      choice.kind === 'activationGrad'
        ? { kind: 'activationGrad', op: choice.op, input: other }
        : { kind: 'sgdUpdate', param: other, lr: d.lr };
    const folded = d.kernel.run(backend, inputs, epilogue);
    made.push(folded);
    const plain = d.kernel.run(backend, inputs);
    made.push(plain);
    const r: TensorInfo = { dataId: plain, shape: d.kernel.outShape };
    const separate =
      epilogue.kind === 'activationGrad' ? backend.activationGrad(epilogue.op, other, r) : backend.sgdUpdate(other, r, epilogue.lr);
    made.push(separate);
    const [got, want] = [await backend.download(folded), await backend.download(separate)];
    const scale = Math.max(
      1e-6,
      want.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0),
    );
    expectAllClose(
      Array.from(got, (value) => value / scale),
      Array.from(want, (value) => value / scale),
      3 * backend.tolerance,
      `${what} (relative to max |result| ${scale.toExponential(2)})`,
    );
  } finally {
    for (const dataId of made) backend.dispose(dataId);
  }
  expect(backend.liveBuffers(), 'live buffers after the check (a leak if larger than before)').toBe(before);
}

const matmulCases: fc.Arbitrary<EpilogueCase> = fc
  .record({
    m: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 1, max: 40 }),
    n: fc.integer({ min: 1, max: 5 }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
  })
  .chain(({ m, k, n, transposeA, transposeB }) =>
    fc.record({ a: valuesIn(m * k, -1, 1), b: valuesIn(k * n, -1, 1) }).map(({ a, b }) => ({
      inputs: [
        { shape: transposeA ? [k, m] : [m, k], values: a },
        { shape: transposeB ? [n, k] : [k, n], values: b },
      ],
      outShape: [m, n],
      run: (backend: Backend, [x, y]: readonly TensorInfo[], epilogue?: GradientEpilogue) =>
        backend.matmul(x, y, transposeA, transposeB, epilogue),
    })),
  );

/** A convolution's bias gradient ([N,C,H,W] → [1,C,1,1], long enough to be split on a GPU) or a dense layer's ([N,K] → [1,K]). */
const sumToCases: fc.Arbitrary<EpilogueCase> = fc
  .oneof(
    fc
      .record({
        n: fc.integer({ min: 2, max: 4 }),
        c: fc.integer({ min: 1, max: 3 }),
        h: fc.integer({ min: 3, max: 7 }),
        w: fc.integer({ min: 3, max: 7 }),
      })
      .map(({ n, c, h, w }) => ({ from: [n, c, h, w], to: [1, c, 1, 1] })),
    fc.record({ n: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 1, max: 6 }) }).map(({ n, k }) => ({ from: [n, k], to: [1, k] })),
  )
  .chain(({ from, to }) =>
    valuesIn(sizeOf(from), -1, 1).map((values) => ({
      inputs: [{ shape: from, values }],
      outShape: to,
      run: (backend: Backend, [x]: readonly TensorInfo[], epilogue?: GradientEpilogue) => backend.sumTo(x, to, epilogue),
    })),
  );

const filterGradientCases: fc.Arbitrary<EpilogueCase> = fc
  .record({
    batch: fc.integer({ min: 1, max: 6 }),
    inChannels: fc.integer({ min: 1, max: 2 }),
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
    return fc.record({ x: valuesIn(sizeOf(info.inShape), -1, 1), dy: valuesIn(sizeOf(info.outShape), -1, 1) }).map(({ x, dy }) => ({
      inputs: [
        { shape: info.inShape, values: x },
        { shape: info.outShape, values: dy },
      ],
      outShape: info.filterShape,
      run: (backend: Backend, [input, dz]: readonly TensorInfo[], epilogue?: GradientEpilogue) =>
        backend.conv2dBackpropFilter(input, dz, info, epilogue),
    }));
  });

const poolGradientCases: fc.Arbitrary<EpilogueCase> = fc
  .record({ batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 3 }), window: windowAxes('pool') })
  .chain((g) => {
    const info = computePool2dInfo([g.batch, g.channels, ...g.window.size], g.window.kernel, g.window.stride, g.window.padding);
    return valuesIn(sizeOf(info.outShape), -1, 1).map((dy) => ({
      inputs: [{ shape: info.outShape, values: dy }],
      outShape: info.inShape,
      run: (backend: Backend, [dOut]: readonly TensorInfo[], epilogue?: GradientEpilogue) =>
        backend.avgPool2dBackprop(dOut, info, epilogue),
    }));
  });

/** Registers the gradient-epilogue checks. */
export function describeGradientEpilogueChecks(context: ConformanceContext): void {
  const runs = { numRuns: Math.max(2, Math.ceil(context.numRuns / 4)), ...(context.seed === undefined ? {} : { seed: context.seed }) };
  const kernels: readonly [string, fc.Arbitrary<EpilogueCase>][] = [
    ['matmul', matmulCases],
    ['sumTo', sumToCases],
    ['conv2dBackpropFilter', filterGradientCases],
    ['avgPool2dBackprop', poolGradientCases],
  ];
  describe('gradient epilogues: a kernel with its epilogue equals the kernel, then activationGrad or sgdUpdate', () => {
    for (const [name, cases] of kernels) {
      EPILOGUES.forEach((choice, index) => {
        const label = choice.kind === 'activationGrad' ? `${choice.op} gradient` : 'SGD update';
        it(`${name} + ${label}`, async () => {
          await fc.assert(
            fc.asyncProperty(withEpilogueValues(cases), (d) => checkEpilogue(context, d, index, `${name} + ${label}`)),
            runs,
          );
        });
      });
    }
  });
}

/**
 * Asserts `after` = `before` − lr · `grad`, relative to the size of the update, or to a thousandth of
 * the weights where the update is smaller still (float32 rounds w − lr·g to about 6e-8 · |w|).
 */
async function expectUpdated(
  after: Tensor,
  before: readonly number[],
  grad: Tensor,
  lr: number,
  tolerance: number,
  what: string,
): Promise<void> {
  const [now, g] = [await after.data(), await grad.data()];
  const stored = before.map((value) => Math.fround(value));
  const step = Array.from(g, (value) => lr * value);
  const largest = (values: readonly number[]): number => values.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
  const scale = Math.max(1e-6, largest(step), 1e-3 * largest(stored));
  expectAllClose(
    Array.from(now, (value, i) => (stored[i] - value) / scale),
    step.map((value) => value / scale),
    tolerance,
    `${what}: w − lr·∂L/∂w (relative to ${scale.toExponential(2)}, the largest of |lr·∂L/∂w| and |w|/1000)`,
  );
}

/**
 * Runs `body` with parameters holding `values` (of `shapes`) and plain SGD's update over them at
 * `lr` (`SGD.foldedUpdate()`), then frees the parameters (they live outside every scope).
 */
async function withFoldedSgd(
  lr: number,
  values: ReadonlyArray<readonly [readonly number[], Shape]>,
  body: (params: Parameter[], foldedUpdate: FoldedUpdate) => Promise<void>,
): Promise<void> {
  const params = values.map(([data, shape]) => new Parameter(Float32Array.from(data), shape));
  const optimizer = new SGD(params, { lr });
  try {
    const foldedUpdate = optimizer.foldedUpdate();
    if (foldedUpdate === null) throw new Error('plain SGD must offer a folded update');
    await body(params, foldedUpdate);
  } finally {
    optimizer.dispose();
    for (const param of params) param.dispose();
  }
}

/**
 * Registers the checks of the folded backward pass (`FusedBackwardOptions`): two fused layers, the
 * first one's activation gradient folded into the second's backward kernel and SGD folded into both
 * layers' weight and bias gradients, against the same fused ops without the folds, with autograd's
 * gradients and the update written out (the same forward kernels, so relu's masks agree; the fused
 * ops themselves are checked against the unfused ones in `fused-checks.ts`). A dense pair (`fusedMatmul` → `fusedMatmul`, as LeNet's F5 → F6) and a
 * convolution with its pooling (`fusedConv2d` → `avgPool2d`, as C1 → S2), for every activation whose
 * gradient reads its output (core's `ACTIVATIONS`); one whose gradient reads z must be refused as a fold.
 */
export function describeFoldedBackwardChecks(context: ConformanceContext): void {
  const runs = { numRuns: Math.max(2, Math.ceil(context.numRuns / 4)), ...(context.seed === undefined ? {} : { seed: context.seed }) };
  const lr = 0.5;
  describe('folded backward pass: activation gradients and SGD folded into the gradient kernels', () => {
    for (const op of ACTIVATION_OPS.filter((activation) => !gradientReadsOutput(activation))) {
      it(`${op}, whose gradient reads z, is refused as a fold with an error that names it`, async () => {
        await scopedTest(context, async () => {
          const x = tensor([1, -1], [1, 2]);
          const w = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
          const refused = new RegExp(`fusedMatmul: inputActivation cannot fold the gradient of ${op}`);
          expect(() => fusedMatmul(x, w, null, 'identity', { transposeB: true, inputActivation: op })).toThrow(refused);
          expect(() => fusedMatmul(x, w, null, op, { transposeB: true, gradientIsPreActivation: true })).toThrow(
            /gradientIsPreActivation cannot fold/,
          );
          expect(() => avgPool2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), { kernelSize: 2, inputActivation: op })).toThrow(
            /avgPool2d: inputActivation cannot fold/,
          );
        });
      });
    }
    for (const op of ACTIVATION_OPS.filter(gradientReadsOutput)) {
      it(`fusedMatmul → fusedMatmul (${op}), SGD folded into both`, async () => {
        const drawn = fc
          .record({
            m: fc.integer({ min: 1, max: 4 }),
            k: fc.integer({ min: 1, max: 6 }),
            h: fc.integer({ min: 1, max: 6 }),
            n: fc.integer({ min: 1, max: 4 }),
          })
          .chain((g) =>
            fc.record({
              g: fc.constant(g),
              x: valuesIn(g.m * g.k, -2, 2),
              w1: valuesIn(g.h * g.k, -1, 1),
              b1: valuesIn(g.h, -1, 1),
              w2: valuesIn(g.n * g.h, -1, 1),
              b2: valuesIn(g.n, -1, 1),
              upstream: valuesIn(g.m * g.n, -1, 1),
            }),
          );
        await fc.assert(
          fc.asyncProperty(drawn, (d) =>
            scopedTest(context, async () => {
              const { m, k, h, n } = d.g;
              const shapes: Shape[] = [[h, k], [h], [n, h], [n]];
              const values = [d.w1, d.b1, d.w2, d.b2];
              const x = tensor(d.x, [m, k]);
              const upstream = tensor(d.upstream, [m, n]);
              const [v1, c1, v2, c2] = values.map((data, i) => tensor(data, shapes[i], { requiresGrad: true }));
              // the same fused ops without the folds: the same kernels forward, so the same relu masks
              const unfolded = fusedMatmul(fusedMatmul(x, v1, c1, op, { transposeB: true }), v2, c2, 'identity', { transposeB: true });
              sum(mul(unfolded, upstream)).backward();
              await withFoldedSgd(
                lr,
                values.map((data, i) => [data, shapes[i]] as const),
                async ([w1, b1, w2, b2], foldedUpdate) => {
                  const hidden = fusedMatmul(x, w1, b1, op, { transposeB: true, gradientIsPreActivation: true, foldedUpdate });
                  const out = fusedMatmul(hidden, w2, b2, 'identity', { transposeB: true, inputActivation: op, foldedUpdate });
                  sum(mul(out, upstream)).backward();
                  for (const t of [w1, b1, w2, b2]) expect(t.grad, 'a parameter updated in the backward pass keeps no gradient').toBeNull();
                  const tolerance = 3 * context.backend.tolerance;
                  await expectUpdated(w1, d.w1, gradOf(v1), lr, tolerance, `${op}: first layer's weight`);
                  await expectUpdated(b1, d.b1, gradOf(c1), lr, tolerance, `${op}: first layer's bias`);
                  await expectUpdated(w2, d.w2, gradOf(v2), lr, tolerance, `${op}: second layer's weight`);
                  await expectUpdated(b2, d.b2, gradOf(c2), lr, tolerance, `${op}: second layer's bias`);
                },
              );
              for (const t of [v1, c1, v2, c2]) t.grad?.dispose();
            }),
          ),
          runs,
        );
      });

      it(`fusedConv2d → avgPool2d (${op}), SGD folded into the convolution`, async () => {
        const drawn = fc
          .record({
            batch: fc.integer({ min: 1, max: 2 }),
            inChannels: fc.integer({ min: 1, max: 2 }),
            outChannels: fc.integer({ min: 1, max: 3 }),
            size: fc.integer({ min: 4, max: 7 }),
            kernel: fc.integer({ min: 1, max: 3 }),
            padding: fc.integer({ min: 0, max: 1 }),
          })
          .chain((g) => {
            const info = computeConv2dInfo(
              [g.batch, g.inChannels, g.size, g.size],
              [g.outChannels, g.inChannels, g.kernel, g.kernel],
              1,
              g.padding,
            );
            const pooled = computePool2dInfo(info.outShape, 2);
            return fc.record({
              g: fc.constant(g),
              x: valuesIn(sizeOf(info.inShape), -2, 2),
              w: valuesIn(sizeOf(info.filterShape), -1, 1),
              b: valuesIn(g.outChannels, -1, 1),
              upstream: valuesIn(sizeOf(pooled.outShape), -1, 1),
            });
          });
        await fc.assert(
          fc.asyncProperty(drawn, (d) =>
            scopedTest(context, async () => {
              const { batch, inChannels, outChannels, size, kernel, padding } = d.g;
              const filterShape = [outChannels, inChannels, kernel, kernel];
              const x = tensor(d.x, [batch, inChannels, size, size]);
              const [v, c] = [tensor(d.w, filterShape, { requiresGrad: true }), tensor(d.b, [outChannels], { requiresGrad: true })];
              const unfolded = avgPool2d(fusedConv2d(x, v, c, op, { padding }), { kernelSize: 2 });
              const upstream = tensor(d.upstream, unfolded.shape);
              sum(mul(unfolded, upstream)).backward();
              await withFoldedSgd(
                lr,
                [
                  [d.w, filterShape],
                  [d.b, [outChannels]],
                ],
                async ([w, b], foldedUpdate) => {
                  const activated = fusedConv2d(x, w, b, op, { padding, gradientIsPreActivation: true, foldedUpdate });
                  const pooled = avgPool2d(activated, { kernelSize: 2, inputActivation: op });
                  sum(mul(pooled, upstream)).backward();
                  expect(w.grad, 'a weight updated in the backward pass keeps no gradient').toBeNull();
                  const tolerance = 3 * context.backend.tolerance;
                  await expectUpdated(w, d.w, gradOf(v), lr, tolerance, `${op}: filter`);
                  await expectUpdated(b, d.b, gradOf(c), lr, tolerance, `${op}: bias`);
                },
              );
              for (const t of [v, c]) t.grad?.dispose();
            }),
          ),
          runs,
        );
      });
    }
  });
}
