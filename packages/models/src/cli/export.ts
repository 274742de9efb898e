#!/usr/bin/env node
/**
 * The `export` executable: `node packages/models/dist/cli/export.js --checkpoint FILE --onnx FILE`.
 * @module
 */
import { PROCESS_IO } from './cli-io.js';
import { runExportCommand } from './export-command.js';

process.exitCode = await runExportCommand(process.argv.slice(2), { io: PROCESS_IO });
