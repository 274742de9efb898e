/**
 * A file-system or environment failure told the way a user can act on it: which path, what is wrong
 * with it in words, what to do, and what was kept. The CLIs print the message and exit with code 2,
 * without a stack trace (unless `--verbose` or `DEBUG` asks for one).
 * @module
 */

/** The words for the error codes a hostile or unlucky environment produces. */
const PROBLEMS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EEXIST: 'it exists and is not a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENOENT: 'it does not exist, or a directory on the way cannot hold files',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENXIO: 'no process is reading it',
  EPIPE: 'the reader went away',
  EIO: 'an input/output error of the device',
};

/** A Node system error: `fs` and `net` throw these, with `code`, `syscall` and usually `path`. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && 'syscall' in error;
}

/** `permission denied (EACCES)` for a system error; its message for anything else. */
export function describeSystemError(error: unknown): string {
  if (isSystemError(error)) {
    const problem = PROBLEMS[error.code];
    return problem === undefined ? error.message : `${problem} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The parts of a {@link FileSystemError}'s message. */
export interface FileSystemErrorParts {
  /** The path the problem is about. */
  readonly path: string;
  /** What was being done, e.g. `cannot create the run directory`. */
  readonly action: string;
  /** The underlying error (a Node system error), or a sentence saying what is wrong. */
  readonly problem: unknown;
  /** What to do about it, e.g. `choose another --out`. */
  readonly advice: string;
  /** What is safe on disk, e.g. `epoch 3 is saved in runs/a/model.safetensors`; omitted when nothing is. */
  readonly kept?: string;
}

/**
 * `cannot create the run directory /sys/nope: operation not permitted (EPERM). Choose another --out.`
 * Exit code 2.
 *
 * @example
 * ```ts
 * throw new FileSystemError({ path: 'runs/a', action: 'cannot write the checkpoint', problem: error,
 *   advice: 'free space and run with --out runs/a --resume', kept: 'epoch 3 is saved in runs/a/model.safetensors' });
 * ```
 */
export class FileSystemError extends Error {
  /** The path the problem is about. */
  readonly path: string;
  /** The system error code (`ENOSPC`), or undefined when the problem was found by a check. */
  readonly code: string | undefined;

  /** @param parts path, action, problem, advice and what was kept */
  constructor(parts: FileSystemErrorParts) {
    const problem = typeof parts.problem === 'string' ? parts.problem : describeSystemError(parts.problem);
    const kept = parts.kept === undefined ? '' : ` ${capitalise(parts.kept)}.`;
    super(`${parts.action} ${parts.path}: ${problem}.${kept} ${capitalise(parts.advice)}.`, {
      cause: typeof parts.problem === 'string' ? undefined : parts.problem,
    });
    this.name = 'FileSystemError';
    this.path = parts.path;
    this.code = isSystemError(parts.problem) ? parts.problem.code : undefined;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
