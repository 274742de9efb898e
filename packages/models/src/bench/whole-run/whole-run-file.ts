/**
 * The whole-run benchmark's JSON: the same 10-epoch recipe trained by each target (PyTorch,
 * TensorFlow.js-wasm, and LeNet.ts's own recorded run), with every epoch's figures as LeNet.ts's
 * `metrics.jsonl` has them, the process's wall time, its cores and threads, and the versions.
 * @module
 */
import { isEpochMetrics, type EpochMetrics } from '../../training/epoch-metrics.js';
import type { ProcessCpu } from '../process-cpu.js';

/** The targets: LeNet.ts (read from a recorded run), TensorFlow.js-wasm and PyTorch (trained here). */
export const WHOLE_RUN_TARGETS = ['lenet', 'tfjs-wasm', 'pytorch'] as const;

/** One of {@link WHOLE_RUN_TARGETS}. */
export type WholeRunTarget = (typeof WHOLE_RUN_TARGETS)[number];

/** One target's whole run, or why it has none. */
export interface WholeRunResult {
  readonly target: WholeRunTarget;
  /** e.g. `PyTorch 1.13.0 (CPU)`, `TensorFlow.js 4.22.0 (wasm)`. */
  readonly label: string;
  /** The cores and threads it ran on (absent for a LeNet.ts run read from its folder: its README says). */
  readonly cpu?: ProcessCpu;
  /** Versions, threads, SIMD, flush-denormal, where a recorded run came from … */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** Every epoch, as `metrics.jsonl` (trainSeconds: the steps; epochSeconds: steps and evaluation). */
  readonly epochs?: readonly EpochMetrics[];
  /** The process's wall time, start to exit (data loading included); null when not recorded. */
  readonly wallSeconds?: number | null;
  /** Set when the target is not installed here (not a failure). */
  readonly unavailable?: string;
  /** Set when it started and failed. */
  readonly error?: string;
}

/** The file `npm run bench:whole-run` writes. */
export interface WholeRunFile {
  readonly date: string;
  /** CPU model, cores, the cores used and whether they were pinned, memory, Node, platform. */
  readonly machine: Readonly<Record<string, string | number>>;
  /** The recipe: model, data set, lr, batch, epochs, seed, examples per epoch … */
  readonly recipe: Readonly<Record<string, string | number>>;
  readonly results: readonly WholeRunResult[];
}

/** The line prefix a target's child process prints its {@link WholeRunResult} after. */
export const WHOLE_RUN_RESULT_PREFIX = 'WHOLE_RUN_RESULT ';

/** Σ epochSeconds: the epochs' time, steps and evaluations, the same measure for every target. */
export function epochsSeconds(result: WholeRunResult): number {
  return (result.epochs ?? []).reduce((sum, epoch) => sum + epoch.epochSeconds, 0);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

function flatRecord(value: unknown): Record<string, string | number> {
  const record: Record<string, string | number> = {};
  for (const [key, entry] of Object.entries(typeof value === 'object' && value !== null ? value : {}))
    if (typeof entry === 'string' || typeof entry === 'number') record[key] = entry;
  return record;
}

function readCpu(value: unknown, where: string): ProcessCpu | undefined {
  if (value === undefined) return undefined;
  const cores = field(value, 'cores');
  const pinned = field(value, 'pinned');
  const threads = field(value, 'threads');
  const threading = field(value, 'threading');
  if (
    typeof cores !== 'number' ||
    typeof pinned !== 'boolean' ||
    !(typeof threads === 'number' || threads === null) ||
    typeof threading !== 'string'
  )
    throw new Error(`${where}.cpu: needs cores, pinned, threads and threading`);
  return { cores, pinned, threads, threading };
}

function readResult(value: unknown, where: string): WholeRunResult {
  const target = WHOLE_RUN_TARGETS.find((name) => name === field(value, 'target'));
  const label = field(value, 'label');
  if (target === undefined || typeof label !== 'string')
    throw new Error(`${where}: needs target (one of ${WHOLE_RUN_TARGETS.join(', ')}) and label`);
  const epochs = field(value, 'epochs');
  if (epochs !== undefined && !(Array.isArray(epochs) && epochs.every(isEpochMetrics)))
    throw new Error(`${where}.epochs: every entry needs metrics.jsonl's numbers (epoch, trainLoss, trainAcc, testAcc, …)`);
  const wall = field(value, 'wallSeconds');
  const details: Record<string, string | number | boolean> = {};
  for (const [key, entry] of Object.entries(field(value, 'details') ?? {}))
    if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') details[key] = entry;
  const text = (key: string): string | undefined => {
    const entry = field(value, key);
    return typeof entry === 'string' ? entry : undefined;
  };
  const cpu = readCpu(field(value, 'cpu'), where);
  const unavailable = text('unavailable');
  const error = text('error');
  return {
    target,
    label,
    details,
    ...(cpu === undefined ? {} : { cpu }),
    ...(epochs === undefined ? {} : { epochs }),
    ...(typeof wall === 'number' || wall === null ? { wallSeconds: wall } : {}),
    ...(unavailable === undefined ? {} : { unavailable }),
    ...(error === undefined ? {} : { error }),
  };
}

/** Reads a whole-run file; throws naming `source` and what is missing. */
export function parseWholeRunFile(json: unknown, source: string): WholeRunFile {
  const date = field(json, 'date');
  const results = field(json, 'results');
  if (typeof date !== 'string' || !Array.isArray(results))
    throw new Error(`${source}: not a whole-run results file (needs date and results; write one with npm run bench:whole-run)`);
  return {
    date,
    machine: flatRecord(field(json, 'machine')),
    recipe: flatRecord(field(json, 'recipe')),
    results: results.map((result, index) => readResult(result, `${source}: results[${index}]`)),
  };
}
