/**
 * d2l's `Accumulator(3)` (Σ loss·n, Σ correct, Σ n) with the first two sums kept on the device: each
 * step adds its batch there, and the host reads them back only when a report is due — a few times a
 * second for the progress bar, and at the end of the epoch — instead of draining the GPU's queue
 * after every step. Each read moves the device sums into float64 host sums and starts afresh.
 * @module
 */
import { getBackend, zeros, keep, type Tensor } from '@lenet/core';

/** What a read gives: the averages so far and those of the steps since the previous read. */
export interface MetricsReading {
  /** Mean loss per example over the epoch so far. */
  readonly trainLoss: number;
  /** Fraction of correct predictions over the epoch so far. */
  readonly trainAcc: number;
  /** Mean loss per example over the steps since the previous read (NaN or ±∞ once training diverges). */
  readonly recentLoss: number;
  /** Examples seen in the epoch so far. */
  readonly examples: number;
}

/** The running sums of one epoch. */
export class RunningMetrics {
  #device: Tensor = keep(zeros([2], { backend: getBackend() }));
  #pendingExamples = 0;
  #lossSum = 0;
  #correct = 0;
  #examples = 0;

  /** Replaces the device sums by `updated` (which already includes them) after a batch of `examples`. */
  add(updated: Tensor, examples: number): void {
    this.#device.dispose();
    this.#device = updated;
    this.#pendingExamples += examples;
  }

  /** The device sums, to pass to the next step. */
  get device(): Tensor {
    return this.#device;
  }

  /** Reads the device sums back (waiting for the queued steps) and adds them to the host sums. */
  async read(): Promise<MetricsReading> {
    const [lossSum, correct] = await this.#device.data();
    const recentExamples = this.#pendingExamples;
    this.#lossSum += lossSum;
    this.#correct += correct;
    this.#examples += recentExamples;
    this.#pendingExamples = 0;
    this.#device.dispose();
    this.#device = keep(zeros([2], { backend: getBackend() }));
    return {
      trainLoss: this.#lossSum / this.#examples,
      trainAcc: this.#correct / this.#examples,
      recentLoss: lossSum / recentExamples,
      examples: this.#examples,
    };
  }

  /** Frees the device sums. */
  dispose(): void {
    this.#device.dispose();
  }
}
