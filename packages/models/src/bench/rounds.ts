/**
 * Interleaved rounds: the benchmark runs every target once per round (LeNet.ts's targets, then the
 * peers, then again), so a machine that slows down for a while slows every target alike. Each
 * round gives a target one figure (its median step, see `step-timing.ts`); the rounds give the
 * target its spread: the minimum, median and maximum of those figures.
 * @module
 */
import { median, type StepTiming } from './step-timing.js';

/** The least, middle and greatest of some values. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** A target's figures over the rounds. */
export interface Rounds extends Spread {
  /** Examples per second of each round, in the order they ran (min, median and max are of these). */
  readonly examplesPerSecond: readonly number[];
}

/** The spread of `values` (median: the upper middle, as {@link median}). */
export function spreadOf(values: readonly number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** What a round of one target gives: its timing, or why there is none. */
interface RoundResult {
  readonly training?: StepTiming;
  readonly error?: string;
  readonly unavailable?: string;
}

/**
 * One target's rounds as one result: the round whose examples/s is the median stands for the
 * target (its timing, losses and device), with `rounds` added. A round that failed makes the
 * target failed (its first failure is kept).
 * @example combineRounds([{ training: t(500) }, { training: t(400) }, { training: t(600) }]).training // t(500)
 */
export function combineRounds<R extends RoundResult>(runs: readonly R[]): R & { readonly rounds?: Rounds } {
  if (runs.length === 0) throw new RangeError('combineRounds: no rounds');
  const failed = runs.find((run) => run.training === undefined);
  if (failed !== undefined) return failed;
  const examplesPerSecond = runs.map((run) => run.training?.examplesPerSecond ?? Number.NaN);
  const spread = spreadOf(examplesPerSecond);
  const middle = runs[examplesPerSecond.indexOf(spread.median)];
  return { ...middle, rounds: { ...spread, examplesPerSecond } };
}
