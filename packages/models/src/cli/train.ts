#!/usr/bin/env node
/**
 * The `train` executable: `node packages/models/dist/cli/train.js [options]` (`npm run train -- …`).
 * It supervises `train-worker.js`, which trains, so that Ctrl-C is answered at once even during a
 * long synchronous step: the first stops training after the current step or evaluation batch and
 * keeps the last epoch's checkpoint (exit 130); a second quits at once (also 130). SIGTERM gets the
 * same orderly stop as the first Ctrl-C and exits 143.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { superviseWorker } from './interrupt-supervisor.js';
import { EXIT } from './exit-codes.js';

/**
 * glibc's malloc hands a freed block of at most its "mmap threshold" back to its own heap rather than
 * to the system, and raises that threshold to the largest block freed so far (up to 32 MiB). The
 * webasm backend's kernels return a new array for every output, up to a few MiB each, a few hundred
 * per second, so the heap fragments and the process grows over a run: the 10-epoch recipe
 * peaked at 714 MiB (`runs-recorded/2026-12-01-lenet5-webasm-lanes/train-before-the-malloc-setting.log`).
 * A fixed threshold of 128 KiB keeps those arrays in their own mappings, returned to the system when
 * freed (584 MiB, about 15 % slower). Other C libraries ignore the variable; set it in the
 * environment to override.
 */
const GLIBC_MALLOC_DEFAULTS = { MALLOC_MMAP_THRESHOLD_: '131072' };

process.exitCode = await superviseWorker({
  script: fileURLToPath(new URL('./train-worker.js', import.meta.url)),
  args: process.argv.slice(2),
  stoppingMessage: 'train: stopping after this step (Ctrl-C again to quit at once)…',
  terminatingMessage: 'train: SIGTERM: stopping after this step…',
  quittingMessage: 'train: quitting at once; the checkpoint of the last completed epoch is kept',
  interruptedCode: EXIT.interrupted,
  environmentDefaults: GLIBC_MALLOC_DEFAULTS,
});
