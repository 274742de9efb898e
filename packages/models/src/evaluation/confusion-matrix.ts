/**
 * The confusion matrix of a classifier and its text table.
 * @module
 */

/**
 * counts[t][p] = the number of examples of true class t predicted as class p; the diagonal holds the
 * correct ones, so accuracy = Σ_t counts[t][t] / n.
 * @throws RangeError when the arrays differ in length or hold a class outside 0 … classes − 1.
 * @example confusionMatrix([0, 1, 1], [0, 1, 0], 2) // [[1, 0], [1, 1]]
 */
export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[][] {
  if (predicted.length !== labels.length) {
    throw new RangeError(`confusionMatrix: ${predicted.length} predictions for ${labels.length} labels`);
  }
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let n = 0; n < labels.length; n++) {
    const t = labels[n];
    const p = predicted[n];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) {
      throw new RangeError(`confusionMatrix: example ${n} has label ${t} and prediction ${p}; classes are 0–${classes - 1}`);
    }
    counts[t][p]++;
  }
  return counts;
}

/**
 * The matrix as a text table: one row per true class (named), one column per predicted class
 * (numbered, with a key below), and each class's recall counts[t][t] / Σ_p counts[t][p].
 */
export function formatConfusionMatrix(counts: readonly (readonly number[])[], classNames: readonly string[]): string {
  const classes = counts.length;
  const nameWidth = Math.max('true \\ predicted'.length, ...classNames.map((name, c) => `${c} ${name}`.length));
  const cellWidth = Math.max(4, ...counts.flat().map((count) => String(count).length));
  const header = ['true \\ predicted'.padEnd(nameWidth), ...counts.map((_, p) => String(p).padStart(cellWidth)), ' recall'].join(' ');
  const rows = counts.map((row, t) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    const recall = total === 0 ? '    -' : ` ${(row[t] / total).toFixed(3)}`;
    return [`${t} ${classNames[t] ?? ''}`.padEnd(nameWidth), ...row.map((count) => String(count).padStart(cellWidth)), recall].join(' ');
  });
  const key = `columns: ${Array.from({ length: classes }, (_, c) => `${c} = ${classNames[c] ?? c}`).join(', ')}`;
  return [header, ...rows, key].join('\n');
}
