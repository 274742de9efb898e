/**
 * The classification loss, softmax and cross-entropy fused into one stable kernel, and its gradient
 * side by side.
 * @module
 */
import type { Shape } from '@lenet/core';
import { fill } from './elementwise.js';
import { rowLogSumExp } from './softmax.js';

/**
 * The class index of example `n`, checked: labels are float32 class indices and must be whole
 * numbers in [0, classes), or the kernel would read another row's logit.
 * @throws RangeError naming the example, the label and the number of classes.
 */
export function classIndex(labels: Float32Array, n: number, classes: number, op: string): number {
  const label = labels[n];
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new RangeError(`${op}: label ${label} of example ${n} is not a class index in 0..${classes - 1}`);
  }
  return label;
}

/**
 * Per-example cross-entropy of softmax(logits) against the true class:
 *
 * ```text
 *   loss[n] = −log softmax(x[n])[label[n]] = log Σ_j e^(x[n,j]) − x[n, label[n]]
 * ```
 *
 * with the log-sum-exp computed stably (max subtracted), so huge logits neither overflow nor
 * produce log(0).
 *
 * Shapes: logits `[N, C]`, labels `[N]` (class indices stored as floats) → loss `[N]`.
 * @example
 * // two equal logits: loss = log 2 whichever class is right
 * softmaxCrossEntropy(Float32Array.of(5, 5), [1, 2], Float32Array.of(1)) // [0.6931…]
 */
export function softmaxCrossEntropy(logits: Float32Array, shape: Shape, labels: Float32Array): Float32Array {
  const [batch, classes] = shape;
  const loss = new Float32Array(batch);
  for (let n = 0; n < batch; n++) {
    const label = classIndex(labels, n, classes, 'softmaxCrossEntropy');
    loss[n] = rowLogSumExp(logits, classes, n) - logits[n * classes + label];
  }
  return loss;
}

/**
 * The gradient of {@link softmaxCrossEntropy} with respect to the logits, scaled by the incoming
 * gradient of each example's loss:
 *
 * ```text
 *   dx[n,c] = dLoss[n] · (softmax(x[n])[c] − [c = label[n]])
 * ```
 *
 * (the famous "prediction minus one-hot target").
 *
 * Shapes: logits `[N, C]`, labels `[N]`, dLoss `[N]` → dx `[N, C]`.
 * @example
 * // logits [0, log 3], label 1, dLoss 1: softmax = [0.25, 0.75] → [0.25, −0.25]
 */
export function softmaxCrossEntropyGrad(
  logits: Float32Array,
  shape: Shape,
  labels: Float32Array,
  lossGradient: Float32Array,
): Float32Array {
  const [batch, classes] = shape;
  const dx = new Float32Array(batch * classes);
  for (let n = 0; n < batch; n++) {
    const logSumExp = rowLogSumExp(logits, classes, n);
    const label = classIndex(labels, n, classes, 'softmaxCrossEntropyGrad');
    for (let c = 0; c < classes; c++) {
      const probability = Math.exp(logits[n * classes + c] - logSumExp);
      const target = c === label ? 1 : 0;
      dx[n * classes + c] = lossGradient[n] * (probability - target);
    }
  }
  return dx;
}

/**
 * The seed of backpropagation for the mean cross-entropy over the batch: {@link softmaxCrossEntropyGrad}
 * with every dLoss[n] = 1/N (the gradient of the mean), composed from that kernel so this backend
 * stays the formula-shaped oracle of the GPU's single kernel.
 *
 * Shapes: logits `[N, C]`, labels `[N]` → dx `[N, C]`.
 */
export function softmaxCrossEntropyMeanGrad(logits: Float32Array, shape: Shape, labels: Float32Array): Float32Array {
  const batch = shape[0];
  return softmaxCrossEntropyGrad(logits, shape, labels, fill(batch, 1 / batch));
}
