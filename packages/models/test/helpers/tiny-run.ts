/**
 * The tiny training run the training tests share, and the figures of a run that do not depend on timing.
 * @module
 */
import type { RunSettings } from '../../src/training/checkpoint-metadata.js';
import type { EpochMetrics } from '../../src/training/epoch-metrics.js';

/** A tiny run: 3 steps of 8 examples per epoch, 16 test examples (the CLI's `TINY` arguments in training.test.ts). */
export const TINY_SETTINGS: RunSettings = {
  model: 'lenet5',
  seed: 7,
  batchSize: 8,
  lr: 0.9,
  momentum: 0,
  dataset: 'fashion-mnist',
  trainExamples: 24,
  testExamples: 16,
};

/** The metrics that do not depend on timing. */
export function deterministic(history: readonly EpochMetrics[]) {
  return history.map(({ epoch, trainLoss, trainAcc, testAcc, examples, steps }) => ({
    epoch,
    trainLoss,
    trainAcc,
    testAcc,
    examples,
    steps,
  }));
}
