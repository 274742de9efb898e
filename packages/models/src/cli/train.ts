#!/usr/bin/env node
/**
 * The `train` executable: `node packages/models/dist/cli/train.js [options]` (`npm run train -- …`).
 * Ctrl-C stops training before the next step and keeps the last epoch's checkpoint; a second Ctrl-C
 * quits at once.
 * @module
 */
import { PROCESS_IO } from './cli-io.js';
import { EXIT } from './exit-codes.js';
import { runTrainCommand } from './train-command.js';

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\ntrain: stopping before the next step (Ctrl-C again to quit at once)…\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(EXIT.interrupted));
});
process.exitCode = await runTrainCommand(process.argv.slice(2), { io: PROCESS_IO, signal: controller.signal });
