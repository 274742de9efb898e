/**
 * The run directory (`--out`): the files a training run writes, and who owns the directory.
 *
 * The run store (`run-store.ts`) is the one module that opens a run directory, through this one.
 * {@link openRunDirectory} makes it (in a way that cannot loop, see `makeDirectory`), proves it can
 * be written by taking the lock before any training starts, recognises a lock left by a killed
 * process, and sweeps the temporary files such a process left; {@link RunDirectory.release} gives it
 * back.
 *
 * The lock is a file, `.lock`, holding the owner's pid, host, start time and command line. It is
 * created complete or not at all (written to a temporary file, then hard-linked to `.lock`, which
 * fails if the lock exists), so a reader never sees half a lock. A lock whose pid is no longer a
 * process on this host is stale: it is moved aside atomically (only one of two racing processes can
 * move it), checked again, and removed. The lock is removed on release and on process exit; a
 * SIGKILL leaves it behind, and the next start recognises it as stale.
 *
 * Hand-written rather than taken from `proper-lockfile`: that library locks with a directory and an
 * mtime heartbeat, so it cannot say which process holds the run, and a second Ctrl-C or a SIGKILL
 * would leave a lock that looks fresh until its timeout.
 * @module
 */
import { linkSync, readdirSync, readFileSync, renameSync, rmdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { removeQuietly, temporarySiblingPath, writeFileAtomic } from '../io/atomic-write.js';
import { describeSystemError, FileSystemError, isSystemError } from '../io/file-system-error.js';
import { hasErrorCode, makeDirectory } from '../io/make-directory.js';
import { writeOutputFile } from '../io/output-file.js';
import { formatMetricsJsonl, type EpochMetrics } from './epoch-metrics.js';
import { renderTrainingCurvesSvg } from '../plots/curves-svg.js';

/** The paths of a run's files. */
export interface RunPaths {
  /** The run directory. */
  readonly dir: string;
  /** `model.safetensors`: the weights (PyTorch state_dict names) and the run's metadata; the checkpoint. */
  readonly checkpoint: string;
  /**
   * `optimizer-<epoch>.safetensors`: the SGD momentum buffers after `epoch` completed epochs, only
   * when momentum > 0. Stamped with the epoch in its name so that the state of epoch e can be written
   * before the model checkpoint of epoch e while the one of e − 1 is still on disk (see `RunStore.save`).
   */
  readonly optimizer: (epoch: number) => string;
  /** `metrics.jsonl`: one line per epoch. */
  readonly metrics: string;
  /** `curves.svg`: train loss, train acc and test acc against epochs. */
  readonly curves: string;
  /** `.lock`: the owner's pid while a command trains in this directory. */
  readonly lock: string;
}

/** The files of the run in `dir`. */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    checkpoint: join(dir, 'model.safetensors'),
    optimizer: (epoch) => join(dir, `optimizer-${epoch}.safetensors`),
    metrics: join(dir, 'metrics.jsonl'),
    curves: join(dir, 'curves.svg'),
    lock: join(dir, '.lock'),
  };
}

/** Rewrites `metrics.jsonl` and `curves.svg` from the history, each atomically. */
export function writeRunRecords(paths: RunPaths, history: readonly EpochMetrics[], totalEpochs: number): void {
  writeOutputFile(paths.metrics, formatMetricsJsonl(history));
  writeOutputFile(paths.curves, renderTrainingCurvesSvg(history, totalEpochs));
}

/** Who holds a run directory: the contents of its lock file. */
export interface LockOwner {
  /** The owner's process id. */
  readonly pid: number;
  /** The host it runs on (a pid means nothing on another host). */
  readonly host: string;
  /** When it took the lock (ISO 8601). */
  readonly started: string;
  /** Its command line. */
  readonly command: string;
}

/** Another live process holds the run directory (or took it over): exit code 2. */
export class RunDirectoryBusyError extends Error {
  /** The holder, as its lock file says. */
  readonly owner: LockOwner | null;

  /** @param message who holds it and what to do; @param owner the holder */
  constructor(message: string, owner: LockOwner | null) {
    super(message);
    this.name = 'RunDirectoryBusyError';
    this.owner = owner;
  }
}

/** A run directory this process holds. */
export interface RunDirectory {
  /** Its files. */
  readonly paths: RunPaths;
  /** The owner of a stale lock that was removed on opening (a killed run), or null. */
  readonly staleOwner: LockOwner | null;
  /** Temporary files of killed writers that were removed on opening. */
  readonly sweptFiles: readonly string[];
  /** @throws RunDirectoryBusyError unless this process still holds the lock (call before writing). */
  assertOwned(): void;
  /**
   * Removes the lock. When this process made the directory and nothing was written into it (the run
   * failed before its first checkpoint), the directory is removed too, so a failed start leaves
   * nothing behind. Safe to call twice.
   */
  release(): void;
}

/** `.model.safetensors.<pid>-<8 hex>.tmp`, the temporary files of `temporarySiblingPath`. */
const TEMPORARY_FILE = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

/** Whether process `pid` exists on this host (EPERM: it exists but belongs to another user). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrorCode(error, 'EPERM');
  }
}

function isLockOwner(value: unknown): value is LockOwner {
  if (typeof value !== 'object' || value === null) return false;
  const record: Record<string, unknown> = { ...value };
  return (
    Number.isSafeInteger(record.pid) &&
    typeof record.host === 'string' &&
    typeof record.started === 'string' &&
    typeof record.command === 'string'
  );
}

/** The lock's contents, or null when it is gone or unreadable (written by something else). */
function readLockOwner(path: string): LockOwner | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isLockOwner(value) ? value : null;
  } catch {
    return null;
  }
}

