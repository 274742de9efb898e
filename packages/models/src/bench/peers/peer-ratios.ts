/**
 * The ratio of every LeNet.ts target to every peer: LeNet.ts's examples per second divided by the
 * peer's, both measured in the same run (> 1: LeNet.ts is faster). With interleaved rounds the
 * ratio is taken round by round (a target and a peer of the same round ran minutes apart on the
 * same machine), and the median, least and greatest of those are given.
 * @module
 */
import type { ProcessCpu } from '../process-cpu.js';
import { spreadOf, type Rounds } from '../rounds.js';
import type { StepTiming } from '../step-timing.js';
import type { PeerName, PeerResult } from './peer-result.js';

/** One ratio. */
export interface PeerRatio {
  /** The LeNet.ts target: `backend-cpu` or a gpu.js mode. */
  readonly target: string;
  readonly peer: PeerName;
  /** target examples/s ÷ peer examples/s: the median over the rounds. */
  readonly ratio: number;
  /** The least and greatest ratio of a round (equal to `ratio` for one round). */
  readonly min: number;
  readonly max: number;
  /** The cores both ran on (each process pinned to them, or both on every core); null: not recorded. */
  readonly cores: number | null;
}

/** What a ratio needs of a target or a peer. */
interface Measured {
  readonly training?: StepTiming;
  readonly rounds?: Rounds;
  readonly cpu?: ProcessCpu;
}

/** The examples/s of each round of a result that trained (one figure for a result without rounds). */
function perRound(result: Measured): number[] {
  return result.rounds?.examplesPerSecond.slice() ?? (result.training === undefined ? [] : [result.training.examplesPerSecond]);
}

/** The cores a ratio was measured on: the target's and the peer's, when they agree. */
function sharedCores(a: ProcessCpu | undefined, b: ProcessCpu | undefined): number | null {
  return a !== undefined && b !== undefined && a.cores === b.cores ? a.cores : null;
}

/**
 * Every pair of a LeNet.ts target and a peer that both trained.
 * @example peerRatios([{ target: 'webasm', training: { examplesPerSecond: 500, … } }], [{ peer: 'pytorch', training: { examplesPerSecond: 2000, … } }])
 * // [{ target: 'webasm', peer: 'pytorch', ratio: 0.25, min: 0.25, max: 0.25, cores: null }]
 */
export function peerRatios(results: readonly (Measured & { readonly target: string })[], peers: readonly PeerResult[]): PeerRatio[] {
  const ratios: PeerRatio[] = [];
  for (const result of results) {
    const ours = perRound(result);
    if (ours.length === 0) continue;
    for (const peer of peers) {
      const theirs = perRound(peer);
      if (theirs.length === 0) continue;
      if (theirs.length !== ours.length) {
        throw new Error(`peerRatios: ${result.target} ran ${ours.length} rounds, ${peer.peer} ${theirs.length}`);
      }
      const spread = spreadOf(ours.map((value, round) => value / theirs[round]));
      ratios.push({
        target: result.target,
        peer: peer.peer,
        ratio: spread.median,
        min: spread.min,
        max: spread.max,
        cores: sharedCores(result.cpu, peer.cpu),
      });
    }
  }
  return ratios;
}
