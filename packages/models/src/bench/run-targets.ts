/**
 * Runs one benchmark target in a child process of its own, pinned to the run's cores: a LeNet.ts
 * target (`bench-one.ts`), the TensorFlow.js peer (`peers/tfjs-peer.ts`) or the PyTorch peer
 * (`peers/pytorch-peer.ts`), and reads back its one-line JSON result.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchArguments } from './bench-arguments.js';
import { RESULT_PREFIX, type BenchResult } from './bench-result.js';
import { pinnedCommand, pinnedEnvironment, type CorePinning } from './core-pinning.js';
import { PEER_RESULT_PREFIX, type PeerResult } from './peers/peer-result.js';
import { runPytorchPeer } from './peers/pytorch-peer.js';

/** The line of a child's stdout that starts with `prefix`, parsed; null when there is none. */
export function resultLine(stdout: string, prefix: string): unknown {
  const line = stdout.split('\n').find((text) => text.startsWith(prefix));
  return line === undefined ? null : JSON.parse(line.slice(prefix.length));
}

/** Why a child gave no result: its exit status and the last lines of its stderr. */
export function childFailure(status: number | null, stderr: string): string {
  return `the benchmark process exited with ${status}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
}

/**
 * Runs `command args` on the pinned cores. With `liveStderr` the child's stderr goes straight to
 * this process's (its progress shows as it runs) and `stderr` holds only a failure to start.
 */
export function runPinned(
  command: string,
  args: readonly string[],
  pinning: CorePinning,
  options: { liveStderr?: boolean } = {},
): { status: number | null; stdout: string; stderr: string } {
  const [pinnedName, pinnedArgs] = pinnedCommand(pinning, command, args);
  const child = spawnSync(pinnedName, pinnedArgs, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: pinnedEnvironment(pinning),
    stdio: ['ignore', 'pipe', options.liveStderr === true ? 'inherit' : 'pipe'],
  });
  return { status: child.status, stdout: child.stdout, stderr: child.error?.message ?? child.stderr ?? '' };
}

/** Runs the Node script `script` (a path relative to this module) with `args` on the pinned cores. */
export function runNodeScript(
  script: string,
  args: readonly string[],
  pinning: CorePinning,
  options: { liveStderr?: boolean } = {},
): { status: number | null; stdout: string; stderr: string } {
  return runPinned(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], pinning, options);
}

/** Trains and times LeNet.ts's `target` (backend-cpu or a gpu.js mode); `argv` are the bench options it takes. */
export function runLenetTarget(target: string, batchesFile: string, argv: readonly string[], pinning: CorePinning): BenchResult {
  const child = runNodeScript('./bench-one.js', [target, batchesFile, ...argv], pinning);
  const parsed = resultLine(child.stdout, RESULT_PREFIX);
  // the child wrote a BenchResult with JSON.stringify (bench-one.ts)
  return parsed === null ? { target, error: childFailure(child.status, child.stderr) } : (parsed as BenchResult);
}

/** Trains and times the TensorFlow.js (wasm) peer. */
export function runTfjsPeer(batchesFile: string, options: BenchArguments, pinning: CorePinning): PeerResult {
  const args = [batchesFile, options.tfjsFilterGradient, String(pinning.cores), pinning.pinned ? '1' : '0'];
  const child = runNodeScript('./peers/tfjs-peer.js', args, pinning);
  const parsed = resultLine(child.stdout, PEER_RESULT_PREFIX);
  // the child wrote a PeerResult with JSON.stringify (tfjs-peer.ts)
  return parsed === null
    ? { peer: 'tfjs-wasm', label: 'TensorFlow.js (wasm)', error: childFailure(child.status, child.stderr) }
    : (parsed as PeerResult);
}

/** Trains and times the PyTorch peer (unavailable when no Python here imports torch). */
export function runPytorchTarget(batchesFile: string, options: BenchArguments, pinning: CorePinning): PeerResult {
  return runPytorchPeer(batchesFile, { python: options.python, pinning, batch: options.batch, warmup: options.warmup });
}
