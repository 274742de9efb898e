/**
 * Softmax and log-softmax on logits `[N,C]`, along the last axis, computed stably: with
 * m = max_j x[n,j] and s = Σ_j e^(x[n,j] − m), softmax = e^(x − m) / s and log-softmax =
 * x − m − ln s. Each thread recomputes m and s for its row, which costs C reads: C is the number
 * of classes (10 for Fashion-MNIST).
 * @module
 */
import type { KernelThis } from './kernel-this.js';

/** The number of classes C (the row length). */
export interface SoftmaxConstants {
  readonly classes: number;
}

/** out[n,c] = e^(x[n,c] − m) / Σ_j e^(x[n,j] − m) */
export function softmaxKernel(this: KernelThis<SoftmaxConstants>, logits: Float32Array): number {
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
export function logSoftmaxKernel(this: KernelThis<SoftmaxConstants>, logits: Float32Array): number {
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
