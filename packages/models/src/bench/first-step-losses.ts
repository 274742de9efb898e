/**
 * The check that every target trains the same network: all start from the same parameters on the
 * same first batch, so their first-step losses agree to float32 rounding. A peer whose first loss
 * differs from a LeNet.ts target's by more than {@link FIRST_LOSS_TOLERANCE} trains something else
 * (another initialisation, another data order, another loss), and its figures are not comparable:
 * the benchmark then exits 1 ({@link benchProblems}).
 * @module
 */
import type { BenchResult } from './bench-result.js';
import type { PeerResult } from './peers/peer-result.js';

/** How far a peer's first-step loss may be from LeNet.ts's. */
export const FIRST_LOSS_TOLERANCE = 1e-4;

/** Every first-step loss, as `name loss` (the line the benchmark prints). */
export function describeFirstLosses(results: readonly BenchResult[], peers: readonly PeerResult[]): string {
  const entries = [
    ...results.map((r) => [r.target, r.training?.losses[0]] as const),
    ...peers.map((p) => [p.peer, p.training?.losses[0]] as const),
  ];
  return entries
    .filter(([, loss]) => loss !== undefined)
    .map(([name, loss]) => `${name} ${loss?.toFixed(5)}`)
    .join(', ');
}

/**
 * Each pair of a LeNet.ts target and a peer (both trained) whose first-step losses differ by more
 * than `tolerance`, in words; empty when they all agree.
 * @example firstLossDisagreements([{ target: 'webasm', training: { losses: [2.4094, …] } }], [{ peer: 'pytorch', training: { losses: [2.4101, …] } }])
 * // ['pytorch 2.41010 differs from webasm 2.40940 by 7.0e-4 (> 1e-4)']
 */
export function firstLossDisagreements(
  results: readonly BenchResult[],
  peers: readonly PeerResult[],
  tolerance = FIRST_LOSS_TOLERANCE,
): string[] {
  const disagreements: string[] = [];
  for (const peer of peers) {
    const theirs = peer.training?.losses[0];
    if (theirs === undefined) continue;
    for (const result of results) {
      const ours = result.training?.losses[0];
      if (ours === undefined) continue;
      const difference = Math.abs(theirs - ours);
      // a NaN loss is a disagreement too
      if (!(difference <= tolerance)) {
        disagreements.push(
          `${peer.peer} ${theirs.toFixed(5)} differs from ${result.target} ${ours.toFixed(5)} by ${difference.toExponential(1)} (> ${tolerance})`,
        );
      }
    }
  }
  return disagreements;
}

/**
 * Why the run fails, in words (the benchmark exits 1 when there is any): targets that failed, and
 * first-step losses that disagree.
 */
export function benchProblems(results: readonly BenchResult[], peers: readonly PeerResult[]): string[] {
  const failed = [...results.map((r) => [r.target, r.error] as const), ...peers.map((p) => [p.peer, p.error] as const)].filter(
    ([, error]) => error !== undefined,
  );
  const problems: string[] = [];
  if (failed.length > 0) {
    problems.push(`${failed.length} of ${results.length + peers.length} targets failed: ${failed.map(([name]) => name).join(', ')}`);
  }
  const disagreements = firstLossDisagreements(results, peers);
  if (disagreements.length > 0) {
    problems.push(
      `the first-step losses disagree by more than ${FIRST_LOSS_TOLERANCE}, so the peers did not train the same network: ${disagreements.join('; ')}`,
    );
  }
  return problems;
}
