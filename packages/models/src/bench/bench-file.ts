/**
 * The results file `npm run bench` writes (`--out`), and a reader that checks the fields the
 * README tables and the docs' benchmark section need (the docs read it as `@lenet/models/bench-file`).
 *
 * Since the benchmark moved to @lenet/models it also holds `warmup`, `seed`, `recipe`, and with
 * `--peers` the `peers` and their `ratios`; since rounds and `--cores`, each target's `cpu` (cores
 * and threads) and `rounds` (examples/s of each round: min, median, max), and the file's `rounds`
 * and `machine.coresUsed`. Files written before (without them) still read: one round, on every core.
 * @module
 */
import type { BenchResult } from './bench-result.js';

export type { BenchResult };
import type { PeerRatio } from './peers/peer-ratios.js';
import { PEER_NAMES, type PeerName, type PeerResult } from './peers/peer-result.js';
import type { ProcessCpu } from './process-cpu.js';
import type { Rounds } from './rounds.js';
import type { StepTiming } from './step-timing.js';

/** The whole file. */
export interface BenchFile {
  /** ISO time of the run. */
  readonly date: string;
  readonly machine: Readonly<Record<string, string | number>>;
  readonly batch: number;
  /** Timed steps per target. */
  readonly steps: number;
  readonly warmup?: number;
  readonly seed?: number;
  /** Interleaved rounds (files written before rounds existed had one). */
  readonly rounds?: number;
  readonly recipe?: Readonly<Record<string, string | number>>;
  /** LeNet.ts's targets: backend-cpu and gpu.js modes. */
  readonly results: readonly BenchResult[];
  readonly peers?: readonly PeerResult[];
  readonly ratios?: readonly PeerRatio[];
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

function requireNumber(value: unknown, key: string, where: string): number {
  const found = field(value, key);
  if (typeof found !== 'number' || !Number.isFinite(found))
    throw new Error(`${where}: "${key}" should be a number, found ${JSON.stringify(found)}`);
  return found;
}

function optionalString(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

function readTiming(value: unknown, where: string): StepTiming | undefined {
  if (value === undefined) return undefined;
  const numbers = (key: string): number[] => {
    const found = field(value, key);
    return Array.isArray(found) ? found.filter((item): item is number => typeof item === 'number') : [];
  };
  return {
    batch: requireNumber(value, 'batch', where),
    firstStepMs: requireNumber(value, 'firstStepMs', where),
    msPerStep: requireNumber(value, 'msPerStep', where),
    examplesPerSecond: requireNumber(value, 'examplesPerSecond', where),
    stepsMs: numbers('stepsMs'),
    warmupSteps: typeof field(value, 'warmupSteps') === 'number' ? requireNumber(value, 'warmupSteps', where) : 1,
    losses: numbers('losses'),
  };
}

function readCpu(value: unknown, where: string): ProcessCpu | undefined {
  if (value === undefined) return undefined;
  const threads = field(value, 'threads');
  return {
    cores: requireNumber(value, 'cores', where),
    pinned: field(value, 'pinned') === true,
    threads: threads === null ? null : requireNumber(value, 'threads', where),
    threading: optionalString(value, 'threading') ?? '',
  };
}

function readRounds(value: unknown, where: string): Rounds | undefined {
  if (value === undefined) return undefined;
  const perRound = field(value, 'examplesPerSecond');
  if (!Array.isArray(perRound) || perRound.length === 0 || !perRound.every((n) => typeof n === 'number')) {
    throw new Error(`${where}: "examplesPerSecond" should be a non-empty array of numbers, found ${JSON.stringify(perRound)}`);
  }
  return {
    min: requireNumber(value, 'min', where),
    median: requireNumber(value, 'median', where),
    max: requireNumber(value, 'max', where),
    examplesPerSecond: perRound.map(Number),
  };
}

/** The cores every target of the file ran on: `machine.coresUsed`, or (older files) all of the machine's. */
export function coresOfRun(file: Pick<BenchFile, 'machine'>): number {
  const used = file.machine.coresUsed ?? file.machine.cores;
  return typeof used === 'number' ? used : Number.NaN;
}

function isPeerName(name: unknown): name is PeerName {
  return PEER_NAMES.some((known) => known === name);
}

/**
 * Checks parsed JSON against the results format (the fields the tables read) and returns it typed.
 * @throws naming the file and the field that is wrong.
 */
export function parseBenchFile(json: unknown, source: string): BenchFile {
  const results = field(json, 'results');
  if (!Array.isArray(results) || results.length === 0) throw new Error(`${source}: "results" should be a non-empty array`);
  const machine: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(field(json, 'machine') ?? {}))
    if (typeof value === 'string' || typeof value === 'number') machine[key] = value;
  const peersValue = field(json, 'peers');
  const peers = Array.isArray(peersValue)
    ? peersValue.map((entry: unknown, i): PeerResult => {
        const peer = field(entry, 'peer');
        if (!isPeerName(peer))
          throw new Error(`${source}: peers[${i}].peer should be one of ${PEER_NAMES.join(', ')}, found ${JSON.stringify(peer)}`);
        return {
          peer,
          label: optionalString(entry, 'label') ?? peer,
          device: optionalString(entry, 'device'),
          training: readTiming(field(entry, 'training'), `${source}: peers[${i}].training`),
          cpu: readCpu(field(entry, 'cpu'), `${source}: peers[${i}].cpu`),
          rounds: readRounds(field(entry, 'rounds'), `${source}: peers[${i}].rounds`),
          unavailable: optionalString(entry, 'unavailable'),
          error: optionalString(entry, 'error'),
        };
      })
    : undefined;
  return {
    date: optionalString(json, 'date') ?? 'unknown date',
    machine,
    batch: requireNumber(json, 'batch', source),
    steps: requireNumber(json, 'steps', source),
    warmup: typeof field(json, 'warmup') === 'number' ? requireNumber(json, 'warmup', source) : undefined,
    rounds: typeof field(json, 'rounds') === 'number' ? requireNumber(json, 'rounds', source) : undefined,
    results: results.map((entry: unknown, i): BenchResult => {
      const target = optionalString(entry, 'target');
      if (target === undefined) throw new Error(`${source}: results[${i}]: "target" should be a string`);
      const where = `${source}: results[${i}].training`;
      const training = readTiming(field(entry, 'training'), where);
      const live = field(field(entry, 'training'), 'liveBuffers');
      if (training !== undefined && !(Array.isArray(live) && live.length === 2 && live.every((n) => typeof n === 'number'))) {
        throw new Error(`${where}: "liveBuffers" should be two numbers, found ${JSON.stringify(live)}`);
      }
      const liveBuffers: [number, number] = Array.isArray(live) ? [Number(live[0]), Number(live[1])] : [0, 0];
      // results recorded before the compiled step existed ran eagerly
      const stepMode = field(field(entry, 'training'), 'stepMode') === 'compiled' ? 'compiled' : 'eager';
      const kernels = field(entry, 'kernels');
      return {
        target,
        device: optionalString(entry, 'device'),
        error: optionalString(entry, 'error'),
        cpu: readCpu(field(entry, 'cpu'), `${source}: results[${i}].cpu`),
        rounds: readRounds(field(entry, 'rounds'), `${source}: results[${i}].rounds`),
        training: training === undefined ? undefined : { ...training, liveBuffers, stepMode },
        kernels: Array.isArray(kernels)
          ? kernels.map((timing: unknown, k) => ({
              name: optionalString(timing, 'name') ?? `kernel ${k}`,
              ms: requireNumber(timing, 'ms', `${source}: results[${i}].kernels[${k}]`),
            }))
          : [],
      };
    }),
    peers,
  };
}
