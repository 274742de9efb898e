#!/usr/bin/env node
/**
 * The process that trains, forked by `train.js` (see `superviseWorker`): runs the train command with
 * this process's arguments. Every SIGINT or SIGTERM asks training to stop before its next step or
 * evaluation batch (the abort's reason names the signal, so the command exits 130 or 143); the
 * supervisor prints the messages and handles a second Ctrl-C. Run on its own (without a supervisor)
 * it prints the message itself, and a second Ctrl-C ends it at once (the default action of SIGINT,
 * which needs no JavaScript to run).
 * @module
 */
import { PROCESS_IO } from './cli-io.js';
import { runTrainCommand, STOP_REASON_SIGTERM } from './train-command.js';

const controller = new AbortController();
const supervised = process.send !== undefined;
const onInterrupt = (): void => {
  if (!supervised) {
    process.stderr.write('\ntrain: stopping after this step (Ctrl-C again to quit at once)…\n');
    process.off('SIGINT', onInterrupt); // the next Ctrl-C takes SIGINT's default action: quit at once
  }
  controller.abort();
};
process.on('SIGINT', onInterrupt);
const onTerminate = (): void => {
  if (!supervised) process.stderr.write('\ntrain: SIGTERM: stopping after this step…\n');
  controller.abort(STOP_REASON_SIGTERM);
};
process.on('SIGTERM', onTerminate);
// The supervisor is gone (killed): stop as after a Ctrl-C, keeping the last checkpoint.
process.on('disconnect', () => controller.abort());
process.exitCode = await runTrainCommand(process.argv.slice(2), { io: PROCESS_IO, signal: controller.signal });
process.disconnect?.();
