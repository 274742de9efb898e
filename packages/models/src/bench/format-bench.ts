/**
 * The benchmark's tables: training throughput with the ratio to backend-cpu, and milliseconds
 * per kernel, in Markdown (so the README can take them as printed).
 * @module
 */
import type { BenchResult } from './bench-result.js';
import { describeCpu } from './process-cpu.js';

/** `1,755–1,801 (3 rounds)`: the least and greatest examples/s over the rounds; `1 round` for one. */
export function describeRounds(result: Pick<BenchResult, 'rounds'>): string {
  const rounds = result.rounds;
  if (rounds === undefined || rounds.examplesPerSecond.length === 1) return '1 round';
  const count = rounds.examplesPerSecond.length;
  return `${Math.round(rounds.min).toLocaleString('en-US')}–${Math.round(rounds.max).toLocaleString('en-US')} (${count} rounds)`;
}

/** `2 cores`, `1 core`. */
export const coresLabel = (cores: number): string => `${cores} core${cores === 1 ? '' : 's'}`;

function label(result: BenchResult): string {
  const step = result.training === undefined ? '' : ` (${result.training.stepMode})`;
  return result.target === 'backend-cpu' ? `backend-cpu${step}` : `gpu.js ${result.target}${step}`;
}

/**
 * The training table: one row per backend, its cores and threads, the median round's figures, the
 * spread of the rounds and the ratio to backend-cpu (of the median rounds, all on `cores` cores).
 */
export function formatTrainingTable(results: readonly BenchResult[], cores: number): string {
  const baseline = results.find((result) => result.target === 'backend-cpu')?.training?.examplesPerSecond;
  const rows = results.map((result) => {
    if (result.training === undefined) {
      return `| ${label(result)} | ${result.device ?? '—'} | ${describeCpu(result.cpu)} | — | — | — | — | not run: ${(result.error ?? 'unknown').split('\n')[0]} |`;
    }
    const { msPerStep, examplesPerSecond, firstStepMs, losses } = result.training;
    const ratio = baseline === undefined ? '—' : `${(examplesPerSecond / baseline).toFixed(2)}×`;
    const loss =
      losses === undefined || losses.length === 0 ? '' : `; loss ${losses[0].toFixed(4)} → ${losses[losses.length - 1].toFixed(4)}`;
    return `| ${label(result)} | ${result.device ?? '—'} | ${describeCpu(result.cpu)} | ${msPerStep.toFixed(1)} | ${Math.round(examplesPerSecond).toLocaleString('en-US')} | ${describeRounds(result)} | ${ratio} | first step ${firstStepMs.toFixed(0)} ms${loss} |`;
  });
  return [
    `| backend | device | cores, threads | ms / step | examples / s (median round) | examples / s, min–max | vs backend-cpu, ${coresLabel(cores)} | notes |`,
    '|---|---|---|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
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
