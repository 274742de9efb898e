/**
 * Where a command writes: the process's streams, or collectors in tests.
 * @module
 */
import type { ProgressStream } from './progress-bar.js';

/** The output streams of a command. */
export interface CliIo {
  /** Results (tables, accuracy lines). */
  readonly stdout: ProgressStream;
  /** Progress bars, notes and errors. */
  readonly stderr: ProgressStream;
}

/** The real process streams. */
export const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** Writes `text` and a newline. */
export function println(stream: ProgressStream, text = ''): void {
  stream.write(`${text}\n`);
}
