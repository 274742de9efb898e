/**
 * Writing a file a command produces without destroying what is at its path.
 *
 * The atomic write (temporary file, fsync, rename; {@link writeFileAtomic}) replaces the directory
 * entry, which is right for a regular file and for a new path, but wrong for anything else: a
 * symbolic link would become a regular file, and so would a FIFO or a device node (as root,
 * `--misclassified /dev/full` used to turn the device into a file). So:
 *
 * | what is at the path | what happens |
 * |---|---|
 * | nothing, or a regular file | atomic write |
 * | a symbolic link | the rule is applied to its target (the link stays a link) |
 * | a character device (`/dev/null`, a terminal) or a FIFO | written through, in place |
 * | a directory, a block device, a socket, a dangling link | refused, with a reason |
 *
 * A FIFO is opened without blocking, so a FIFO that nobody reads is an error (ENXIO) instead of a
 * hang.
 * @module
 */
import { closeSync, constants, lstatSync, openSync, realpathSync, statSync, writeSync, type Stats } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import { hasErrorCode } from './make-directory.js';

/** A path the rule above will not write to; the message says why (the caller adds the path). */
export class OutputRefusedError extends Error {
  /** The path given. */
  readonly path: string;

  /** @param path the path; @param reason why it is refused, e.g. `it is a directory` */
  constructor(path: string, reason: string) {
    super(reason);
    this.name = 'OutputRefusedError';
    this.path = path;
  }
}

/** The longest a full FIFO is waited for before the write gives up. */
const FIFO_PATIENCE_MS = 60_000;

/** Sleeps without spinning the CPU (the write-through is synchronous, like the atomic write). */
function pause(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** Writes all of `bytes` to an open descriptor, waiting while a non-blocking FIFO is full. */
function writeAll(fd: number, bytes: Uint8Array): void {
  const started = Date.now();
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      if (!hasErrorCode(error, 'EAGAIN') || Date.now() - started > FIFO_PATIENCE_MS) throw error;
      pause(5);
    }
  }
}

/** Opens an existing character device or FIFO for writing, in place (never creating or renaming). */
function writeThrough(path: string, bytes: Uint8Array, isFifo: boolean): void {
  const flags = constants.O_WRONLY | constants.O_NOCTTY | (isFifo ? constants.O_NONBLOCK : 0);
  const fd = openSync(path, flags);
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** What is at `path` without following a link, or null when nothing is. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/** The kind of a non-regular, non-link file, for a refusal message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'neither a regular file, a character device nor a FIFO';
}

/** What the symbolic link `link` points to. @throws {@link OutputRefusedError} when that is missing. */
function statLinkTarget(link: string): Stats {
  try {
    return statSync(link);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT'))
      throw new OutputRefusedError(link, 'it is a symbolic link to a missing file; give the path it should point to');
    throw error;
  }
}

/**
 * A symbolic link: what it points to decides. A regular file is replaced atomically at its real path
 * (the link stays); a device or FIFO is written through the link (`/dev/stdout` → `/proc/self/fd/1`,
 * whose "real path" names no file); a missing target is refused.
 */
function writeThroughLink(link: string, bytes: Uint8Array): void {
  const target = statLinkTarget(link);
  if (target.isFile()) writeFileAtomic(realpathSync(link), bytes);
  else if (target.isCharacterDevice() || target.isFIFO()) writeThrough(link, bytes, target.isFIFO());
  else
    throw new OutputRefusedError(
      link,
      `it is a symbolic link to ${kindOf(target)}; only a new path, a regular file, a character device or a FIFO is written`,
    );
}

/**
 * Checks, before any long work, that {@link writeOutputFile} would not refuse `destination`.
 * @throws {@link OutputRefusedError} for a directory, block device, socket or dangling link.
 */
export function checkOutputTarget(destination: string): void {
  const stats = lstatOrNull(destination);
  if (stats === null || stats.isFile() || stats.isCharacterDevice() || stats.isFIFO()) return;
  if (stats.isSymbolicLink()) {
    const target = statLinkTarget(destination);
    if (target.isFile() || target.isCharacterDevice() || target.isFIFO()) return;
    throw new OutputRefusedError(
      destination,
      `it is a symbolic link to ${kindOf(target)}; only a new path, a regular file, a character device or a FIFO is written`,
    );
  }
  throw new OutputRefusedError(
    destination,
    `it is ${kindOf(stats)}; only a new path, a regular file, a character device or a FIFO is written`,
  );
}

/**
 * Writes `data` to `destination` following the table in this module's comment.
 *
 * @throws {@link OutputRefusedError} for a directory, block device, socket or dangling link; the
 *   system error of the write otherwise (ENOSPC, EACCES, ENXIO for an unread FIFO, …). Callers wrap
 *   both in a `FileSystemError` that says what to do.
 *
 * @example
 * ```ts
 * writeOutputFile('wrong.png', png);    // new file or regular file: atomic
 * writeOutputFile('/dev/stdout', png);  // a link to a terminal or pipe: written through
 * ```
 */
export function writeOutputFile(destination: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const stats = lstatOrNull(destination);
  if (stats === null || stats.isFile()) {
    writeFileAtomic(destination, bytes);
    return;
  }
  if (stats.isSymbolicLink()) {
    writeThroughLink(destination, bytes);
    return;
  }
  if (stats.isCharacterDevice() || stats.isFIFO()) {
    writeThrough(destination, bytes, stats.isFIFO());
    return;
  }
  throw new OutputRefusedError(
    destination,
    `it is ${kindOf(stats)}; only a new path, a regular file, a character device or a FIFO is written`,
  );
}
