/**
 * The exit codes of the CLIs, and which errors lead to which.
 * @module
 */
import { nn } from '@lenet/core';
import { DataFileError } from '../data/data-file-error.js';
import { FileSystemError } from '../io/file-system-error.js';
import { OutputRefusedError } from '../io/output-file.js';
import { SafetensorsError } from '../io/safetensors.js';
import { UnknownModelError } from '../models/registry.js';
import { CheckpointError } from '../training/checkpoint-metadata.js';
import { RunDirectoryBusyError } from '../training/run-directory.js';
import { TrainingSetupError } from '../training/run-store.js';
import { UsageError } from './usage-error.js';

/** The exit codes. */
export const EXIT = Object.freeze({
  /** Done. */
  ok: 0,
  /** A bug or an environment failure nobody foresaw (the stack trace is printed). */
  unexpected: 1,
  /**
   * Bad input: unknown option or model, a value out of range, missing or corrupt data, an unreadable
   * checkpoint, a path that cannot be written (full disk, permissions), a run directory in use.
   */
  badInput: 2,
  /** The training loss became NaN or infinite (try a smaller learning rate). */
  diverged: 3,
  /** Interrupted by Ctrl-C (128 + SIGINT's number 2, as shells report it). */
  interrupted: 130,
  /**
   * Stopped by SIGTERM (`docker stop`, systemd, a CI runner's cancel) after the same orderly stop as
   * Ctrl-C: 128 + SIGTERM's number 15, as shells report it.
   */
  terminated: 143,
});

/**
 * Whether `error` is one of the foreseen "bad input" errors (exit code 2): its message is enough,
 * no stack trace.
 */
export function isBadInputError(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    error instanceof UnknownModelError ||
    error instanceof DataFileError ||
    error instanceof SafetensorsError ||
    error instanceof CheckpointError ||
    error instanceof nn.StateDictMismatchError ||
    error instanceof TrainingSetupError ||
    error instanceof FileSystemError ||
    error instanceof OutputRefusedError ||
    error instanceof RunDirectoryBusyError ||
    (error instanceof Error && error.name === 'GpuModeUnavailableError')
  );
}
