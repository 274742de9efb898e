/**
 * LeNet.ts's side of the whole-run benchmark: a run of `npm run train` recorded in a folder (as
 * `runs-recorded/<name>/`), read rather than trained here, so that the main job is measured the
 * way a learner runs it. The folder holds:
 *
 *   metrics.jsonl  one line per epoch (required): the same figures the peers report
 *   train.log      train's output (optional): its `backend …` line names the mode, and where the run
 *                  was timed with `/usr/bin/time -v`, its `Elapsed (wall clock) time` is the wall time
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../cli/usage-error.js';
import { isEpochMetrics, type EpochMetrics } from '../../training/epoch-metrics.js';
import type { WholeRunResult } from './whole-run-file.js';

/** `7:27.72` or `1:02:03.5` (GNU time's h:mm:ss or m:ss) → seconds; null when it is not one. */
export function clockSeconds(text: string): number | null {
  if (!/^\d+(:\d{1,2}){1,2}(\.\d+)?$/.test(text)) return null;
  return text.split(':').reduce((seconds, part) => seconds * 60 + Number(part), 0);
}

/** `metrics.jsonl`'s epochs; throws naming the line that is not one. */
export function parseMetricsJsonl(text: string, source: string): EpochMetrics[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, index) => {
    const parsed: unknown = JSON.parse(line);
    if (!isEpochMetrics(parsed)) throw new Error(`${source}:${index + 1}: not an epoch of metrics.jsonl (epoch, trainLoss, trainAcc, …)`);
    return parsed;
  });
}

/**
 * The run recorded in `folder`, as a whole-run result.
 * @throws UsageError when the folder has no metrics.jsonl.
 */
export function readLenetRecordedRun(folder: string): WholeRunResult {
  const metricsPath = join(folder, 'metrics.jsonl');
  if (!existsSync(metricsPath))
    throw new UsageError(
      `--lenet-run ${folder}: no metrics.jsonl there; name a folder a train run wrote (e.g. runs-recorded/<name>)`,
      '--lenet-run',
    );
  const epochs = parseMetricsJsonl(readFileSync(metricsPath, 'utf8'), metricsPath);
  const logPath = join(folder, 'train.log');
  const log = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n') : [];
  const backend = log.find((line) => line.startsWith('backend '));
  const elapsed = log.find((line) => line.includes('Elapsed (wall clock) time'));
  const wallSeconds = elapsed === undefined ? null : clockSeconds(elapsed.slice(elapsed.lastIndexOf(' ') + 1));
  return {
    target: 'lenet',
    label: 'LeNet.ts (npm run train)',
    details: { recordedRun: folder, ...(backend === undefined ? {} : { backend: backend.slice('backend '.length) }) },
    epochs,
    wallSeconds,
  };
}
