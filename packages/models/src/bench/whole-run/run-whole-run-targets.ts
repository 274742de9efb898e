/**
 * Trains one peer of the whole-run benchmark in a child process of its own, pinned to the run's
 * cores (the step benchmark's machinery: `../run-targets.ts`, `../core-pinning.ts`), timing the
 * process from start to exit, and reads back its one-line JSON result.
 * @module
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FASHION_MNIST_DIR } from '../../data/fashion-mnist.js';
import { IDX_FILE_NAMES } from '../../data/idx-file-names.js';
import { isEpochMetrics } from '../../training/epoch-metrics.js';
import type { CorePinning } from '../core-pinning.js';
import type { FilterGradientFormulation } from '../peers/tfjs-conv2d-backprop-filter.js';
import { DEFAULT_PYTHONS, findTorchPython } from '../peers/pytorch-peer.js';
import { childFailure, resultLine, runNodeScript, runPinned } from '../run-targets.js';
import { WHOLE_RUN_RESULT_PREFIX, type WholeRunResult } from './whole-run-file.js';

/** The script, resolved from this module's URL (`src/bench/whole-run/` and `dist/bench/whole-run/` are three levels down). */
export const PYTORCH_WHOLE_RUN_SCRIPT: string = fileURLToPath(new URL('../../../src/bench/peers/pytorch_whole_run.py', import.meta.url));

/** Seconds since `started` (a `performance.now()`). */
function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Trains TensorFlow.js-wasm from `startFile` (its progress shows on stderr). */
export function runTfjsWholeRun(startFile: string, filterGradient: FilterGradientFormulation, pinning: CorePinning): WholeRunResult {
  const started = performance.now();
  const args = [startFile, filterGradient, String(pinning.cores), pinning.pinned ? '1' : '0'];
  const child = runNodeScript('./peers/tfjs-whole-run.js', args, pinning, { liveStderr: true });
  const wallSeconds = secondsSince(started);
  const parsed = resultLine(child.stdout, WHOLE_RUN_RESULT_PREFIX);
  if (parsed === null) return { target: 'tfjs-wasm', label: 'TensorFlow.js (wasm)', error: childFailure(child.status, child.stderr) };
  // the child wrote a WholeRunResult with JSON.stringify (peers/tfjs-whole-run.ts)
  const result = parsed as WholeRunResult;
  return result.error === undefined ? { ...result, wallSeconds } : result;
}

/**
 * Turns `pytorch_whole_run.py`'s JSON line into a result; throws naming what is wrong.
 * @param pinning - the cores the script ran on.
 */
export function parsePytorchWholeRun(line: string, pinning: CorePinning, python: string): WholeRunResult {
  const json: unknown = JSON.parse(line);
  const get = (key: string): unknown => (typeof json === 'object' && json !== null ? Reflect.get(json, key) : undefined);
  const unavailable = get('unavailable');
  if (typeof unavailable === 'string') return { target: 'pytorch', label: 'PyTorch', unavailable };
  const torch = get('torch');
  const threads = get('threads');
  const flushDenormal = get('flushDenormal');
  const epochs = get('epochs');
  const pythonVersion = get('python');
  if (
    typeof torch !== 'string' ||
    typeof threads !== 'number' ||
    typeof flushDenormal !== 'boolean' ||
    !Array.isArray(epochs) ||
    !epochs.every(isEpochMetrics)
  )
    throw new Error(`pytorch whole run: unexpected output ${line.slice(0, 200)}`);
  return {
    target: 'pytorch',
    label: `PyTorch ${torch} (CPU)`,
    cpu: { ...pinning, threads, threading: `torch.set_num_threads(${threads})` },
    details: { torch, python: typeof pythonVersion === 'string' ? pythonVersion : 'unknown', interpreter: python, threads, flushDenormal },
    epochs,
  };
}

/** Trains PyTorch from `startFile` (its progress shows on stderr); unavailable when no Python here imports torch. */
export function runPytorchWholeRun(
  startFile: string,
  options: { python: string | null; flushDenormal: boolean; pinning: CorePinning },
): WholeRunResult {
  const found = findTorchPython(options.python === null ? DEFAULT_PYTHONS : [options.python]);
  if ('unavailable' in found) return { target: 'pytorch', label: 'PyTorch', unavailable: found.unavailable };
  const idx = (name: string): string => join(DEFAULT_FASHION_MNIST_DIR, name);
  const args = [
    PYTORCH_WHOLE_RUN_SCRIPT,
    startFile,
    idx(IDX_FILE_NAMES.trainImages),
    idx(IDX_FILE_NAMES.trainLabels),
    idx(IDX_FILE_NAMES.testImages),
    idx(IDX_FILE_NAMES.testLabels),
    '--threads',
    String(options.pinning.cores),
    ...(options.flushDenormal ? ['--flush-denormal'] : []),
  ];
  const started = performance.now();
  const child = runPinned(found.python, args, options.pinning, { liveStderr: true });
  const wallSeconds = secondsSince(started);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{'))
    return { target: 'pytorch', label: 'PyTorch', error: childFailure(child.status, child.stderr) };
  try {
    const result = parsePytorchWholeRun(line, options.pinning, found.python);
    return result.epochs === undefined ? result : { ...result, wallSeconds };
  } catch (error) {
    return { target: 'pytorch', label: 'PyTorch', error: error instanceof Error ? error.message : String(error) };
  }
}
