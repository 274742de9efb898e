#!/usr/bin/env node
/**
 * The `bench:whole-run` executable (`npm run bench:whole-run` from the repository root): see
 * `../bench/whole-run/run-whole-run.ts` and `../bench/whole-run/whole-run-arguments.ts`.
 * @module
 */
import { runWholeRun } from '../bench/whole-run/run-whole-run.js';

runWholeRun(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
