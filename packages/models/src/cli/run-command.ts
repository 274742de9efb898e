/**
 * A short command's entry point (`summary`, `export`): parse the arguments (printing the usage for
 * `--help`), run the command, and turn what it throws into its message and exit code.
 * @module
 */
import type { Command, OptionValues } from '@commander-js/extra-typings';
import type { CliIo } from './cli-io.js';
import { parseOrPrintHelp } from './command-line.js';
import { EXIT } from './exit-codes.js';
import { reportFailure, wantsStackTrace } from './report-failure.js';

/**
 * Runs `command` on `argv` and returns its exit code: 0 after `--help`, what `run` returns, or
 * {@link reportFailure}'s code for an error (2 for bad input, with the usage).
 * @example return runCommand('summary', summaryCommandLine(), argv, io, (options) => { …; return EXIT.ok; });
 */
export async function runCommand<Args extends unknown[], Opts extends OptionValues>(
  name: string,
  command: Command<Args, Opts>,
  argv: readonly string[],
  io: CliIo,
  run: (options: Opts) => Promise<number> | number,
): Promise<number> {
  try {
    const options = parseOrPrintHelp(command, argv, io.stdout);
    if (options === null) return EXIT.ok;
    return await run(options);
  } catch (error) {
    return reportFailure(name, error, io, command.helpInformation(), wantsStackTrace(argv));
  }
}
