/**
 * What a fused layer does after its sum, formula (2) on top of formula (1): add the bias, then apply
 * the activation. Composed from `binary` and `unary`, so the fused kernels (`fused-conv2d.ts`,
 * `fused-matmul.ts`) are exactly the unfused ops in sequence.
 * @module
 */
import type { FusedActivation, Shape } from '@lenet/core';
import { binary } from './binary.js';
import { unary } from './elementwise.js';

/**
 * f(z + bias): the bias (broadcast from `biasShape`) is skipped when null, f when it is `identity`.
 * @example epilogue(Float32Array.of(-1, 1), [1, 2], Float32Array.of(1, 1), [2], 'relu') // [0, 2]
 */
export function epilogue(
  z: Float32Array,
  shape: Shape,
  bias: Float32Array | null,
  biasShape: Shape,
  activation: FusedActivation,
): Float32Array {
  const withBias = bias === null ? z : binary('add', z, shape, bias, biasShape, shape);
  return activation === 'identity' ? withBias : unary(activation, withBias);
}
