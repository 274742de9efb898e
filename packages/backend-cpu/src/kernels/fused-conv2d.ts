/**
 * Formulas (1) and (2) as one op, after tfjs's `fused.conv2d`: the convolution, then its bias, then
 * its activation, each by the readable kernel that computes it alone (the GPU backend does all three
 * in one kernel and is tested against this composition).
 * @module
 */
import type { FusedActivation, WindowInfo } from '@lenet/core';
import { conv2d } from './conv2d.js';
import { epilogue } from './epilogue.js';

/**
 * `a[n,k](x, y) = f(z[n,k](x, y) + b[k])` with z from formula (1) ({@link conv2d}); the bias `[K]` is
 * skipped when null.
 *
 * Shapes: input `[N, C, H, W]`, filter `[K, C, kh, kw]`, bias `[K]` → `[N, K, outH, outW]` (in `info`).
 */
export function fusedConv2d(
  input: Float32Array,
  filter: Float32Array,
  bias: Float32Array | null,
  activation: FusedActivation,
  info: WindowInfo,
): Float32Array {
  return epilogue(conv2d(input, filter, info), info.outShape, bias, [1, info.outChannels, 1, 1], activation);
}
