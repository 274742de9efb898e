/**
 * The benchmark's tables: training throughput with the ratio to backend-cpu, and milliseconds
 * per kernel, in Markdown (so the README can take them as printed).
 * @module
 */
import type { BenchResult } from './bench-result.js';

function label(result: BenchResult): string {
  const step = result.training === undefined ? '' : ` (${result.training.stepMode})`;
  return result.target === 'backend-cpu' ? `backend-cpu${step}` : `gpu.js ${result.target}${step}`;
}

/** The training table: one row per backend. */
export function formatTrainingTable(results: readonly BenchResult[]): string {
  const baseline = results.find((result) => result.target === 'backend-cpu')?.training?.examplesPerSecond;
  const rows = results.map((result) => {
    if (result.training === undefined) {
      return `| ${label(result)} | ${result.device ?? '—'} | — | — | — | not run: ${(result.error ?? 'unknown').split('\n')[0]} |`;
    }
    const { msPerStep, examplesPerSecond, firstStepMs, losses } = result.training;
    const ratio = baseline === undefined ? '—' : `${(examplesPerSecond / baseline).toFixed(2)}×`;
    const loss =
      losses === undefined || losses.length === 0 ? '' : `; loss ${losses[0].toFixed(4)} → ${losses[losses.length - 1].toFixed(4)}`;
    return `| ${label(result)} | ${result.device ?? '—'} | ${msPerStep.toFixed(1)} | ${Math.round(examplesPerSecond).toLocaleString('en-US')} | ${ratio} | first step ${firstStepMs.toFixed(0)} ms${loss} |`;
  });
  return ['| backend | device | ms / step | examples / s | vs backend-cpu | notes |', '|---|---|---:|---:|---:|---|', ...rows].join('\n');
}

/** The kernel table: one row per kernel, one column per backend (ms per call). */
export function formatKernelTable(results: readonly BenchResult[]): string {
  const measured = results.filter((result) => result.kernels !== undefined);
  if (measured.length === 0) return '';
  const names = measured[0].kernels?.map((timing) => timing.name) ?? [];
  const rows = names.map((name) => {
    const cells = measured.map((result) => {
      const timing = result.kernels?.find((k) => k.name === name);
      return timing === undefined ? '—' : timing.ms.toFixed(2);
    });
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  return [`| kernel (ms per call) | ${measured.map(label).join(' | ')} |`, `|---|${measured.map(() => '---:').join('|')}|`, ...rows].join(
    '\n',
  );
}
