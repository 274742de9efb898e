/**
 * Counting correct predictions (d2l's `accuracy`).
 * @module
 */

/**
 * The predicted class of each row of `logits` `[N,C]` (row-major): argmax_c logits[n,c], the first
 * one on ties. A NaN never wins (a row of NaNs gives class 0).
 * @example argmaxRows(Float32Array.of(0.1, 2, -1, 5, 0, 0), 3) // [1, 0]
 */
export function argmaxRows(logits: Float32Array, classes: number): Int32Array {
  if (!Number.isInteger(classes) || classes < 1 || logits.length % classes !== 0) {
    throw new RangeError(`argmaxRows: ${logits.length} logits cannot be split into rows of ${classes} classes`);
  }
  const rows = logits.length / classes;
  const predictions = new Int32Array(rows);
  for (let n = 0; n < rows; n++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < classes; c++) {
      const value = logits[n * classes + c];
      if (value > bestValue) {
        best = c;
        bestValue = value;
      }
    }
    predictions[n] = best;
  }
  return predictions;
}

/** How many predictions equal their label: Σ_n [ŷ_n = y_n]. */
export function countCorrect(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predictions.length !== labels.length) {
    throw new RangeError(`countCorrect: ${predictions.length} predictions for ${labels.length} labels`);
  }
  let correct = 0;
  for (let n = 0; n < labels.length; n++) if (predictions[n] === labels[n]) correct++;
  return correct;
}
