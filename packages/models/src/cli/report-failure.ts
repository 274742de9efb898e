/**
 * Turning an error into a message and an exit code.
 * @module
 */
import { describeSystemError, isSystemError } from '../io/file-system-error.js';
import { println, type CliIo } from './cli-io.js';
import { flagOption } from './command-line.js';
import { EXIT, isBadInputError } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/** The `--verbose` option every command that can fail on the file system has. */
export function verboseOption() {
  return flagOption('--verbose', 'on an error, also print its stack trace (as does a non-empty DEBUG variable)');
}

/**
 * Whether an error's stack trace is wanted: `--verbose` on the command line (looked for in the raw
 * arguments, so that it works even when they fail to parse) or a non-empty `DEBUG` variable.
 */
export function wantsStackTrace(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes('--verbose') || (env.DEBUG !== undefined && env.DEBUG !== '');
}

/** The stack of an error and of its causes, for `--verbose`. */
function stackTrace(error: unknown): string {
  const lines: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) lines.push('caused by:');
  }
  return lines.join('\n');
}

/**
 * Prints `command: message` on stderr and returns the exit code: 2 for the foreseen bad-input errors
 * (with a pointer to `--help` for a usage error) and for any file-system error that escaped the more
 * precise messages (its path, what is wrong, what to check); 1 with the stack trace for anything
 * else. With `verbose`, a stack trace follows every message.
 */
export function reportFailure(command: string, error: unknown, io: CliIo, usage: string, verbose = false): number {
  const trace = (): void => {
    if (verbose) println(io.stderr, stackTrace(error));
  };
  if (isBadInputError(error)) {
    println(io.stderr, `${command}: ${error.message}`);
    if (error instanceof UsageError)
      println(io.stderr, `(${usage.split('\n')[0].replace('Usage: ', 'usage: ')}; --help lists the options)`);
    trace();
    return EXIT.badInput;
  }
  if (isSystemError(error)) {
    const where = error.path ?? '(no path)';
    println(
      io.stderr,
      `${command}: ${error.syscall ?? 'a file operation'} failed on ${where}: ${describeSystemError(error)}. Check that the path is right and that this user may use it.`,
    );
    trace();
    return EXIT.badInput;
  }
  println(io.stderr, `${command}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.unexpected;
}
