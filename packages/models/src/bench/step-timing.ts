/**
 * From the times of every training step of one target (warm-up steps first) to the figures the
 * benchmark reports: the median of the timed steps, and examples per second at that median. Every
 * target, LeNet.ts's and the peers', is summarised here, so their figures are computed alike.
 * @module
 */

/** The time of a training run of `warmup + steps` steps. */
export interface StepTiming {
  readonly batch: number;
  /** The first step (it compiles kernels, allocates buffers). */
  readonly firstStepMs: number;
  /** Median of the timed steps. */
  readonly msPerStep: number;
  /** `batch · 1000 / msPerStep`. */
  readonly examplesPerSecond: number;
  /** Every timed step, in order (the warm-up steps are left out). */
  readonly stepsMs: readonly number[];
  /** Untimed steps before them. */
  readonly warmupSteps: number;
  /** The loss of every step, warm-up included: targets that start alike agree on the first. */
  readonly losses: readonly number[];
}

/** The median; of an even count, the upper of the two middle values (a time actually measured). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Summarises `allStepsMs` (warm-up steps first) of a run at batch `batch`.
 * @example summariseSteps(256, 1, [900, 130, 110, 120], [2.4, 2.3, 2.3, 2.2]).msPerStep // 120
 */
export function summariseSteps(batch: number, warmup: number, allStepsMs: readonly number[], losses: readonly number[]): StepTiming {
  if (allStepsMs.length <= warmup) {
    throw new RangeError(`summariseSteps: ${allStepsMs.length} steps measured, need more than the ${warmup} warm-up steps`);
  }
  const stepsMs = allStepsMs.slice(warmup);
  const msPerStep = median(stepsMs);
  return {
    batch,
    firstStepMs: allStepsMs[0],
    msPerStep,
    examplesPerSecond: (batch * 1000) / msPerStep,
    stepsMs,
    warmupSteps: warmup,
    losses,
  };
}
