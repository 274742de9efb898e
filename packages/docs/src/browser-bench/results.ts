/**
 * The browser benchmark's results file (`bench-results/browser-*.json` in this package) and the
 * figures drawn from its rounds: per target, examples/s of every round and their min, median and
 * max; the first-step losses against LeNet.ts's; the ratios the README quotes.
 * @module
 */
import type { BrowserBenchTarget } from './targets.js';

/** min, median and max over the rounds. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** One target over all rounds. */
export interface TargetResult {
  readonly target: BrowserBenchTarget;
  readonly label: string;
  readonly ran?: string;
  readonly device?: string;
  readonly threads?: number | null;
  /** Workers the page started in one run (the most over the rounds). */
  readonly workersStarted?: number;
  /** examples/s at each round's median step time. */
  readonly examplesPerSecond?: readonly number[];
  readonly spread?: Spread;
  /** Median ms per step of each round. */
  readonly msPerStep?: readonly number[];
  /** The first step's loss (round 1): every target starts from the same parameters on the same batch. */
  readonly firstStepLoss?: number;
  /** Every step's loss in round 1. */
  readonly losses?: readonly number[];
  readonly error?: string;
}

/** A ratio of two targets' median examples/s. */
export interface BrowserRatio {
  readonly what: string;
  readonly numerator: BrowserBenchTarget;
  readonly denominator: BrowserBenchTarget;
  /** numerator ÷ denominator at the medians, and at min ÷ max and max ÷ min. */
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/** The file. */
export interface BrowserBenchFile {
  readonly date: string;
  /** How the run was measured (e.g. that the machine was shared and busy). */
  readonly note: string;
  /** The command that records it. */
  readonly command: string;
  readonly machine: Readonly<Record<string, string | number>>;
  readonly batch: number;
  readonly warmup: number;
  readonly steps: number;
  readonly rounds: number;
  readonly seed: number;
  readonly recipe: Readonly<Record<string, string | number>>;
  /** Whether the page was cross-origin isolated (threads for webasm and tfjs-wasm). */
  readonly crossOriginIsolated: boolean;
  readonly targets: readonly TargetResult[];
  /** The largest |first-step loss − LeNet.ts webasm's| over the targets, and the bound it must stay under. */
  readonly firstStepLossCheck: { readonly reference: BrowserBenchTarget; readonly maxDifference: number; readonly tolerance: number };
  readonly ratios: readonly BrowserRatio[];
}

/** The median; of an even count, the upper middle value (as the Node benchmark's). */
function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** min, median and max of `values`. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spreadOf: no values');
  return { min: Math.min(...values), median: medianOf(values), max: Math.max(...values) };
}

/** The ratio of two targets' spreads, or null when either has none. */
export function ratioOf(what: string, numerator: TargetResult, denominator: TargetResult): BrowserRatio | null {
  const a = numerator.spread;
  const b = denominator.spread;
  if (a === undefined || b === undefined) return null;
  return {
    what,
    numerator: numerator.target,
    denominator: denominator.target,
    median: a.median / b.median,
    low: a.min / b.max,
    high: a.max / b.min,
  };
}

/** The target with the highest median examples/s among `targets` (null when none ran). */
export function fastest(targets: readonly TargetResult[]): TargetResult | null {
  return targets.reduce<TargetResult | null>(
    (best, t) => (t.spread !== undefined && (best?.spread === undefined || t.spread.median > best.spread.median) ? t : best),
    null,
  );
}
