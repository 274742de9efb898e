#!/usr/bin/env node
/**
 * The `evaluate` executable: `node packages/models/dist/cli/evaluate.js --checkpoint FILE [options]`.
 * @module
 */
import { PROCESS_IO } from './cli-io.js';
import { runEvaluateCommand } from './evaluate-command.js';

process.exitCode = await runEvaluateCommand(process.argv.slice(2), { io: PROCESS_IO });
