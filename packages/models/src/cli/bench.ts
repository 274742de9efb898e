#!/usr/bin/env node
/**
 * The `bench` executable (`npm run bench` from the repository root): see `../bench/run-bench.ts`
 * and `../bench/bench-arguments.ts` for what it measures and its options.
 * @module
 */
import { runBench } from '../bench/run-bench.js';

runBench(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
