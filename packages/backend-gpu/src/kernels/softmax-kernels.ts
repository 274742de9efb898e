/**
 * Softmax, log-softmax and the fused softmax cross-entropy on logits `[N,C]`, along the last axis,
 * computed stably: with m = max_j x[n,j] and s = Σ_j e^(x[n,j] − m),
 * softmax = e^(x − m) / s and log-softmax = x − m − ln s. Each thread recomputes m and s for its
 * row, which costs C reads: C is the number of classes (10 for Fashion-MNIST).
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';

/** The number of classes C (the row length). */
export interface SoftmaxConstants {
  readonly classes: number;
}

/** out[n,c] = e^(x[n,c] − m) / Σ_j e^(x[n,j] − m) */
export function softmaxKernel(this: IKernelFunctionThis<SoftmaxConstants>, logits: Float32Array): number {
  const i = this.thread.x;
  const n = Math.floor((i + 0.5) / this.constants.classes);
  const base = n * this.constants.classes;
  let m = -3.4e38;
  for (let j = 0; j < this.constants.classes; j++) {
    m = Math.max(m, logits[base + j]);
  }
  let s = 0;
  for (let j = 0; j < this.constants.classes; j++) {
    s += Math.exp(logits[base + j] - m);
  }
  return Math.exp(logits[i] - m) / s;
}

/** out[n,c] = x[n,c] − m − ln Σ_j e^(x[n,j] − m) */
export function logSoftmaxKernel(this: IKernelFunctionThis<SoftmaxConstants>, logits: Float32Array): number {
  const i = this.thread.x;
  const n = Math.floor((i + 0.5) / this.constants.classes);
  const base = n * this.constants.classes;
  let m = -3.4e38;
  for (let j = 0; j < this.constants.classes; j++) {
    m = Math.max(m, logits[base + j]);
  }
  let s = 0;
  for (let j = 0; j < this.constants.classes; j++) {
    s += Math.exp(logits[base + j] - m);
  }
  return logits[i] - m - Math.log(s);
}

/** loss[n] = −log softmax(x[n])[label_n] = m + ln s − x[n, label_n]; output `[N]`. */
export function softmaxCrossEntropyKernel(this: IKernelFunctionThis<SoftmaxConstants>, logits: Float32Array, labels: Float32Array): number {
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
  this: IKernelFunctionThis<SoftmaxConstants>,
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
export function softmaxCrossEntropyMeanGradKernel(this: IKernelFunctionThis<BatchSoftmaxConstants>, logits: Float32Array, labels: Float32Array): number {
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

/**
 * Running metrics on the device, two threads: thread 0 returns previous[0] + Σ_n loss[n] (the
 * cross-entropy of each row), thread 1 previous[1] + the number of rows whose first largest logit
 * is the label.
 */
export function classificationMetricsKernel(
  this: IKernelFunctionThis<BatchSoftmaxConstants>,
  logits: Float32Array,
  labels: Float32Array,
  previous: Float32Array,
): number {
  let total = 0;
  for (let n = 0; n < this.constants.batch; n++) {
    const base = n * this.constants.classes;
    const label = Math.floor(labels[n] + 0.5);
    let m = logits[base];
    let predicted = 0;
    for (let j = 1; j < this.constants.classes; j++) {
      if (logits[base + j] > m) {
        m = logits[base + j];
        predicted = j;
      }
    }
    if (this.thread.x === 0) {
      let s = 0;
      for (let j = 0; j < this.constants.classes; j++) {
        s += Math.exp(logits[base + j] - m);
      }
      total += m + Math.log(s) - logits[base + label];
    } else if (predicted === label) {
      total += 1;
    }
  }
  return previous[this.thread.x] + total;
}
