/**
 * The machine a benchmark ran on, as its JSON records it: CPU model, cores, the cores every target
 * ran on and whether they were pinned, memory, Node and platform.
 * @module
 */
import { cpus, totalmem } from 'node:os';
import type { CorePinning } from './core-pinning.js';

/** What a results file's `machine` holds (a type, so that it is a `Record<string, string | number>`). */
export type MachineRecord = {
  readonly cpu: string;
  readonly cores: number;
  /** The cores every target ran on (see `cores` of each result). */
  readonly coresUsed: number;
  readonly pinned: 'yes, taskset' | 'no';
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
};

/** This machine, with the run's pinning. */
export function describeMachine(pinning: CorePinning): MachineRecord {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    coresUsed: pinning.cores,
    pinned: pinning.pinned ? 'yes, taskset' : 'no',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
