#!/usr/bin/env node
/**
 * The `summary` executable: `node packages/models/dist/cli/summary.js --model NAME`.
 * @module
 */
import { PROCESS_IO } from './cli-io.js';
import { runSummaryCommand } from './summary-command.js';

process.exitCode = await runSummaryCommand(process.argv.slice(2), { io: PROCESS_IO });
