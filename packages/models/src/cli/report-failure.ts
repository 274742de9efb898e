/**
 * Turning an error into a message and an exit code.
 * @module
 */
import { UsageError } from '../cli-support/usage-error.js';
import { println, type CliIo } from './cli-io.js';
import { EXIT, isBadInputError } from './exit-codes.js';

/**
 * Prints `command: message` on stderr and returns the exit code: 2 for the foreseen bad-input errors
 * (with a pointer to `--help` for a usage error), 1 with the stack trace for anything else.
 */
export function reportFailure(command: string, error: unknown, io: CliIo, usage: string): number {
  if (isBadInputError(error)) {
    println(io.stderr, `${command}: ${error.message}`);
    if (error instanceof UsageError) println(io.stderr, `(${usage.split('\n')[0].replace('Usage: ', 'usage: ')}; --help lists the options)`);
    return EXIT.badInput;
  }
  println(io.stderr, `${command}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.unexpected;
}
