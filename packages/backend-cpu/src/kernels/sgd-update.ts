/**
 * The plain SGD update of one parameter, w ← w − lr · ∂L/∂w, composed from `affine` and `binary` as
 * the eager optimizer writes it (the GPU backend does it in one kernel and is tested against this).
 * @module
 */
import type { Shape } from '@lenet/core';
import { binary } from './binary.js';
import { affine } from './elementwise.js';

/**
 * out[i] = w[i] − lr · g[i].
 * @example sgdUpdate(Float32Array.of(1, 2), Float32Array.of(10, -10), [2], 0.1) // [0, 3]
 */
export function sgdUpdate(weights: Float32Array, gradient: Float32Array, shape: Shape, lr: number): Float32Array {
  return binary('sub', weights, shape, affine(gradient, lr, 0), shape, shape);
}
