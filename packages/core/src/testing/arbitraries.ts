/**
 * fast-check arbitraries for the gradient checks: small shapes (so a suite runs in seconds), window
 * geometries with independent height and width, and values kept where each op is smooth.
 * @module
 */
import fc from 'fast-check';
import { sizeOf, type Shape } from '../shape/shape.js';
import type { GradientInput } from './gradient-check.js';

/** Values are drawn on a grid of this many steps, so shrunk counterexamples read well. */
const GRID = 1000;

/** `n` values uniform on a grid over [lo, hi]. */
export function valuesIn(n: number, lo: number, hi: number): fc.Arbitrary<number[]> {
  return fc
    .array(fc.integer({ min: 0, max: GRID }), { minLength: n, maxLength: n })
    .map((steps) => steps.map((step) => lo + ((hi - lo) * step) / GRID));
}

/**
 * `n` values with lo ≤ |x| ≤ hi and either sign: for relu (away from its kink at 0), and for log,
 * sqrt and divisors when only positive magnitudes are taken.
 */
export function valuesAwayFromZero(n: number, lo: number, hi: number): fc.Arbitrary<number[]> {
  return fc
    .array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: GRID })), { minLength: n, maxLength: n })
    .map((draws) => draws.map(([negative, step]) => (negative ? -1 : 1) * (lo + ((hi - lo) * step) / GRID)));
}

/**
 * `n` distinct values, any two at least `gap` apart, in random order: a max-pool window then has a
 * single arg-max that a step of ±h (h < gap/2) cannot change.
 */
export function distinctValues(n: number, gap: number): fc.Arbitrary<number[]> {
  const ranks = Array.from({ length: n }, (_, i) => i);
  return fc.shuffledSubarray(ranks, { minLength: n, maxLength: n }).map((order) => order.map((rank) => (rank - (n - 1) / 2) * gap));
}

/** A shape of rank `minRank..maxRank` with extents 1..`maxExtent`. */
export function shapeOf(minRank: number, maxRank: number, maxExtent: number): fc.Arbitrary<Shape> {
  return fc.array(fc.integer({ min: 1, max: maxExtent }), { minLength: minRank, maxLength: maxRank });
}

/**
 * A shape that broadcasts to `full`: some axes set to 1 and some leading axes dropped
 * (down to a scalar `[]`).
 */
export function broadcastableTo(full: Shape): fc.Arbitrary<Shape> {
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }), fc.integer({ min: 0, max: full.length }))
    .map(([ones, dropped]) => full.map((extent, axis) => (ones[axis] ? 1 : extent)).slice(dropped));
}

/** An input of `shape` whose values come from `values(size)`. */
export function inputOf(shape: Shape, values: (size: number) => fc.Arbitrary<number[]>): fc.Arbitrary<GradientInput> {
  return values(sizeOf(shape)).map((drawn) => ({ shape, values: drawn }));
}

/** Height and width of a sliding window: kernel, stride and padding, each drawn per axis. */
export interface WindowAxes {
  /** Kernel `[height, width]`, each 1..3. */
  readonly kernel: readonly [number, number];
  /** Stride `[height, width]`, each 1..3. */
  readonly stride: readonly [number, number];
  /** Padding `[height, width]` on each side. */
  readonly padding: readonly [number, number];
  /** Input height and width, at least as large as the kernel once padded. */
  readonly size: readonly [number, number];
}

/** One axis of a window: kernel 1..3, stride 1..3, padding up to `maxPadding(kernel)`, input 1..6. */
function windowAxis(
  maxPadding: (kernel: number) => number,
): fc.Arbitrary<{ kernel: number; stride: number; padding: number; size: number }> {
  return fc.integer({ min: 1, max: 3 }).chain((kernel) =>
    fc
      .record({
        kernel: fc.constant(kernel),
        stride: fc.integer({ min: 1, max: 3 }),
        padding: fc.integer({ min: 0, max: maxPadding(kernel) }),
        extra: fc.integer({ min: 0, max: 3 }),
      })
      .map(({ stride, padding, extra }) => ({ kernel, stride, padding, size: Math.max(1, kernel - 2 * padding) + extra })),
  );
}

/**
 * A window geometry whose height and width are drawn independently (so they mostly differ):
 * convolutions allow padding up to 2, pooling up to half the kernel.
 */
export function windowAxes(kind: 'conv' | 'pool'): fc.Arbitrary<WindowAxes> {
  const maxPadding = kind === 'conv' ? () => 2 : (kernel: number) => Math.floor(kernel / 2);
  return fc.tuple(windowAxis(maxPadding), windowAxis(maxPadding)).map(([height, width]) => ({
    kernel: [height.kernel, width.kernel],
    stride: [height.stride, width.stride],
    padding: [height.padding, width.padding],
    size: [height.size, width.size],
  }));
}
