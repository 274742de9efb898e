/**
 * The softmax cross-entropy on logits `[N,C]` and its gradients, stable as in `softmax.ts`: the
 * per-example loss, its gradient for any dLoss, and the seed of backpropagation for the batch
 * mean in one kernel.
 * @module
 */
import type { KernelThis } from './kernel-this.js';
import type { SoftmaxConstants } from './softmax.js';

/** loss[n] = −log softmax(x[n])[label_n] = m + ln s − x[n, label_n]; output `[N]`. */
export function softmaxCrossEntropyKernel(this: KernelThis<SoftmaxConstants>, logits: Float32Array, labels: Float32Array): number {
  const n = this.thread.x;
  const base = n * this.constants.classes;
  let m = -3.4e38;
  for (let j = 0; j < this.constants.classes; j++) {
    m = Math.max(m, logits[base + j]);
  }
  let s = 0;
  for (let j = 0; j < this.constants.classes; j++) {
    s += Math.exp(logits[base + j] - m);
  }
  const label = Math.floor(labels[n] + 0.5);
  return m + Math.log(s) - logits[base + label];
}

/** d logits[n,c] = dLoss[n] · (softmax(x[n])[c] − [c = label_n]); output `[N,C]`. */
export function softmaxCrossEntropyGradKernel(
  this: KernelThis<SoftmaxConstants>,
  logits: Float32Array,
  labels: Float32Array,
  dLoss: Float32Array,
): number {
  const i = this.thread.x;
  const n = Math.floor((i + 0.5) / this.constants.classes);
  const c = i - n * this.constants.classes;
  const base = n * this.constants.classes;
  let m = -3.4e38;
  for (let j = 0; j < this.constants.classes; j++) {
    m = Math.max(m, logits[base + j]);
  }
  let s = 0;
  for (let j = 0; j < this.constants.classes; j++) {
    s += Math.exp(logits[base + j] - m);
  }
  let p = Math.exp(logits[i] - m) / s;
  if (c === Math.floor(labels[n] + 0.5)) {
    p = p - 1;
  }
  return dLoss[n] * p;
}

/** The batch size and class count of {@link softmaxCrossEntropyMeanGradKernel} and {@link classificationMetricsKernel}. */
export interface BatchSoftmaxConstants extends SoftmaxConstants {
  readonly batch: number;
}

/**
 * The seed of backpropagation for the mean cross-entropy, in one kernel:
 * d logits[n,c] = (softmax(logits[n])[c] − [c = label[n]]) / N.
 */
export function softmaxCrossEntropyMeanGradKernel(
  this: KernelThis<BatchSoftmaxConstants>,
  logits: Float32Array,
  labels: Float32Array,
): number {
  const i = this.thread.x;
  const n = Math.floor((i + 0.5) / this.constants.classes);
  const c = i - n * this.constants.classes;
  const base = n * this.constants.classes;
  let m = -3.4e38;
  for (let j = 0; j < this.constants.classes; j++) {
    m = Math.max(m, logits[base + j]);
  }
  let s = 0;
  for (let j = 0; j < this.constants.classes; j++) {
    s += Math.exp(logits[base + j] - m);
  }
  let p = Math.exp(logits[i] - m) / s;
  if (c === Math.floor(labels[n] + 0.5)) {
    p = p - 1;
  }
  return p / this.constants.batch;
}
