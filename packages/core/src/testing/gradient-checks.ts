/**
 * Finite-difference gradient checks for every op, over shapes, window geometries and values drawn
 * by fast-check (see `gradient-check.ts` for the method, the step h and the tolerance). Each
 * property also asserts that the forward and backward passes leave no buffer behind.
 * @module
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { ACTIVATION_OPS, activation } from '../ops/activations.js';
import { conv2d } from '../ops/conv2d.js';
import { matmul } from '../ops/matmul.js';
import { avgPool2d, maxPool2d } from '../ops/pool.js';
import { broadcastTo, mean, sum, sumTo } from '../ops/reduce.js';
import { flatten, reshape } from '../ops/reshape.js';
import { crossEntropy, logSoftmax, softmax } from '../ops/softmax.js';
import { affine, exp, log, neg, sqrt, square } from '../ops/unary-math.js';
import { Rng } from '../random/rng.js';
import { sizeOf, type Shape } from '../shape/shape.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  broadcastableTo,
  distinctValues,
  inputOf,
  shapeOf,
  valuesAwayFromZero,
  valuesIn,
  windowAxes,
  type WindowAxes,
} from './arbitraries.js';
import type { ConformanceContext } from './context.js';
import { checkGradients, type GradientInput } from './gradient-check.js';
import { REFERENCE_ACTIVATIONS } from './reference.js';
import { scopedTest } from './scoped.js';

/** The drawn arguments of one op: its differentiated inputs plus whatever else it takes. */
interface OpCase {
  readonly inputs: readonly GradientInput[];
}

/** Values on which an op is smooth, for `n` elements. */
type ValuesFor = (n: number) => fc.Arbitrary<number[]>;

const moderate: ValuesFor = (n) => valuesIn(n, -2, 2);
/** relu (an activation with a kink at 0): |x| ≥ 0.05 > 2h, so x ± h never crosses it. */
const awayFromKink: ValuesFor = (n) => valuesAwayFromZero(n, 0.05, 2);
/** log, sqrt: x ∈ [0.5, 2], far from the singularity at 0. */
const positive: ValuesFor = (n) => valuesIn(n, 0.5, 2);
/** divisors: 0.5 ≤ |b| ≤ 2. */
const divisors: ValuesFor = (n) => valuesAwayFromZero(n, 0.5, 2);
/** max pooling: all values distinct and 0.05 > 2h apart, so no window's arg-max can change. */
const separated: ValuesFor = (n) => distinctValues(n, 0.05);

/** `[0, 1, …, n − 1]` */
function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** A deterministic input (for the fixed examples every run includes). */
function seededInput(shape: Shape, seed: number, values: 'moderate' | 'separated'): GradientInput {
  const rng = new Rng(seed);
  const size = sizeOf(shape);
  const drawn =
    values === 'moderate'
      ? Array.from({ length: size }, () => Math.round(rng.uniform(-2, 2) * 1000) / 1000)
      : rng.shuffle(range(size)).map((rank) => (rank - (size - 1) / 2) * 0.05);
  return { shape, values: drawn };
}

/** A geometry with different kernel, stride and padding along height and width, always checked. */
const ASYMMETRIC_WINDOW: WindowAxes = { kernel: [3, 2], stride: [2, 1], padding: [1, 0], size: [5, 4] };

