/**
 * NumPy-style broadcasting, used by the element-wise binary ops and their gradients.
 * @module
 */
import { formatShape, stridesOf, type Shape } from './shape.js';

/**
 * The shape two operands broadcast to: align them at the right; on each axis the extents must be
 * equal or one of them 1. `[4,1,3]` and `[5,1]` → `[4,5,3]`.
 * @throws RangeError naming `op` and both shapes when they do not broadcast.
 */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): Shape {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const extentA = a.length - i >= 0 ? a[a.length - i] : 1;
    const extentB = b.length - i >= 0 ? b[b.length - i] : 1;
    if (extentA !== extentB && extentA !== 1 && extentB !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast ` +
          `(axis ${rank - i} has ${extentA} and ${extentB}; each axis needs equal extents or a 1)`,
      );
    }
    out[rank - i] = extentA === 1 ? extentB : extentA;
  }
  return out;
}

/** `shape` padded with leading 1s to `rank`: `[3]` at rank 3 → `[1,1,3]`. */
export function expandRank(shape: Shape, rank: number): Shape {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/**
 * The strides with which to read a tensor of `shape` while walking the (larger) `outShape` it
 * broadcasts to: `shape` is first padded with leading 1s to `outShape`'s rank, then every axis
 * where `shape` has extent 1 gets stride 0, so its one value is reused along that axis. Both
 * backends index broadcast operands with it (backend-cpu's loops, backend-gpu's kernel constants).
 *
 * @example broadcastStrides([3, 1], [2, 3, 4]) // [0, 1, 0]
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const expanded = expandRank(shape, outShape.length);
  const strides = stridesOf(expanded);
  return expanded.map((extent, axis) => (extent === 1 ? 0 : strides[axis]));
}
