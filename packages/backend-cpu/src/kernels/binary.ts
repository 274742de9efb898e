/**
 * Element-wise binary ops with NumPy-style broadcasting, in any rank.
 * @module
 */
import { sizeOf, type BinaryOp, type Shape } from '@lenet/core';
import { broadcastStrides } from '@lenet/core';
import { coordinatesOf, positionOf } from './broadcast-index.js';

/** The scalar function behind each `BinaryOp`. */
const binaryFunctions: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
};

/**
 * out = a ∘ b with broadcasting. For every output coordinate (i₀, …, i_{r−1}) of `outShape`
 * (= `broadcastShapes(aShape, bShape)`):
 *
 * ```text
 *   out[i₀, …] = a[i₀ or 0, …] ∘ b[i₀ or 0, …]
 * ```
 *
 * where an operand's coordinate is 0 on each axis along which it has extent 1 (its one value is
 * repeated) and missing leading axes count as extent 1.
 *
 * @example
 * // [2,1] + [3] → [2,3]
 * binary('add', Float32Array.of(10, 20), [2, 1], Float32Array.of(1, 2, 3), [3], [2, 3])
 * // [11, 12, 13, 21, 22, 23]
 */
export function binary(op: BinaryOp, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, outShape: Shape): Float32Array {
  const f = binaryFunctions[op];
  const aStrides = broadcastStrides(aShape, outShape);
  const bStrides = broadcastStrides(bShape, outShape);
  const out = new Float32Array(sizeOf(outShape));
  for (let i = 0; i < out.length; i++) {
    const coordinates = coordinatesOf(i, outShape);
    out[i] = f(a[positionOf(coordinates, aStrides)], b[positionOf(coordinates, bStrides)]);
  }
  return out;
}
