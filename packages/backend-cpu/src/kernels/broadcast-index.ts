/**
 * N-d index arithmetic for broadcasting: turning an element's flat position into its coordinates
 * and back (the strides, with 0 on the axes that are broadcast, are core's `broadcastStrides`).
 * @module
 */
import type { Shape } from '@lenet/core';

/**
 * The coordinates of the element at row-major position `flatIndex` in a tensor of `shape`.
 * @example coordinatesOf(7, [2, 3, 4]) // [0, 1, 3]
 */
export function coordinatesOf(flatIndex: number, shape: Shape): number[] {
  const coordinates = new Array<number>(shape.length);
  let rest = flatIndex;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    coordinates[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return coordinates;
}

/** The position Σ coordinates[axis] · strides[axis] of an element, given its coordinates and the strides. */
export function positionOf(coordinates: readonly number[], strides: readonly number[]): number {
  let position = 0;
  for (let axis = 0; axis < coordinates.length; axis++) position += coordinates[axis] * strides[axis];
  return position;
}
