/**
 * Creating a directory and its missing parents one level at a time, in a way that cannot loop.
 *
 * `mkdirSync(path, { recursive: true })` on Node 20 loops for ever on some paths: under `/proc`,
 * `mkdir("/proc/nope")` answers ENOENT and `mkdir("/proc")` answers EEXIST, and Node's recursive
 * walk goes back and forth between the two at full CPU, never returning to the event loop (so even
 * Ctrl-C is not answered). Here every level from the top down is tried exactly once: a level that
 * exists must be a directory, and a level that cannot be made is an error naming it.
 * @module
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The two file-system calls {@link makeDirectory} needs; tests pass stubs. */
export interface DirectoryOperations {
  /** Creates one directory (not its parents); throws a Node system error (EEXIST, ENOENT, EACCES, …). */
  readonly mkdir: (path: string) => void;
  /** Whether `path` exists and is a directory (following symbolic links). */
  readonly isDirectory: (path: string) => boolean;
}

/** The real file system. */
export const NODE_DIRECTORY_OPERATIONS: DirectoryOperations = {
  mkdir: (path) => mkdirSync(path),
  isDirectory: (path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};

/** A Node-style system error (`code`, `syscall`, `path`), as `fs` throws them. */
export function systemError(code: string, syscall: string, path: string, message: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${message}, ${syscall} '${path}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

/** Whether `error` is a Node system error with this `code`. */
export function hasErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

/**
 * `path` and its ancestors, outermost first: `a/b/c` (relative to `/work`) →
 * `['/', '/work', '/work/a', '/work/a/b', '/work/a/b/c']`.
 */
function ancestorsOutermostFirst(path: string): string[] {
  const chain: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    chain.unshift(current);
    if (dirname(current) === current) return chain;
  }
}

/**
 * Makes `path` a directory, creating missing parents, and returns the directories it created
 * (outermost first), so a caller can remove them again if it gives up before using them.
 *
 * Each level is tried once, from the outermost missing one inwards, so the number of system calls is
 * bounded by the depth of the path.
 *
 * @throws the system error of the level that failed: EEXIST (with a message saying it is not a
 *   directory) when a level is a file, ENOENT when a level vanished or cannot hold directories
 *   (`/proc`), EACCES, EPERM, EROFS, ENOSPC, ENOTDIR as the file system answers.
 *
 * @example
 * ```ts
 * makeDirectory('runs/a/b'); // ['/work/runs/a', '/work/runs/a/b'] on a fresh checkout with runs/
 * ```
 */
export function makeDirectory(path: string, operations: DirectoryOperations = NODE_DIRECTORY_OPERATIONS): string[] {
  const created: string[] = [];
  for (const level of ancestorsOutermostFirst(path)) {
    if (operations.isDirectory(level)) continue;
    try {
      operations.mkdir(level);
      created.push(level);
    } catch (error) {
      if (!hasErrorCode(error, 'EEXIST')) throw error;
      if (!operations.isDirectory(level)) throw systemError('EEXIST', 'mkdir', level, 'it exists and is not a directory');
    }
  }
  return created;
}
