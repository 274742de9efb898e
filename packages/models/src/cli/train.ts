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

process.exitCode = await superviseWorker({
  script: fileURLToPath(new URL('./train-worker.js', import.meta.url)),
  args: process.argv.slice(2),
  stoppingMessage: 'train: stopping after this step (Ctrl-C again to quit at once)…',
  terminatingMessage: 'train: SIGTERM: stopping after this step…',
  quittingMessage: 'train: quitting at once; the checkpoint of the last completed epoch is kept',
  interruptedCode: EXIT.interrupted,
});
