/**
 * The common frame of the CLIs (`train`, `evaluate`, `summary`): parse the options, answer `--help`,
 * run, and turn errors into messages and exit codes.
 *
 * Exit codes: 0 success (and `--help`); 2 bad input — a {@link UsageError} (printed with the usage
 * text), a {@link DataFileError} (missing or corrupt data, failed download), a {@link SafetensorsError}
 * (unreadable checkpoint) or any error class listed in `inputErrors`; 1 anything else (a bug: printed
 * with its stack).
 * @module
 */
import { DataFileError } from '../data/data-file-error.js';
import { SafetensorsError } from '../io/safetensors.js';
import { formatUsage, parseArgs, type OptionSpecs, type ParsedOptions } from './args.js';
import { UsageError } from './usage-error.js';

/** Where a command writes: `process.stdout` / `process.stderr`, or collectors in tests. */
export interface CommandOutput {
  /** Normal output (results, `--help`). */
  readonly stdout: { write(chunk: string): unknown };
  /** Errors and progress. */
  readonly stderr: { write(chunk: string): unknown };
}

/** A CLI command: its usage, its options and what it does. */
export interface CommandDefinition<Specs extends OptionSpecs> {
  /** How it is invoked, for the usage line, e.g. `npm run train --`. */
  readonly usage: string;
  /** What it does, one or two sentences, shown by `--help`. */
  readonly description: string;
  /** Its options. */
  readonly options: Specs;
  /** The work, given the parsed options. Throw {@link UsageError} for bad input found later (unknown model). */
  run(options: ParsedOptions<Specs>, output: CommandOutput): Promise<void> | void;
  /** More error classes that mean bad input (exit code 2), e.g. a checkpoint error of the training code. */
  readonly inputErrors?: ReadonlyArray<abstract new (...args: never[]) => Error>;
}

/** The exit code for bad input (usage, data, checkpoint). */
export const EXIT_BAD_INPUT = 2;
/** The exit code for an unexpected failure. */
export const EXIT_FAILURE = 1;

/**
 * Run a command and return its exit code (it does not call `process.exit`, so output is flushed and
 * tests can call it).
 *
 * @param command - the definition.
 * @param argv - the arguments after the script (`process.argv.slice(2)`).
 * @param output - where to write; default the process's streams.
 *
 * @example
 * ```ts
 * process.exitCode = await runCommand(trainCommand, process.argv.slice(2));
 * ```
 */
export async function runCommand<Specs extends OptionSpecs>(
  command: CommandDefinition<Specs>,
  argv: readonly string[],
  output: CommandOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const usage = (): string => formatUsage(command.usage, command.description, command.options);
  try {
    const parsed = parseArgs(command.options, argv);
    if (parsed.help) {
      output.stdout.write(usage());
      return 0;
    }
    await command.run(parsed.options, output);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr.write(`error: ${error.message}\n\n${usage()}`);
      return EXIT_BAD_INPUT;
    }
    const inputErrors = [DataFileError, SafetensorsError, ...(command.inputErrors ?? [])];
    if (error instanceof Error && inputErrors.some((errorClass) => error instanceof errorClass)) {
      output.stderr.write(`error: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    output.stderr.write(`unexpected error: ${text}\n`);
    return EXIT_FAILURE;
  }
}
