/**
 * How a tensor lies in a gpu.js buffer, written down once for every kernel of this package.
 *
 * Every buffer is **1-D and row-major** (C order), exactly as `@lenet/core` stores tensors: a
 * texture (WebGL), a storage buffer (WebGPU) or a `Float32Array` (WebAssembly, cpu) of
 * `sizeOf(shape)` floats. Every kernel of `kernels/` has a 1-D output `[size]`, so `this.thread.x`
 * is the flat index `i` of the element it computes. Only webasm's batch-last kernels
 * (`kernels/webasm/`) run on gpu.js's `[x, y, z]` grids, whose x axis is the SIMD lane axis there;
 * their output is the same flat row-major array, x fastest.
 *
 * For an NCHW tensor `[N, C, H, W]`, with x the row and y the column as in formula (1) and
 * `kernels/conv2d.ts`, the flat index and its inverse are
 *
 *   i = ((n·C + c)·H + x)·W + y
 *
 *   rows = ⌊(i + ½) / W⌋,   y = i − rows·W          (rows = (n·C + c)·H + x)
 *   plane = ⌊(rows + ½) / H⌋, x = rows − plane·H    (plane = n·C + c)
 *   n = ⌊(plane + ½) / C⌋,   c = plane − n·C
 *
 * The `+ ½` is deliberate: GLSL divides as `a · (1/b)`, which can land just below an exact integer
 * quotient (6 / 3 → 1.9999999), and `⌊·⌋` would then be off by one. With `+ ½` the true quotient
 * is at least ½/W away from an integer, far more than float32's rounding error for indices below
 * 2²³ (8 million elements, the largest buffer this package indexes).
 * @module
 */
import type { Shape } from '@lenet/core';

/** The NCHW coordinates of one element. */
export interface NchwIndex {
  /** Image in the batch. */
  readonly n: number;
  /** Channel. */
  readonly c: number;
  /** Row (down the height), as in formula (1). */
  readonly x: number;
  /** Column (across the width). */
  readonly y: number;
}

/** i = ((n·C + c)·H + x)·W + y, the flat index of an element of an NCHW tensor of `shape`. */
export function flatIndexOfNchw(shape: Shape, at: NchwIndex): number {
  const [, channels, height, width] = shape;
  return ((at.n * channels + at.c) * height + at.x) * width + at.y;
}

/**
 * The inverse of {@link flatIndexOfNchw}, computed as the kernels compute it (with the `+ ½`).
 * @example nchwOfFlatIndex([2, 3, 4, 5], 67) // { n: 1, c: 0, x: 1, y: 2 }: row 1, column 2
 */
export function nchwOfFlatIndex(shape: Shape, index: number): NchwIndex {
  const [, channels, height, width] = shape;
  const rows = Math.floor((index + 0.5) / width);
  const plane = Math.floor((rows + 0.5) / height);
  const n = Math.floor((plane + 0.5) / channels);
  return { n, c: plane - n * channels, x: rows - plane * height, y: index - rows * width };
}

/** The largest element count a buffer may have for the index arithmetic above to stay exact. */
export const MAX_EXACT_INDEX = 2 ** 23;
