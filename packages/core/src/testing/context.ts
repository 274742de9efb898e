/**
 * What every part of the conformance suite is given: the backend under test (made once per suite)
 * and the knobs a backend package may turn.
 * @module
 */
import type { Backend } from '../backend/backend.js';

/** Options of {@link describeBackendConformance}. */
export interface ConformanceOptions {
  /**
   * How many cases fast-check draws for each property (each gradient check, for example).
   * Default 20: the whole suite takes seconds on the CPU backend. A slow GPU mode may pass fewer.
   */
  readonly numRuns?: number;
  /** A fast-check seed, to replay a failure it reported. Default: a fresh seed on every run. */
  readonly seed?: number;
  /**
   * At most this many elements of each input are differentiated numerically in a gradient check
   * (a seeded sample; default: every element). Each element costs two forward passes and two
   * downloads, which is cheap on the CPU and slow on some GPU modes.
   */
  readonly maxCheckedElements?: number;
}

/** The suite's view of the backend under test, filled in by a `beforeAll` hook. */
export interface ConformanceContext {
  /** The backend under test; throws if read before the suite's `beforeAll` ran. */
  readonly backend: Backend;
  /** {@link ConformanceOptions.numRuns} with its default applied. */
  readonly numRuns: number;
  /** {@link ConformanceOptions.seed}. */
  readonly seed: number | undefined;
  /** {@link ConformanceOptions.maxCheckedElements} with its default (∞) applied. */
  readonly maxCheckedElements: number;
}

/** The default of {@link ConformanceOptions.numRuns}. */
export const DEFAULT_NUM_RUNS = 20;
