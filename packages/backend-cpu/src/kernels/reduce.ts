/**
 * Broadcasting and its backward pass: `broadcastTo` repeats a tensor along its size-1 axes,
 * `sumTo` sums a tensor down onto them. The two are adjoint: ⟨broadcastTo(s), x⟩ = ⟨s, sumTo(x)⟩.
 * @module
 */
import { sizeOf, type Shape } from '@lenet/core';
import { broadcastStrides } from '@lenet/core';
import { coordinatesOf, positionOf } from './broadcast-index.js';

/**
 * Sums x `[d₀, …]` down to `outShape` (same rank, each extent 1 or x's): every element of x is
 * added into the output element whose coordinates are x's, with 0 on the summed axes.
 *
 * ```text
 *   out[j] = Σ_{i : i maps to j} x[i]
 * ```
 *
 * The sums are accumulated in float64 and rounded to float32 once.
 * @example
 * // [2,3] → [1,3]: column sums
 * sumTo(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 3]) // [5, 7, 9]
 */
export function sumTo(x: Float32Array, xShape: Shape, outShape: Shape): Float32Array {
  const outStrides = broadcastStrides(outShape, xShape);
  const sums = new Float64Array(sizeOf(outShape));
  for (let i = 0; i < x.length; i++) {
    sums[positionOf(coordinatesOf(i, xShape), outStrides)] += x[i];
  }
  return Float32Array.from(sums);
}

/**
 * Repeats x along its size-1 axes up to `outShape` (same rank): out[i] = x[i with 0 on the
 * broadcast axes]. The backward pass of {@link sumTo}.
 * @example
 * // [1,3] → [2,3]
 * broadcastTo(Float32Array.of(1, 2, 3), [1, 3], [2, 3]) // [1, 2, 3, 1, 2, 3]
 */
export function broadcastTo(x: Float32Array, xShape: Shape, outShape: Shape): Float32Array {
  const xStrides = broadcastStrides(xShape, outShape);
  const out = new Float32Array(sizeOf(outShape));
  for (let i = 0; i < out.length; i++) {
    out[i] = x[positionOf(coordinatesOf(i, outShape), xStrides)];
  }
  return out;
}
