/**
 * The rank-4 view the broadcasting kernels use: a shape padded with leading 1s, and its strides
 * with 0 on the axes that are broadcast.
 * @module
 */
import { formatShape, type Shape } from '@lenet/core';

/** The highest rank the broadcasting and reduction kernels handle. */
export const MAX_RANK = 4;

/**
 * Pads `shape` on the left with 1s to rank 4: `[K]` → `[1,1,1,K]`.
 * @throws RangeError naming `op` when the rank is above 4.
 */
export function toRank4(shape: Shape, op: string): [number, number, number, number] {
  if (shape.length > MAX_RANK) {
    throw new RangeError(
      `${op}: shape ${formatShape(shape)} has rank ${shape.length}; the gpu.js backend handles rank ≤ ${MAX_RANK} (reshape first)`,
    );
  }
  const padded = [1, 1, 1, 1];
  shape.forEach((extent, axis) => {
    padded[MAX_RANK - shape.length + axis] = extent;
  });
  return [padded[0], padded[1], padded[2], padded[3]];
}
