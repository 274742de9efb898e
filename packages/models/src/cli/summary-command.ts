/**
 * `npm run summary -- --model NAME`: each layer's output shape, parameters and connections.
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { Rng, setBackend } from '@lenet/core';
import { getModelSpec, MODEL_NAMES } from '../models/registry.js';
import { formatOutputShapes, formatSummary } from '../summary/format-summary.js';
import { summary } from '../summary/summary.js';
import { println, type CliIo } from './cli-io.js';
import { choiceOption, intOption, newCommand } from './command-line.js';
import { EXIT } from './exit-codes.js';
import { runCommand } from './run-command.js';

const DESCRIPTION =
  "Print a model's layers as the notes' loop does (layer type and output shape), then a table with each layer's " +
  'parameters and connections (per example, counted as LeCun et al. 1998 do) and the totals.';

/** The summary command's options, declared for {@link parseCommandLine}. */
export function summaryCommandLine() {
  return newCommand('npm run summary --', DESCRIPTION)
    .addOption(choiceOption('--model <name>', MODEL_NAMES, 'which network to describe').default('lenet5'))
    .addOption(intOption('--batch <int>', 'the batch size of the input shape', { min: 1 }).default(1));
}

/**
 * Runs the summary command with `argv` and returns its exit code (0, or 2 for bad input).
 * @example await runSummaryCommand(['--model', 'lenet5-classic'], { io: PROCESS_IO });
 */
export async function runSummaryCommand(argv: readonly string[], context: { readonly io: CliIo }): Promise<number> {
  const { io } = context;
  return runCommand('summary', summaryCommandLine(), argv, io, (options) => {
    setBackend(new CpuBackend());
    const spec = getModelSpec(options.model);
    const model = spec.build(new Rng(0));
    const result = summary(model, [options.batch, ...spec.exampleShape], { labels: spec.layerNames });
    model.dispose();
    println(io.stdout, `${spec.name}: ${spec.description}`);
    println(io.stdout);
    println(io.stdout, formatOutputShapes(result));
    println(io.stdout);
    println(io.stdout, formatSummary(result));
    return EXIT.ok;
  });
}
