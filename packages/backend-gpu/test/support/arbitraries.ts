/**
 * fast-check arbitraries for the kernel property tests: window geometries drawn per axis (so
 * height and width differ in extent, stride and padding), batch and channels above 1, broadcast
 * shape pairs, and a seed for the values.
 * @module
 */
import fc from 'fast-check';
import { computeConv2dInfo, computePool2dInfo, type Shape, type WindowInfo } from '@lenet/core';

/** A seed for `seededValues`. */
export const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** One axis of a sliding window: kernel extent, stride, padding and input extent. */
interface WindowAxis {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly size: number;
}

function windowAxis(maxKernel: number, maxPadding: (kernel: number) => number): fc.Arbitrary<WindowAxis> {
  return fc.integer({ min: 1, max: maxKernel }).chain((kernel) =>
    fc
      .record({
        stride: fc.integer({ min: 1, max: 3 }),
        padding: fc.integer({ min: 0, max: maxPadding(kernel) }),
        extra: fc.integer({ min: 0, max: 6 }),
      })
      .map(({ stride, padding, extra }) => ({ kernel, stride, padding, size: Math.max(1, kernel - 2 * padding) + extra })),
  );
}

/**
 * A convolution: input `[N,C,H,W]`, filter `[K,C,kh,kw]`, stride and padding per axis, and a seed.
 * The batch runs to 9 because webasm's convolutions put the examples on the SIMD lanes
 * (`src/kernels/webasm/`): 1–3 run scalar, 4 and 8 fill whole quads, 5–7 and 9 leave a tail.
 */
export const convolutionCase: fc.Arbitrary<{ info: WindowInfo; seed: number }> = fc
  .record({
    batch: fc.integer({ min: 1, max: 9 }),
    inChannels: fc.integer({ min: 1, max: 3 }),
    outChannels: fc.integer({ min: 1, max: 4 }),
    height: windowAxis(4, (kernel) => kernel - 1),
    width: windowAxis(4, (kernel) => kernel - 1),
    seed,
  })
  .map(({ batch, inChannels, outChannels, height, width, seed: s }) => ({
    info: computeConv2dInfo(
      [batch, inChannels, height.size, width.size],
      [outChannels, inChannels, height.kernel, width.kernel],
      [height.stride, width.stride],
      [height.padding, width.padding],
    ),
    seed: s,
  }));

/** A pooling window (padding at most half the kernel, as core requires) over `[N,C,H,W]`, and a seed. */
export const poolingCase: fc.Arbitrary<{ info: WindowInfo; seed: number }> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    channels: fc.integer({ min: 1, max: 3 }),
    height: windowAxis(4, (kernel) => Math.floor(kernel / 2)),
    width: windowAxis(4, (kernel) => Math.floor(kernel / 2)),
    seed,
  })
  .map(({ batch, channels, height, width, seed: s }) => ({
    info: computePool2dInfo(
      [batch, channels, height.size, width.size],
      [height.kernel, width.kernel],
      [height.stride, width.stride],
      [height.padding, width.padding],
    ),
    seed: s,
  }));

/** A shape of rank 1..4 with extents 1..5. */
export const shape: fc.Arbitrary<Shape> = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

/** A shape that broadcasts to `full`: some axes set to 1 and some leading axes dropped (down to `[]`). */
export function broadcastableTo(full: Shape): fc.Arbitrary<Shape> {
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }), fc.integer({ min: 0, max: full.length }))
    .map(([ones, dropped]) => full.map((extent, axis) => (ones[axis] ? 1 : extent)).slice(dropped));
}

/** `full` with some axes set to 1 (same rank): a target of `sumTo` or a source of `broadcastTo`. */
export function reducedShapeOf(full: Shape): fc.Arbitrary<Shape> {
  return fc
    .array(fc.boolean(), { minLength: full.length, maxLength: full.length })
    .map((ones) => full.map((extent, axis) => (ones[axis] ? 1 : extent)));
}

/** A matrix product `[m,k]·[k,n]` with either operand stored transposed. */
export const matmulCase = fc.record({
  m: fc.integer({ min: 1, max: 9 }),
  k: fc.integer({ min: 1, max: 9 }),
  n: fc.integer({ min: 1, max: 9 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  seed,
});

/** Logits `[N,C]` with class labels. */
export const classificationCase = fc.record({
  batch: fc.integer({ min: 1, max: 5 }),
  classes: fc.integer({ min: 1, max: 12 }),
  seed,
});