/** Registers the gradient checks of every op. */
export function describeGradientChecks(context: ConformanceContext): void {
  /**
   * One fast-check property: for each drawn case, autograd's gradient of Σ r ⊙ op(inputs) matches
   * central differences, and no buffer leaks. `examples` are checked on every run as well.
   */
  function property<P extends OpCase>(
    name: string,
    arbitrary: fc.Arbitrary<P>,
    apply: (drawn: P, inputs: readonly Tensor[]) => Tensor,
    examples: P[] = [],
  ): void {
    it(`${name}: autograd matches central differences`, async () => {
      const weightSeed = fc.integer({ min: 0, max: 0x7fffffff });
      await fc.assert(
        fc.asyncProperty(arbitrary, weightSeed, async (drawn, seed) => {
          await scopedTest(context, () =>
            checkGradients(context, { op: name, inputs: drawn.inputs, apply: (inputs) => apply(drawn, inputs), weightSeed: seed }),
          );
        }),
        {
          numRuns: context.numRuns,
          examples: examples.map((example, k): [P, number] => [example, k + 1]),
          ...(context.seed === undefined ? {} : { seed: context.seed }),
        },
      );
    });
  }

  describe('gradients: element-wise binary ops with broadcasting', () => {
    /** Two shapes that broadcast together: each is the full shape with some axes 1 and some leading axes dropped. */
    const pair = (second: ValuesFor) =>
      shapeOf(1, 3, 4)
        .chain((full) => fc.tuple(broadcastableTo(full), broadcastableTo(full)))
        .chain(([a, b]) => fc.record({ inputs: fc.tuple(inputOf(a, moderate), inputOf(b, second)) }));
    property('add', pair(moderate), (_, [a, b]) => add(a, b));
    property('sub', pair(moderate), (_, [a, b]) => sub(a, b));
    property('mul', pair(moderate), (_, [a, b]) => mul(a, b));
    property('div', pair(divisors), (_, [a, b]) => div(a, b));
  });

  describe('gradients: matmul with every transpose flag', () => {
    for (const [transposeA, transposeB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const cases = fc
        .record({ m: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) })
        .chain(({ m, k, n }) =>
          fc.record({ inputs: fc.tuple(inputOf(transposeA ? [k, m] : [m, k], moderate), inputOf(transposeB ? [n, k] : [k, n], moderate)) }),
        );
      property(`matmul (transposeA=${transposeA}, transposeB=${transposeB})`, cases, (_, [a, b]) =>
        matmul(a, b, { transposeA, transposeB }),
      );
    }
  });

  describe('gradients: reductions, broadcasting and reshaping', () => {
    const reduction = shapeOf(1, 4, 3).chain((shape) =>
      fc.record({
        inputs: fc.tuple(inputOf(shape, moderate)),
        // Some axes, some of them counted from the end (−1 is the last), or all of them (undefined).
        axes: fc.option(
          fc
            .subarray(range(shape.length))
            .chain((axes) =>
              fc
                .array(fc.boolean(), { minLength: axes.length, maxLength: axes.length })
                .map((fromEnd) => axes.map((axis, i) => (fromEnd[i] ? axis - shape.length : axis))),
            ),
          { nil: undefined },
        ),
        keepDims: fc.boolean(),
      }),
    );
    property('sum', reduction, ({ axes, keepDims }, [x]) => sum(x, axes, keepDims));
    property('mean', reduction, ({ axes, keepDims }, [x]) => mean(x, axes, keepDims));

    const toSmaller = shapeOf(1, 4, 3).chain((full) =>
      fc.record({ inputs: fc.tuple(inputOf(full, moderate)), target: broadcastableTo(full) }),
    );
    property('sumTo', toSmaller, ({ target }, [x]) => sumTo(x, target));

    const toLarger = shapeOf(1, 4, 3).chain((full) =>
      broadcastableTo(full).chain((small) => fc.record({ inputs: fc.tuple(inputOf(small, moderate)), target: fc.constant(full) })),
    );
    property('broadcastTo', toLarger, ({ target }, [x]) => broadcastTo(x, target));

    // A target shape of the same size: the extents shuffled, the first two maybe merged, one maybe −1.
    const reshaping = shapeOf(1, 3, 4).chain((shape) =>
      fc.record({
        inputs: fc.tuple(inputOf(shape, moderate)),
        target: fc
          .tuple(
            fc.shuffledSubarray([...shape], { minLength: shape.length, maxLength: shape.length }),
            fc.boolean(),
            fc.integer({ min: -1, max: 2 }),
          )
          .map(([extents, merge, inferred]) => {
            const target = merge && extents.length >= 2 ? [extents[0] * extents[1], ...extents.slice(2)] : extents;
            return target.map((extent, axis) => (axis === inferred ? -1 : extent));
          }),
      }),
    );
    property('reshape', reshaping, ({ target }, [x]) => reshape(x, target));

    const flattening = shapeOf(2, 4, 3).chain((shape) =>
      fc.record({ inputs: fc.tuple(inputOf(shape, moderate)), startAxis: fc.integer({ min: 0, max: shape.length - 1 }) }),
    );
    property('flatten', flattening, ({ startAxis }, [x]) => flatten(x, startAxis));
  });

  describe('gradients: element-wise unary ops and activations', () => {
    const unary = (values: ValuesFor) => shapeOf(1, 3, 4).chain((shape) => fc.record({ inputs: fc.tuple(inputOf(shape, values)) }));
    property('neg', unary(moderate), (_, [x]) => neg(x));
    property('exp', unary(moderate), (_, [x]) => exp(x));
    property('log', unary(positive), (_, [x]) => log(x));
    property('sqrt', unary(positive), (_, [x]) => sqrt(x));
    property('square', unary(moderate), (_, [x]) => square(x));
    for (const op of ACTIVATION_OPS) {
      property(op, unary(REFERENCE_ACTIVATIONS[op].kinkAtZero ? awayFromKink : moderate), (_, [x]) => activation(op, x));
    }
    const affineCases = shapeOf(1, 3, 4).chain((shape) =>
      fc.record({
        inputs: fc.tuple(inputOf(shape, moderate)),
        scale: fc.integer({ min: -20, max: 20 }).map((s) => s / 10),
        shift: fc.integer({ min: -20, max: 20 }).map((s) => s / 10),
      }),
    );
    property('affine', affineCases, ({ scale, shift }, [x]) => affine(x, scale, shift));
  });

  describe('gradients: convolution and pooling (height and width drawn independently)', () => {
    const convolution = fc
      .record({
        batch: fc.integer({ min: 1, max: 2 }),
        inChannels: fc.integer({ min: 1, max: 3 }),
        outChannels: fc.integer({ min: 1, max: 3 }),
        window: windowAxes('conv'),
      })
      .chain((geometry) => {
        const { batch, inChannels, outChannels, window } = geometry;
        return fc.record({
          geometry: fc.constant(geometry),
          inputs: fc.tuple(
            inputOf([batch, inChannels, ...window.size], moderate),
            inputOf([outChannels, inChannels, ...window.kernel], moderate),
          ),
        });
      });
    const convExample = {
      geometry: { batch: 2, inChannels: 2, outChannels: 3, window: ASYMMETRIC_WINDOW },
      inputs: [seededInput([2, 2, 5, 4], 11, 'moderate'), seededInput([3, 2, 3, 2], 12, 'moderate')],
    };
    property(
      'conv2d (input and filter)',
      convolution,
      ({ geometry }, [x, w]) => conv2d(x, w, { stride: geometry.window.stride, padding: geometry.window.padding }),
      [convExample],
    );

    const pooling = (values: ValuesFor) =>
      fc
        .record({ batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 2 }), window: windowAxes('pool') })
        .chain((geometry) =>
          fc.record({
            geometry: fc.constant(geometry),
            inputs: fc.tuple(inputOf([geometry.batch, geometry.channels, ...geometry.window.size], values)),
          }),
        );
    const poolExample = (values: 'moderate' | 'separated') => ({
      geometry: { batch: 2, channels: 2, window: ASYMMETRIC_WINDOW },
      inputs: [seededInput([2, 2, 5, 4], 13, values)],
    });
    property(
      'avgPool2d',
      pooling(moderate),
      ({ geometry: { window } }, [x]) => avgPool2d(x, { kernelSize: window.kernel, stride: window.stride, padding: window.padding }),
      [poolExample('moderate')],
    );
    property(
      'maxPool2d',
      pooling(separated),
      ({ geometry: { window } }, [x]) => maxPool2d(x, { kernelSize: window.kernel, stride: window.stride, padding: window.padding }),
      [poolExample('separated')],
    );
  });

  describe('gradients: softmax, logSoftmax and crossEntropy', () => {
    const logits = fc
      .record({ batch: fc.integer({ min: 1, max: 3 }), classes: fc.integer({ min: 1, max: 5 }) })
      .chain(({ batch, classes }) =>
        fc.record({
          inputs: fc.tuple(inputOf([batch, classes], moderate)),
          labels: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: batch, maxLength: batch }),
        }),
      );
    property('softmax', logits, (_, [z]) => softmax(z));
    property('logSoftmax', logits, (_, [z]) => logSoftmax(z));
    property('crossEntropy (with respect to the logits)', logits, ({ labels }, [z]) => crossEntropy(z, tensor(labels, [labels.length])));
  });
}
