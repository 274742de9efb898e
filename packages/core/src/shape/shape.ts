/**
 * Shapes: a tensor's extent along each axis, outermost first (row-major).
 * @module
 */

/** A tensor's extent along each axis, outermost first, e.g. `[batch, channels, height, width]`. */
export type Shape = readonly number[];

/** The number of elements of a shape: the product of its extents (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const extent of shape) size *= extent;
  return size;
}

/** Row-major strides: how far apart, in elements, neighbours along each axis are. `[2,3,4]` → `[12,4,1]`. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** `[2,3]` → `"[2,3]"`, for error messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** True when both shapes have the same rank and extents. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((extent, axis) => extent === b[axis]);
}
