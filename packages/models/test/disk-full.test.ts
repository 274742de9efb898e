/**
 * Issue 11, defect 2, the failures a test cannot cause for real on any machine: a full disk at the
 * epoch-1 write (ENOSPC) and a directory this user may not write (EACCES; CI runs as root, who may
 * write anywhere). `node:fs` is stubbed so that chosen writes fail exactly as the kernel would say.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runTrainCommand } from '../src/cli/train-command.js';
import { readSafetensors } from '../src/io/safetensors-file.js';
import { makeTempDir } from './helpers/idx-fixtures.js';
import { hashDirectory, STACK_LINE } from './helpers/run-cli.js';
import { collectOutput } from './helpers/collect-output.js';

/** Which calls fail: set by each test, cleared after it. */
const faults = vi.hoisted(() => ({
  /** Return an error code to make `write` on a file opened at this path fail. */
  write: null as ((path: string) => string | null) | null,
  /** Return an error code to make `open` of this path fail. */
  open: null as ((path: string) => string | null) | null,
  /** Called just before a fault is raised (to fingerprint the directory at that moment). */
  onFault: null as (() => void) | null,
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const pathOfFd = new Map<number, string>();
  const fail = (code: string, syscall: string, path: string): never => {
    faults.onFault?.();
    const error: NodeJS.ErrnoException = new Error(`${code}: stubbed failure, ${syscall} '${path}'`);
    error.code = code;
    error.syscall = syscall;
    error.path = path;
    throw error;
  };
  const openSync = (...args: Parameters<typeof actual.openSync>): number => {
    const path = String(args[0]);
    const code = faults.open?.(path) ?? null;
    if (code !== null) fail(code, 'open', path);
    const fd = actual.openSync(...args);
    pathOfFd.set(fd, path);
    return fd;
  };
  const writeSync = (fd: number, ...rest: unknown[]): number => {
    const path = pathOfFd.get(fd) ?? '';
    const code = faults.write?.(path) ?? null;
    if (code !== null) fail(code, 'write', path);
    const written: unknown = Reflect.apply(actual.writeSync, undefined, [fd, ...rest]);
    return Number(written);
  };
  return { ...actual, default: { ...actual, openSync, writeSync }, openSync, writeSync };
});

const temp = makeTempDir('lenet-disk-full-');
afterAll(() => temp.remove());
afterEach(() => {
  faults.write = null;
  faults.open = null;
  faults.onFault = null;
});

const TINY = ['--backend', 'cpu', '--limit', '16', '--batch-size', '8', '--test-limit', '8'];

describe('a full disk at the epoch-1 write', () => {
  it('exits 2, says epoch 0 is kept and how to go on; the run directory is as it was; --resume then works', async () => {
    const out = join(temp.dir, 'full');
    let checkpointWrites = 0;
    let atFault = '';
    const isCheckpointDraft = (path: string) => /\.model\.safetensors\.\d+-[0-9a-f]+\.tmp$/.test(path);
    faults.open = (path) => {
      // The run directory as epoch 0 left it, just before epoch 1's checkpoint is started.
      if (isCheckpointDraft(path) && ++checkpointWrites === 2) atFault = hashDirectory(out);
      return null;
    };
    faults.write = (path) => (isCheckpointDraft(path) && checkpointWrites === 2 ? 'ENOSPC' : null);
    const output = collectOutput();
    const code = await runTrainCommand([...TINY, '--epochs', '2', '--out', out], { io: output.io });
    expect(code).toBe(2);
    const checkpoint = join(out, 'model.safetensors');
    expect(output.stderr()).toContain(
      `train: cannot save epoch 1 in ${out}: no space left on the device (ENOSPC). Epoch 0 is saved in ${checkpoint}. ` +
        `Free space (or fix the permissions) and run with --out ${out} --resume.`,
    );
    expect(output.stderr()).not.toMatch(STACK_LINE);
    expect(hashDirectory(out)).toBe(atFault); // no temporary file, nothing half-written, the lock released
    expect(readSafetensors(checkpoint).metadata.epoch).toBe('0');

    faults.write = null;
    const resumed = collectOutput();
    expect(await runTrainCommand([...TINY, '--epochs', '2', '--out', out, '--resume'], { io: resumed.io })).toBe(0);
    expect(readSafetensors(checkpoint).metadata.epoch).toBe('2');
  });
});

describe('a directory this user may not write (EACCES)', () => {
  it('is found before training, named, with what to do; nothing in it changes', async () => {
    const out = join(temp.dir, 'read-only');
    mkdirSync(out);
    const before = hashDirectory(out);
    faults.open = (path) => (path.startsWith(`${out}/`) ? 'EACCES' : null);
    const output = collectOutput();
    expect(await runTrainCommand([...TINY, '--epochs', '1', '--out', out], { io: output.io })).toBe(2);
    expect(output.stderr()).toContain(
      `train: cannot write in the run directory ${out}: permission denied (EACCES). Choose another --out, a directory this user can write.`,
    );
    expect(output.stdout()).not.toContain('steps per epoch');
    expect(hashDirectory(out)).toBe(before);
  });
});
