/**
 * The ratio of every LeNet.ts target to every peer: LeNet.ts's examples per second divided by the
 * peer's, both measured in the same run (> 1: LeNet.ts is faster).
 * @module
 */
import type { BenchResult } from '../bench-result.js';
import type { PeerName, PeerResult } from './peer-result.js';

/** One ratio. */
export interface PeerRatio {
  /** The LeNet.ts target: `backend-cpu` or a gpu.js mode. */
  readonly target: string;
  readonly peer: PeerName;
  /** target examples/s ÷ peer examples/s. */
  readonly ratio: number;
}

/**
 * Every pair of a LeNet.ts target and a peer that both trained.
 * @example peerRatios([{ target: 'webasm', training: { examplesPerSecond: 500, … } }], [{ peer: 'pytorch', training: { examplesPerSecond: 2000, … } }])
 * // [{ target: 'webasm', peer: 'pytorch', ratio: 0.25 }]
 */
export function peerRatios(results: readonly BenchResult[], peers: readonly PeerResult[]): PeerRatio[] {
  const ratios: PeerRatio[] = [];
  for (const result of results) {
    if (result.training === undefined) continue;
    for (const peer of peers) {
      if (peer.training === undefined) continue;
      ratios.push({ target: result.target, peer: peer.peer, ratio: result.training.examplesPerSecond / peer.training.examplesPerSecond });
    }
  }
  return ratios;
}
