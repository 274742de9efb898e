/**
 * softmax and log-softmax along the last axis of `[N, C]`, computed stably.
 * @module
 */
import type { Shape } from '@lenet/core';

/**
 * The largest value of row `n` of an `[N, C]` matrix. Subtracting it before exponentiating keeps every
 * exponent ≤ 0, so e^(x − max) never overflows; softmax is unchanged because the factor e^(−max)
 * cancels between numerator and denominator.
 */
export function rowMax(logits: Float32Array, classes: number, n: number): number {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, logits[n * classes + c]);
  return max;
}

/**
 * log Σ_c e^(x[n,c]), computed stably as max + log Σ_c e^(x[n,c] − max) (the "log-sum-exp" trick).
 */
export function rowLogSumExp(logits: Float32Array, classes: number, n: number): number {
  const max = rowMax(logits, classes, n);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(logits[n * classes + c] - max);
  return max + Math.log(sum);
}

/**
 * softmax along the last axis, row by row:
 *
 * ```text
 *   softmax(x)[n,c] = e^(x[n,c] − m) / Σ_j e^(x[n,j] − m),   m = max_j x[n,j]
 * ```
 *
 * Shapes: `[N, C]` → `[N, C]`; every row of the result is positive and sums to 1.
 * @example softmax(Float32Array.of(0, Math.log(3)), [1, 2]) // [0.25, 0.75]
 */
export function softmax(logits: Float32Array, shape: Shape): Float32Array {
  const [batch, classes] = shape;
  const out = new Float32Array(batch * classes);
  for (let n = 0; n < batch; n++) {
    const logSumExp = rowLogSumExp(logits, classes, n);
    for (let c = 0; c < classes; c++) out[n * classes + c] = Math.exp(logits[n * classes + c] - logSumExp);
  }
  return out;
}

/**
 * log-softmax along the last axis, row by row, without ever forming the (possibly underflowing) softmax:
 *
 * ```text
 *   logSoftmax(x)[n,c] = x[n,c] − m − log Σ_j e^(x[n,j] − m),   m = max_j x[n,j]
 * ```
 *
 * Shapes: `[N, C]` → `[N, C]`.
 * @example logSoftmax(Float32Array.of(0, Math.log(3)), [1, 2]) // [log 0.25, log 0.75]
 */
export function logSoftmax(logits: Float32Array, shape: Shape): Float32Array {
  const [batch, classes] = shape;
  const out = new Float32Array(batch * classes);
  for (let n = 0; n < batch; n++) {
    const logSumExp = rowLogSumExp(logits, classes, n);
    for (let c = 0; c < classes; c++) out[n * classes + c] = logits[n * classes + c] - logSumExp;
  }
  return out;
}
