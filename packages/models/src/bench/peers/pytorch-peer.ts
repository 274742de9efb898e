/**
 * The PyTorch peer: runs `pytorch_lenet.py` (next to this file's source) on the batches file with a
 * Python that imports torch, and turns its JSON line into a {@link PeerResult}. Without such a
 * Python the result says so (`unavailable`) and the benchmark carries on.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinnedCommand, type CorePinning } from '../core-pinning.js';
import { summariseSteps } from '../step-timing.js';
import type { PeerResult } from './peer-result.js';

/**
 * The script, resolved from this module's URL: `src/bench/peers/` and `dist/bench/peers/` are both
 * three levels below the package root, and the package ships `src/`.
 */
export const PYTORCH_SCRIPT: string = fileURLToPath(new URL('../../../src/bench/peers/pytorch_lenet.py', import.meta.url));

/**
 * Interpreters tried in turn when `--python` is not given: `python3` on the PATH, then Debian's
 * system Python (where `apt install python3-torch` puts torch) when the first is a pyenv or venv
 * without torch.
 */
export const DEFAULT_PYTHONS: readonly string[] = ['python3', '/usr/bin/python3'];

/** The first of `candidates` that imports torch, or why none does. */
export function findTorchPython(candidates: readonly string[]): { python: string } | { unavailable: string } {
  const problems: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return { python };
    const why = probe.error !== undefined ? probe.error.message : (probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`);
    problems.push(`${python}: ${why}`);
  }
  return { unavailable: `no Python here imports torch (${problems.join('; ')})` };
}

function numberArray(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'number') ? value.map(Number) : null;
}

/** Turns the script's JSON line into a result; throws naming what is wrong. */
export function parsePytorchOutput(line: string, batch: number, warmup: number, pinning: CorePinning): PeerResult {
  const json: unknown = JSON.parse(line);
  const get = (key: string): unknown => (typeof json === 'object' && json !== null ? Reflect.get(json, key) : undefined);
  const unavailable = get('unavailable');
  if (typeof unavailable === 'string') return { peer: 'pytorch', label: 'PyTorch', unavailable };
  const version = get('torch');
  const device = get('device');
  const threads = get('threads');
  const cuda = get('cuda');
  const python = get('python');
  const stepsMs = numberArray(get('stepsMs'));
  const losses = numberArray(get('losses'));
  if (
    typeof version !== 'string' ||
    typeof device !== 'string' ||
    typeof threads !== 'number' ||
    typeof cuda !== 'boolean' ||
    stepsMs === null ||
    losses === null
  ) {
    throw new Error(`pytorch peer: unexpected output ${line.slice(0, 200)}`);
  }
  return {
    peer: 'pytorch',
    label: `PyTorch ${version} (${cuda ? 'CUDA' : 'CPU'})`,
    device: cuda ? `CUDA: ${device}` : `CPU, ${threads} thread${threads === 1 ? '' : 's'}`,
    details: { torch: version, cuda, device, threads, python: typeof python === 'string' ? python : 'unknown' },
    cpu: {
      ...pinning,
      threads: cuda ? null : threads,
      threading: cuda ? `CUDA (${threads} CPU threads)` : `torch.set_num_threads(${threads})`,
    },
    training: summariseSteps(batch, warmup, stepsMs, losses),
  };
}

/** Trains the PyTorch peer on `batchesFile` on the pinned cores, with one CPU thread per core. */
export function runPytorchPeer(
  batchesFile: string,
  options: { python: string | null; pinning: CorePinning; batch: number; warmup: number },
): PeerResult {
  const found = findTorchPython(options.python === null ? DEFAULT_PYTHONS : [options.python]);
  if ('unavailable' in found) return { peer: 'pytorch', label: 'PyTorch', unavailable: found.unavailable };
  const [command, args] = pinnedCommand(options.pinning, found.python, [
    PYTORCH_SCRIPT,
    batchesFile,
    '--threads',
    String(options.pinning.cores),
  ]);
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    return {
      peer: 'pytorch',
      label: 'PyTorch',
      error: `${found.python} ${PYTORCH_SCRIPT} exited with ${child.status}: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    };
  }
  try {
    return parsePytorchOutput(line, options.batch, options.warmup, options.pinning);
  } catch (error) {
    return { peer: 'pytorch', label: 'PyTorch', error: error instanceof Error ? error.message : String(error) };
  }
}
