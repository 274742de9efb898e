/**
 * What a benchmarked process computed on: the cores it could run on and the threads it used, for
 * every target (LeNet.ts's and the peers'), so that every figure and ratio says its cores.
 * @module
 */

/** The cores and threads of one target's process. */
export interface ProcessCpu {
  /** Cores the process could run on: `--cores N` (pinned with taskset), or every core. */
  readonly cores: number;
  /** Whether the process was pinned to those cores. */
  readonly pinned: boolean;
  /** Compute threads: webasm's worker pool, PyTorch's threads, 1 …; null: the work runs on a GPU. */
  readonly threads: number | null;
  /** How the threads come about, in words. */
  readonly threading: string;
}

/** `2 cores, 2 threads`, `1 core (pinned), GPU`: the table cell. */
export function describeCpu(cpu: ProcessCpu | undefined): string {
  if (cpu === undefined) return '—';
  const cores = `${cpu.cores} core${cpu.cores === 1 ? '' : 's'}${cpu.pinned ? ' (pinned)' : ''}`;
  const threads = cpu.threads === null ? 'GPU' : `${cpu.threads} thread${cpu.threads === 1 ? '' : 's'}`;
  return `${cores}, ${threads}`;
}
