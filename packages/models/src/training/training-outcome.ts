/**
 * How a training run ended.
 * @module
 */
import type { EpochMetrics } from './epoch-metrics.js';

/** Every epoch asked for was trained. */
export interface TrainingCompleted {
  /** `completed` */
  readonly status: 'completed';
  /** One entry per completed epoch (including those of the run that was resumed). */
  readonly history: readonly EpochMetrics[];
}

/** The run was interrupted (Ctrl-C); the checkpoint of the last completed epoch is on disk. */
export interface TrainingInterrupted {
  /** `interrupted` */
  readonly status: 'interrupted';
  /** One entry per completed epoch; the checkpoint on disk is that of the last one. */
  readonly history: readonly EpochMetrics[];
  /** The 1-based epoch that was running. */
  readonly epoch: number;
  /** The steps of that epoch that were done. */
  readonly step: number;
  /** True when the stop came during the end-of-epoch evaluation (all steps done, not yet saved). */
  readonly duringEvaluation?: boolean;
}

/**
 * The loss became NaN or infinite: the weights diverged (usually: the learning rate is too large).
 * The checkpoint of the last good epoch is on disk; the diverged weights are not saved.
 */
export interface TrainingDiverged {
  /** `diverged` */
  readonly status: 'diverged';
  /** One entry per completed (good) epoch; the checkpoint on disk is that of the last one. */
  readonly history: readonly EpochMetrics[];
  /** The 1-based epoch in which it happened. */
  readonly epoch: number;
  /** The 1-based step of that epoch whose loss was not finite. */
  readonly step: number;
  /** The loss value (NaN, Infinity or −Infinity). */
  readonly loss: number;
  /** The learning rate of the run. */
  readonly lr: number;
}

/** How {@link train} ended. */
export type TrainingOutcome = TrainingCompleted | TrainingInterrupted | TrainingDiverged;

/**
 * The message for a diverged run: what happened, where the last good weights are, and a smaller
 * learning rate to try (a tenth of the current one).
 */
export function divergenceMessage(outcome: TrainingDiverged, checkpointPath: string): string {
  const lastGood = outcome.history.length;
  const suggestion = Number((outcome.lr / 10).toPrecision(3));
  return (
    `the training loss became ${outcome.loss} at epoch ${outcome.epoch}, step ${outcome.step} with --lr ${outcome.lr}: ` +
    `the weights diverged. Try a smaller learning rate, e.g. --lr ${suggestion}. ` +
    `The last good checkpoint (epoch ${lastGood}${lastGood === 0 ? ', the initial weights' : ''}) is kept in ${checkpointPath}.`
  );
}