/** The locks this process holds (one process may train in several directories, as tests do). */
const HELD_HERE = new Set<string>();

/**
 * Whether the lock's owner is certainly gone: its pid is not a process on this host, or it is this
 * process's pid (reused after a restart, in a container) for a lock this process does not hold.
 */
function isStale(owner: LockOwner | null, lock: string): boolean {
  if (owner === null) return true;
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !HELD_HERE.has(resolve(lock));
  return !isProcessAlive(owner.pid);
}

function describeOwner(owner: LockOwner): string {
  return `process ${owner.pid} on ${owner.host} (since ${owner.started}: ${owner.command})`;
}

function busyError(dir: string, lock: string, owner: LockOwner | null): RunDirectoryBusyError {
  const who = owner === null ? 'another process' : describeOwner(owner);
  return new RunDirectoryBusyError(
    `${dir} is in use by ${who}; wait for it to finish or choose another --out. ` + `If no such run is going on, delete ${lock}`,
    owner,
  );
}

/** A failure to make or write `dir`, naming the level of the path that failed when it is a parent of `dir`. */
function writeFailure(dir: string, action: string, error: unknown): FileSystemError {
  const failed = isSystemError(error) ? error.path : undefined;
  const level = failed !== undefined && resolve(dir).startsWith(`${resolve(failed)}${sep}`) ? failed : undefined;
  return new FileSystemError({
    path: dir,
    action,
    problem: level === undefined ? error : `${level}: ${describeSystemError(error)}`,
    advice: 'choose another --out, a directory this user can write',
  });
}

/**
 * Takes the lock: links a complete lock file into place; if one is there and stale, moves it aside,
 * makes sure it was the stale one (not a lock another process has just taken), removes it and tries
 * again.
 */
function takeLock(paths: RunPaths, me: LockOwner): LockOwner | null {
  const draft = temporarySiblingPath(paths.lock);
  writeFileAtomic(draft, `${JSON.stringify(me)}\n`);
  let staleOwner: LockOwner | null = null;
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(draft, paths.lock);
        return staleOwner;
      } catch (error) {
        if (!hasErrorCode(error, 'EEXIST')) throw error;
      }
      const owner = readLockOwner(paths.lock);
      if (!isStale(owner, paths.lock)) throw busyError(paths.dir, paths.lock, owner);
      const aside = temporarySiblingPath(`${paths.lock}-stale`);
      try {
        renameSync(paths.lock, aside);
      } catch (error) {
        if (hasErrorCode(error, 'ENOENT')) continue; // another process moved it first
        throw error;
      }
      const moved = readLockOwner(aside);
      if (!isStale(moved, paths.lock)) {
        // A live lock taken between our read and our move: put it back and give way.
        try {
          linkSync(aside, paths.lock);
        } finally {
          removeQuietly(aside);
        }
        throw busyError(paths.dir, paths.lock, moved);
      }
      removeQuietly(aside);
      staleOwner = moved ?? owner;
    }
    throw busyError(paths.dir, paths.lock, readLockOwner(paths.lock));
  } finally {
    removeQuietly(draft);
  }
}

/** Removes the temporary files left by writers that are no longer running. */
function sweepTemporaryFiles(dir: string): string[] {
  const swept: string[] = [];
  for (const name of readdirSync(dir)) {
    const match = TEMPORARY_FILE.exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isProcessAlive(pid)) continue;
    removeQuietly(join(dir, name));
    swept.push(name);
  }
  return swept;
}

/**
 * Opens `dir` as this process's run directory: creates it (and its parents), takes the lock — which
 * is also the check that the directory can be written, before any training — and sweeps the
 * temporary files of killed runs.
 *
 * @throws FileSystemError when the directory cannot be made or written (which path, why, what to
 *   do); RunDirectoryBusyError when a live process holds it.
 *
 * @example
 * ```ts
 * const run = openRunDirectory('runs/a');
 * try { … run.assertOwned(); writeCheckpoint(run.paths.checkpoint, …); … } finally { run.release(); }
 * ```
 */
export function openRunDirectory(dir: string): RunDirectory {
  const paths = runPaths(dir);
  let created: string[];
  try {
    created = makeDirectory(dir);
  } catch (error) {
    throw writeFailure(dir, 'cannot create the run directory', error);
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command: process.argv.join(' ') };
  let staleOwner: LockOwner | null;
  try {
    staleOwner = takeLock(paths, me);
  } catch (error) {
    removeCreated(created);
    if (error instanceof RunDirectoryBusyError) throw error;
    throw writeFailure(dir, 'cannot write in the run directory', error);
  }
  HELD_HERE.add(resolve(paths.lock));
  const sweptFiles = sweepTemporaryFiles(dir);
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    HELD_HERE.delete(resolve(paths.lock));
    if (readLockOwner(paths.lock)?.pid === me.pid) removeQuietly(paths.lock);
    removeCreated(created);
  };
  process.on('exit', release);
  return {
    paths,
    staleOwner,
    sweptFiles,
    assertOwned: () => {
      const owner = readLockOwner(paths.lock);
      if (owner?.pid !== me.pid || owner.started !== me.started) {
        throw new RunDirectoryBusyError(
          `${dir}: this run no longer holds ${paths.lock} (${owner === null ? 'it was removed' : `now ${describeOwner(owner)}`}); stopping without writing`,
          owner,
        );
      }
    },
    release,
  };
}

/** Removes the directories this process made, innermost first, as long as they are empty. */
function removeCreated(created: readonly string[]): void {
  for (const directory of [...created].reverse()) {
    try {
      rmdirSync(directory);
    } catch {
      return; // not empty (a run was written) or already gone
    }
  }
}
