/**
 * The counterexamples the fuzz keeps: each failure of `npm run fuzz`, shrunk, is written as a JSON
 * file into `test/fixtures/fuzz-regressions/`, and `test/fuzz.test.ts` replays every file there in
 * `npm test`, so a bug the fuzz found once stays fixed.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCS_DIR } from '../generate/paths.js';
import type { DoorReport } from './door-property.js';
import type { FuzzCase } from './file-edits.js';

/** Where the shrunk counterexamples go (each a regression test). */
export const REGRESSIONS_DIR = join(DOCS_DIR, 'test', 'fixtures', 'fuzz-regressions');

/** What a regression file holds. */
export interface RegressionFile {
  /** The door that failed. */
  readonly door: string;
  /** The seed of the run that found it. */
  readonly seed: number;
  /** How it failed (crash, hang, over-budget, bad-message). */
  readonly kind: string;
  /** The failure as it was reported. */
  readonly message: string;
  /** The shrunk case. */
  readonly counterexample: FuzzCase;
}

/** Writes the failure of `report` as a regression file and returns its path (null when the door did not fail). */
export function keepRegression(report: DoorReport): string | null {
  if (report.failure === null) return null;
  mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const path = join(REGRESSIONS_DIR, `${report.door}-seed-${report.seed}.json`);
  const regression: RegressionFile = {
    door: report.door,
    seed: report.seed,
    kind: report.failure.kind,
    message: report.failure.message.replaceAll(tmpdir(), '<tmp>'), // no path of this machine in the repository
    counterexample: report.failure.counterexample,
  };
  writeFileSync(path, `${JSON.stringify(regression, null, 2)}\n`);
  return path;
}
