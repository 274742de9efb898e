/**
 * The running loss and accuracy of a training epoch, kept on the device: one kernel adds a batch's
 * summed cross-entropy and its number of correct predictions to the previous sums.
 * @module
 */
import type { KernelThis } from './kernel-this.js';
import type { BatchSoftmaxConstants } from './softmax-cross-entropy.js';

/**
 * Running metrics on the device, two threads: thread 0 returns previous[0] + Σ_n loss[n] (the
 * cross-entropy of each row), thread 1 previous[1] + the number of rows whose first largest logit
 * is the label.
 */
export function classificationMetricsKernel(
  this: KernelThis<BatchSoftmaxConstants>,
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
