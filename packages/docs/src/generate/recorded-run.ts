/**
 * The recorded training run the guides show: the one run directory committed under
 * `packages/models/runs-recorded/` (its `metrics.jsonl`, `curves.svg` and `model.safetensors`).
 * No recorded run is an error — the site never shows numbers that no run produced.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isEpochMetrics, type EpochMetrics } from '@lenet/models';
import { PACKAGES_DIR } from './paths.js';

/** Where recorded runs are committed. */
export const RECORDED_RUNS_DIR = join(PACKAGES_DIR, 'models', 'runs-recorded');

/** A recorded run's files and figures. */
export interface RecordedRun {
  /** The run directory. */
  readonly dir: string;
  /** Its path relative to the repository root, for the page. */
  readonly displayPath: string;
  /** One entry per epoch, from `metrics.jsonl`. */
  readonly metrics: readonly EpochMetrics[];
  /** `curves.svg`, if the run wrote one. */
  readonly curves: string | null;
  /** `model.safetensors`, the trained weights. */
  readonly checkpoint: string;
  /** The header the train command printed (backend, device, settings), from `train.log`, if the run kept one. */
  readonly logHeader: string | null;
}

/**
 * Finds the recorded run: the first (by name) directory under {@link RECORDED_RUNS_DIR} with a
 * `metrics.jsonl`, or the run directory named by the `LENET_DOCS_RUN` environment variable (to
 * preview the site with a run of your own).
 */
export function findRecordedRun(): RecordedRun {
  const chosen = process.env.LENET_DOCS_RUN;
  if (chosen !== undefined && chosen !== '' && !existsSync(join(chosen, 'metrics.jsonl'))) {
    throw new Error(`docs generate: LENET_DOCS_RUN=${chosen} has no metrics.jsonl; point it at the --out directory of a training run`);
  }
  const candidates =
    chosen !== undefined && chosen !== ''
      ? [resolve(chosen)]
      : existsSync(RECORDED_RUNS_DIR)
        ? [
            RECORDED_RUNS_DIR,
            ...readdirSync(RECORDED_RUNS_DIR)
              .sort()
              .map((name) => join(RECORDED_RUNS_DIR, name)),
          ]
        : [];
  const dir = candidates.find((path) => statSync(path).isDirectory() && existsSync(join(path, 'metrics.jsonl')));
  if (dir === undefined) {
    throw new Error(
      `docs generate: no recorded training run: expected ${relative(join(PACKAGES_DIR, '..'), RECORDED_RUNS_DIR)}/<run>/metrics.jsonl ` +
        '(with curves.svg and model.safetensors), written by `npm run train -- --out <dir>` and committed with the models README',
    );
  }
  const metricsFile = join(dir, 'metrics.jsonl');
  const metrics = readFileSync(metricsFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed: unknown = JSON.parse(line);
      if (!isEpochMetrics(parsed)) throw new Error(`docs generate: ${metricsFile} line ${i + 1} is not an epoch's metrics: ${line}`);
      return parsed;
    });
  if (metrics.length === 0) throw new Error(`docs generate: ${metricsFile} has no epochs`);
  const checkpoint = join(dir, 'model.safetensors');
  if (!existsSync(checkpoint)) throw new Error(`docs generate: the recorded run ${dir} has no model.safetensors`);
  const curves = join(dir, 'curves.svg');
  const log = join(dir, 'train.log');
  let logHeader: string | null = null;
  if (existsSync(log)) {
    const lines = readFileSync(log, 'utf8').split('\n');
    const firstEpoch = lines.findIndex((line) => line.startsWith('epoch '));
    logHeader =
      lines
        .slice(0, firstEpoch === -1 ? lines.length : firstEpoch)
        .join('\n')
        .trim() || null;
  }
  return {
    logHeader,
    dir,
    displayPath: relative(join(PACKAGES_DIR, '..'), dir),
    metrics,
    curves: existsSync(curves) ? curves : null,
    checkpoint,
  };
}
