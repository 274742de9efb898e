/**
 * Atomic file replacement: write to a temporary file next to the destination, flush it to disk, then
 * rename it over the destination. A rename within one directory is atomic on POSIX file systems, so a
 * reader sees either the old file or the complete new one, never a half-written file, even if the
 * process is killed mid-write. Checkpoints and downloads both use it.
 * @module
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { makeDirectory } from './make-directory.js';

/**
 * A fresh temporary path in the same directory as `destination` (same file system, so the final
 * rename is atomic): `.<name>.<pid>-<random>.tmp`. The leading dot and the suffix keep it from ever
 * being taken for the destination itself.
 *
 * @example
 * ```ts
 * temporarySiblingPath('runs/a/model.safetensors'); // 'runs/a/.model.safetensors.4242-9f3c1a0b.tmp'
 * ```
 */
export function temporarySiblingPath(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Flush a directory's entries to disk, so that a rename into it survives a crash. Best effort: some
 * platforms (Windows) cannot open a directory, and then nothing happens.
 */
export function fsyncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Move a complete, already-flushed temporary file onto `destination` (atomically replacing any old
 * file) and flush the directory entry.
 */
export function renameIntoPlace(temporaryPath: string, destination: string): void {
  renameSync(temporaryPath, destination);
  fsyncDirectory(dirname(destination));
}

/** Remove a file if it exists, ignoring every error (used to clean up temporary files). */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing more can be done; the name marks it as temporary.
  }
}

/**
 * Write `data` to `destination` atomically: temporary sibling, write, fsync, rename, fsync of the
 * directory. Creates missing parent directories ({@link makeDirectory}, which cannot loop). On failure the temporary file is removed and the old
 * destination (if any) is untouched.
 *
 * @param destination - the file to create or replace.
 * @param data - bytes, or a string written as UTF-8.
 *
 * @example
 * ```ts
 * writeFileAtomic('runs/a/metrics.json', JSON.stringify({ epoch: 3 }));
 * ```
 */
export function writeFileAtomic(destination: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  makeDirectory(dirname(destination));
  const temporaryPath = temporarySiblingPath(destination);
  try {
    const fd = openSync(temporaryPath, 'wx', 0o644);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameIntoPlace(temporaryPath, destination);
  } catch (error) {
    removeQuietly(temporaryPath);
    throw error;
  }
}
