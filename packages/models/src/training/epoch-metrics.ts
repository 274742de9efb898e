/**
 * What one epoch of training reports (d2l's `train_ch6` prints the same numbers).
 * @module
 */

/** The figures of one epoch, one line of `metrics.jsonl`. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** The mean cross-entropy over the epoch's examples: Σ_batches loss·n / Σ n (d2l's Accumulator). */
  readonly trainLoss: number;
  /** The fraction of the epoch's training examples classified correctly, as the weights changed. */
  readonly trainAcc: number;
  /** The test accuracy after the epoch. */
  readonly testAcc: number;
  /** Training examples per second, over training time only (no evaluation, no saving), as d2l measures. */
  readonly examplesPerSec: number;
  /** Seconds spent in training steps this epoch. */
  readonly trainSeconds: number;
  /** Seconds of the whole epoch: steps, batching and evaluation (not the checkpoint). */
  readonly epochSeconds: number;
  /** Training examples seen this epoch. */
  readonly examples: number;
  /** Steps (mini-batches) this epoch. */
  readonly steps: number;
}

const FIELDS: ReadonlyArray<keyof EpochMetrics> = [
  'epoch',
  'trainLoss',
  'trainAcc',
  'testAcc',
  'examplesPerSec',
  'trainSeconds',
  'epochSeconds',
  'examples',
  'steps',
];

/** Whether `value` has every field of {@link EpochMetrics} as a number. */
export function isEpochMetrics(value: unknown): value is EpochMetrics {
  if (typeof value !== 'object' || value === null) return false;
  return FIELDS.every((field) => {
    const entry: unknown = Reflect.get(value, field);
    return typeof entry === 'number';
  });
}

/** `metrics.jsonl`: one JSON object per line, one line per epoch, ending with a newline. */
export function formatMetricsJsonl(history: readonly EpochMetrics[]): string {
  return history.map((metrics) => `${JSON.stringify(metrics)}\n`).join('');
}

/**
 * d2l's line after each epoch, e.g.
 * `epoch 3/10  loss 0.612  train acc 0.763  test acc 0.751  1234.5 examples/sec`.
 */
export function formatEpochLine(metrics: EpochMetrics, totalEpochs: number): string {
  return (
    `epoch ${metrics.epoch}/${totalEpochs}  loss ${metrics.trainLoss.toFixed(3)}  train acc ${metrics.trainAcc.toFixed(3)}  ` +
    `test acc ${metrics.testAcc.toFixed(3)}  ${metrics.examplesPerSec.toFixed(1)} examples/sec`
  );
}
