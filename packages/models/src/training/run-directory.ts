/**
 * The files a training run writes into its `--out` directory.
 * @module
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { formatMetricsJsonl, type EpochMetrics } from './epoch-metrics.js';
import { renderTrainingCurvesSvg } from '../plots/curves-svg.js';

/** The paths of a run's files. */
export interface RunPaths {
  /** The run directory. */
  readonly dir: string;
  /** `model.safetensors`: the weights (PyTorch state_dict names) and the run's metadata; the checkpoint. */
  readonly checkpoint: string;
  /**
   * `optimizer-<epoch>.safetensors`: the SGD momentum buffers after `epoch` completed epochs, only
   * when momentum > 0. Stamped with the epoch in its name so that the state of epoch e can be written
   * before the model checkpoint of epoch e while the one of e − 1 is still on disk (see `train`).
   */
  readonly optimizer: (epoch: number) => string;
  /** `metrics.jsonl`: one line per epoch. */
  readonly metrics: string;
  /** `curves.svg`: train loss, train acc and test acc against epochs. */
  readonly curves: string;
}

/** The files of the run in `dir`. */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    checkpoint: join(dir, 'model.safetensors'),
    optimizer: (epoch) => join(dir, `optimizer-${epoch}.safetensors`),
    metrics: join(dir, 'metrics.jsonl'),
    curves: join(dir, 'curves.svg'),
  };
}

/** Rewrites `metrics.jsonl` and `curves.svg` from the history, each atomically. */
export function writeRunRecords(paths: RunPaths, history: readonly EpochMetrics[], totalEpochs: number): void {
  writeFileAtomic(paths.metrics, formatMetricsJsonl(history));
  writeFileAtomic(paths.curves, renderTrainingCurvesSvg(history, totalEpochs));
}
