/**
 * Reading a whole file for a decoder, with the failure said as a problem of that file.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { FileProblemError } from './file-problem-error.js';

/**
 * The bytes of `path`.
 * @param problemError the error class of this kind of file, e.g. `DataFileError`
 * @throws problemError "file not found", or "cannot read the file (…)" with the cause
 */
export function readFileBytes(
  path: string,
  problemError: new (file: string, problem: string, options?: { cause?: unknown }) => FileProblemError,
): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : '';
    const problem =
      code === 'ENOENT' ? 'file not found' : `cannot read the file (${cause instanceof Error ? cause.message : String(cause)})`;
    throw new problemError(path, problem, { cause });
  }
}
