/**
 * Running training metrics of a classifier: the summed loss and the number of correct predictions
 * over the batches so far (d2l's `Accumulator(3)`, less the example count, which the caller knows).
 * @module
 */
import type { Shape } from '@lenet/core';
import { classIndex, softmaxCrossEntropy } from './softmax-cross-entropy.js';

/**
 * ```text
 *   out[0] = previous[0] + Σ_n loss[n]                            (loss as in softmaxCrossEntropy)
 *   out[1] = previous[1] + Σ_n [argmax_c logits[n,c] = label[n]]  (the first largest logit wins a tie)
 * ```
 *
 * Shapes: logits `[N, C]`, labels `[N]`, previous `[2]` → `[2]`.
 * @example
 * // rows [2, 1] (predicts 0) and [0, 3] (predicts 1), labels 0 and 0: one correct
 * classificationMetrics(Float32Array.of(2, 1, 0, 3), [2, 2], Float32Array.of(0, 0), Float32Array.of(0, 0))[1] // 1
 */
export function classificationMetrics(logits: Float32Array, shape: Shape, labels: Float32Array, previous: Float32Array): Float32Array {
  const [batch, classes] = shape;
  const losses = softmaxCrossEntropy(logits, shape, labels);
  let lossSum = 0;
  let correct = 0;
  for (let n = 0; n < batch; n++) {
    lossSum += losses[n];
    let predicted = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[n * classes + c] > logits[n * classes + predicted]) predicted = c;
    }
    if (predicted === classIndex(labels, n, classes, 'classificationMetrics')) correct++;
  }
  return Float32Array.of(previous[0] + lossSum, previous[1] + correct);
}
