/**
 * The property every door must hold, for every case: the parser returns a result, or throws one of
 * its own typed errors whose message starts with the file's name and says the problem in one
 * readable line, within {@link FuzzLimits.caseMs} and without allocating more than the input
 * justifies (see `allocation-budget.ts`). {@link fuzzDoor} runs it with fast-check for a number of
 * cases from a seed and reports what happened; a failure comes back shrunk to its smallest form.
 * @module
 */
import { sep } from 'node:path';
import fc from 'fast-check';
import { AllocationBudgetExceeded, withAllocationBudget } from './allocation-budget.js';
import type { Door, OwnError } from './doors.js';
import type { FuzzCase } from './file-edits.js';

/** How a case can fail the property. */
export type FailureKind = 'crash' | 'hang' | 'over-budget' | 'bad-message';

/** A case that fails the property, and how. */
export class DoorPropertyFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind}: ${message}`, options);
    this.name = 'DoorPropertyFailure';
  }
}

/** The bounds of the property. */
export interface FuzzLimits {
  /** The most milliseconds a case may take (the parsers are synchronous or stream a few KiB: milliseconds). */
  readonly caseMs: number;
  /** The longest message an error may have, beyond the file's name (twice: a checkpoint error quotes the codec's). */
  readonly messageCharacters: number;
}

/** The bounds used unless told otherwise. */
export const DEFAULT_LIMITS: FuzzLimits = { caseMs: 5000, messageCharacters: 600 };

/** What one case gave. */
export interface CaseOutcome {
  readonly result: 'valid' | 'typed-error';
  readonly ms: number;
  readonly chargedBytes: number;
}

/**
 * Runs one case through `door` and checks the property.
 * @throws {@link DoorPropertyFailure} when it does not hold.
 */
export async function checkCase(door: Door, fuzzCase: FuzzCase, limits: FuzzLimits = DEFAULT_LIMITS): Promise<CaseOutcome> {
  const opened = door.open(fuzzCase);
  const started = performance.now();
  let outcome: { result: CaseOutcome['result']; chargedBytes: number };
  try {
    const { chargedBytes } = await withAllocationBudget(opened.budgetBytes, opened.parse);
    outcome = { result: 'valid', chargedBytes };
  } catch (error) {
    if (error instanceof AllocationBudgetExceeded) {
      throw new DoorPropertyFailure('over-budget', `${error.message} (input ${opened.file})`, { cause: error });
    }
    if (!isOwnError(door, error)) {
      const described = error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error);
      throw new DoorPropertyFailure('crash', `an error that is not ${door.ownErrors.map((own) => own.name).join(' or ')}: ${described}`, {
        cause: error,
      });
    }
    checkMessage(error, opened.file, limits);
    outcome = { result: 'typed-error', chargedBytes: 0 };
  }
  const ms = performance.now() - started;
  if (ms > limits.caseMs) throw new DoorPropertyFailure('hang', `the case took ${ms.toFixed(0)} ms, more than ${limits.caseMs} ms`);
  return { ...outcome, ms };
}

/** Whether `error` is one of the door's own errors. */
function isOwnError(door: Door, error: unknown): error is InstanceType<OwnError> {
  return door.ownErrors.some((own) => error instanceof own);
}

/** The message names the file (or a file in the directory) first, and is one line of bounded length. */
function checkMessage(error: Error & { readonly file: string }, file: string, limits: FuzzLimits): void {
  const namesFile = error.file === file || error.file.startsWith(file + sep);
  if (!namesFile || !error.message.startsWith(`${error.file}: `)) {
    throw new DoorPropertyFailure('bad-message', `the message does not start with the file's name ${file}: ${error.message.slice(0, 200)}`);
  }
  const problem = error.message.length - 2 * error.file.length;
  if (problem > limits.messageCharacters || error.message.includes('\n')) {
    throw new DoorPropertyFailure(
      'bad-message',
      `the message is ${error.message.length} characters${error.message.includes('\n') ? ' over several lines' : ''}: ${error.message.slice(0, 200)}…`,
    );
  }
}

/** What a fuzz run of one door found. */
export interface DoorReport {
  readonly door: string;
  readonly what: string;
  readonly seed: number;
  /** Cases run before the first failure (all of them when none failed); shrinking runs are not counted. */
  readonly cases: number;
  readonly valid: number;
  readonly typedErrors: number;
  /** The slowest case, in milliseconds. */
  readonly slowestMs: number;
  /** The most bytes one valid case allocated, against its budget. */
  readonly mostChargedBytes: number;
  /** The failure, shrunk, or null. */
  readonly failure: {
    readonly kind: FailureKind;
    readonly message: string;
    readonly counterexample: FuzzCase;
    readonly shrinks: number;
  } | null;
}

/** Runs `runs` cases of `door` from `seed` and reports; never throws for a failing case. */
export async function fuzzDoor(door: Door, options: { runs: number; seed: number; limits?: FuzzLimits }): Promise<DoorReport> {
  let cases = 0;
  let valid = 0;
  let typedErrors = 0;
  let slowestMs = 0;
  let mostChargedBytes = 0;
  let failedOnce = false;
  const property = fc.asyncProperty(door.cases, async (fuzzCase) => {
    try {
      const outcome = await checkCase(door, fuzzCase, options.limits);
      if (!failedOnce) {
        cases++;
        if (outcome.result === 'valid') valid++;
        else typedErrors++;
        slowestMs = Math.max(slowestMs, outcome.ms);
        mostChargedBytes = Math.max(mostChargedBytes, outcome.chargedBytes);
      }
    } catch (error) {
      if (!failedOnce) cases++;
      failedOnce = true;
      throw error;
    }
  });
  const details = await fc.check(property, { numRuns: options.runs, seed: options.seed, endOnFailure: false });
  const counterexample = details.counterexample?.[0];
  const error = details.errorInstance;
  const failure =
    details.failed && counterexample !== undefined
      ? {
          kind: error instanceof DoorPropertyFailure ? error.kind : ('crash' as const),
          message: error instanceof Error ? error.message : String(error),
          counterexample,
          shrinks: details.numShrinks,
        }
      : null;
  return { door: door.name, what: door.what, seed: options.seed, cases, valid, typedErrors, slowestMs, mostChargedBytes, failure };
}
