/**
 * The cores every benchmark process runs on. `--cores N` pins each child (LeNet.ts's targets and
 * the peers) to cores 0…N−1 with `taskset` (Linux, util-linux), and tells each to use N threads:
 * webasm's worker pool, PyTorch's threads and llvmpipe's (`LP_NUM_THREADS`) are N. Without
 * `--cores` nothing is pinned and every target may use every core the benchmark may use.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { UsageError } from '../cli/usage-error.js';

/** The cores a run's children get. */
export interface CorePinning {
  /** How many cores each process may run on. */
  readonly cores: number;
  /** Whether the processes are pinned to them (`--cores`), or may use every core. */
  readonly pinned: boolean;
}

/**
 * The pinning `--cores` asks for (null: none).
 * @throws UsageError when N is more than this process may use, or taskset is missing.
 */
export function corePinning(requested: number | null): CorePinning {
  const available = availableParallelism();
  if (requested === null) return { cores: available, pinned: false };
  if (requested > available) {
    throw new UsageError(`--cores ${requested}: this process may run on ${available} core(s); ask for at most ${available}`, '--cores');
  }
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new UsageError(
      `--cores needs taskset (util-linux, Linux) to pin the benchmark's processes: ${probe.error?.message ?? probe.stderr.trim()}`,
      '--cores',
    );
  }
  return { cores: requested, pinned: true };
}

/** `command args` run on the pinned cores: `taskset -c 0-(N−1) command args` when pinned. */
export function pinnedCommand(pinning: CorePinning, command: string, args: readonly string[]): [string, string[]] {
  if (!pinning.pinned) return [command, [...args]];
  const cpuList = pinning.cores === 1 ? '0' : `0-${pinning.cores - 1}`;
  return ['taskset', ['-c', cpuList, command, ...args]];
}

/** A child's environment: llvmpipe (Mesa's software GPU behind webgpu and headlessgl here) gets N threads. */
export function pinnedEnvironment(pinning: CorePinning): NodeJS.ProcessEnv {
  return { ...process.env, LP_NUM_THREADS: process.env.LP_NUM_THREADS ?? String(pinning.cores) };
}
