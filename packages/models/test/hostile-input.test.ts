/**
 * Issue 11, "Hostile input": each defect reproduced with the built CLIs as a user would meet it, and
 * its outcome checked: a message naming the path and what to do, exit code 2 (130 for Ctrl-C),
 * nothing lost (the run directory hashed before and after) and no stack trace unless asked for.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDX_FILE_NAMES } from '../src/data/idx-file-names.js';
import { readSafetensors } from '../src/io/safetensors-file.js';
import { makeTempDir, writeTinyIdxDirectory } from './helpers/idx-fixtures.js';
import { hashDirectory, QUICK, runCli, STACK_LINE, startCli } from './helpers/run-cli.js';

const temp = makeTempDir('lenet-hostile-');
afterAll(() => temp.remove());
let serial = 0;
const fresh = (name = 'run'): string => join(temp.dir, `${name}-${serial++}`);

/** A finished one-epoch run to resume, evaluate and hash. */
let finished: string;
beforeAll(async () => {
  finished = fresh('finished');
  const result = await runCli('train', [...QUICK, '--epochs', '1', '--out', finished]);
  expect(result.code, result.stderr).toBe(0);
});

describe('1. an output or cache path under /proc', () => {
  it('train --out /proc/nope exits 2 at once instead of spinning', async () => {
    const result = await runCli('train', [...QUICK, '--epochs', '1', '--out', '/proc/nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'train: cannot create the run directory /proc/nope: it does not exist, or a directory on the way cannot hold files (ENOENT). Choose another --out',
    );
    expect(result.ms).toBeLessThan(20_000);
  });

  it('LENET_CACHE_DIR=/proc/nope with --dataset mnist exits 2, naming the cache', async () => {
    const result = await runCli('train', [...QUICK, '--epochs', '1', '--dataset', 'mnist', '--out', fresh()], {
      LENET_CACHE_DIR: '/proc/nope',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot create the download cache /proc/nope/mnist');
    expect(result.stderr).toContain('Set LENET_CACHE_DIR to a directory this user can write');
  });
});

describe('2. file-system and environment errors: which path, what is wrong, what to do; exit 2, no stack trace', () => {
  it.each([
    [
      'an existing file',
      () => {
        const file = fresh('file');
        writeFileSync(file, 'mine');
        return file;
      },
      /cannot create the run directory .*file-\d+: it exists and is not a directory \(EEXIST\)/,
    ],
    ['/sys/nope', () => '/sys/nope', /cannot create the run directory \/sys\/nope: .*\((EPERM|EACCES|EROFS)\)/],
    ['/dev/null/x', () => '/dev/null/x', /cannot create the run directory \/dev\/null\/x: \/dev\/null: it exists and is not a directory/],
  ])('train --out %s', async (_, out, message) => {
    const path = out();
    const before = existsSync(path) ? readFileSync(path, 'utf8') : null;
    const result = await runCli('train', [...QUICK, '--epochs', '1', '--out', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Choose another --out');
    expect(result.stderr).not.toMatch(STACK_LINE);
    if (before !== null) expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('--verbose (or DEBUG) adds the stack trace', async () => {
    const verbose = await runCli('train', [...QUICK, '--epochs', '1', '--out', '/dev/null/x', '--verbose']);
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(STACK_LINE);
    const debug = await runCli('train', [...QUICK, '--epochs', '1', '--out', '/dev/null/x'], { DEBUG: '1' });
    expect(debug.stderr).toMatch(STACK_LINE);
  });

  it('evaluate --misclassified <a directory> is refused before evaluating', async () => {
    const dir = fresh('pictures');
    mkdirSync(dir);
    const result = await runCli('evaluate', [
      '--backend',
      'cpu',
      '--checkpoint',
      join(finished, 'model.safetensors'),
      '--misclassified',
      dir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`evaluate: cannot write the misclassified examples to ${dir}: it is a directory`);
    expect(result.stderr).toContain('Give --misclassified a new file name');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('LENET_MNIST_BASE_URL=notaurl', async () => {
    const result = await runCli('train', [...QUICK, '--epochs', '1', '--dataset', 'mnist', '--out', fresh()], {
      LENET_CACHE_DIR: fresh('cache'),
      LENET_MNIST_BASE_URL: 'notaurl',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('notaurl: LENET_MNIST_BASE_URL is not an http:// or https:// URL; set it to a mirror');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});

describe('3. a data set with zero images', () => {
  it.each([
    ['training', { train: 0, test: 8 }, IDX_FILE_NAMES.trainImages],
    ['test', { train: 8, test: 0 }, IDX_FILE_NAMES.testImages],
  ])('is rejected at load time when the %s split is empty, naming the file, and leaves no run directory', async (_, counts, file) => {
    const data = fresh('empty-data');
    writeTinyIdxDirectory(data, counts);
    const out = fresh();
    const result = await runCli('train', [...QUICK, '--epochs', '1', '--dataset', 'mnist', '--data-dir', data, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(data, file)}: holds 0 images`);
    expect(result.stdout).not.toContain('epoch 1/1');
    expect(existsSync(out)).toBe(false);
  });
});

describe('4. evaluate --misclassified never replaces what is not a regular file', () => {
  const evaluate = (path: string) =>
    runCli('evaluate', ['--backend', 'cpu', '--checkpoint', join(finished, 'model.safetensors'), '--misclassified', path]);

  it('a symbolic link to a regular file stays a link; the file it points to gets the picture', async () => {
    const target = fresh('target.png');
    writeFileSync(target, 'old');
    const link = fresh('link.png');
    symlinkSync(target, link);
    const result = await evaluate(link);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a symbolic link to a character device (/dev/null) stays a link and is written through', async () => {
    const link = fresh('null.png');
    symlinkSync('/dev/null', link);
    const result = await evaluate(link);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a FIFO stays a FIFO: written through to its reader, or refused with exit 2 when nobody reads it', async () => {
    const fifo = fresh('pipe.png');
    execFileSync('mkfifo', [fifo]);
    const unread = await evaluate(fifo);
    expect(unread.code).toBe(2);
    expect(unread.stderr).toContain(`cannot write the misclassified examples to ${fifo}: no process is reading it (ENXIO)`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);

    const reader = spawn('cat', [fifo]);
    const received: Buffer[] = [];
    reader.stdout.on('data', (chunk: Buffer) => received.push(chunk));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300)); // let cat open the FIFO
    const read = await evaluate(fifo);
    await readerDone;
    expect(read.code, read.stderr).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(Buffer.concat(received).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('5. two processes on one --out', () => {
  it('a second train on a directory in use says who holds it and exits 2; the first run is not replaced', async () => {
    const out = fresh();
    const first = startCli('train', [...QUICK, '--epochs', '1000', '--out', out]);
    await first.printed('epoch 1/1000');
    const resumeWithOtherLr = await runCli('train', [...QUICK, '--epochs', '1000', '--out', out, '--resume', '--lr', '0.1']);
    const plain = await runCli('train', [...QUICK, '--epochs', '2', '--out', out]);
    first.child.kill('SIGINT');
    const ended = await first.exited;
    expect(ended.code).toBe(130);
    for (const second of [resumeWithOtherLr, plain]) {
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`${out} is in use by process \\d+ on .* wait for it to finish or choose another --out`));
      expect(second.stdout).not.toContain('wrote');
    }
    expect(readSafetensors(join(out, 'model.safetensors')).metadata.lr).toBe('0.9');
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });

  it('of two identical runs started together exactly one trains; the other exits 2', async () => {
    const out = fresh();
    const results = await Promise.all([0, 1].map(() => runCli('train', [...QUICK, '--epochs', '1', '--out', out])));
    expect(results.map((result) => result.code).sort()).toEqual([0, 2]);
    const loser = results.find((result) => result.code === 2);
    expect(loser?.stderr).toMatch(/is in use by process \d+|already holds a run/);
  });

  it('a lock left by a killed process is recognised as stale, and its temporary files are swept', async () => {
    const out = fresh();
    copyRun(finished, out);
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) => dead.on('close', () => resolve(dead.pid ?? 0)));
    writeFileSync(
      join(out, '.lock'),
      JSON.stringify({ pid: deadPid, host: hostname(), started: '2026-01-01T00:00:00.000Z', command: 'train (killed)' }),
    );
    const leftover = `.model.safetensors.${deadPid}-0123abcd.tmp`;
    writeFileSync(join(out, leftover), 'half a checkpoint');
    const result = await runCli('train', [...QUICK, '--epochs', '2', '--out', out, '--resume']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`.lock was left by process ${deadPid}, which is gone; taking the directory over`);
    expect(result.stderr).toContain(`removed 1 temporary file(s) left by a killed run: ${leftover}`);
    expect(existsSync(join(out, leftover))).toBe(false);
    expect(existsSync(join(out, '.lock'))).toBe(false);
    expect(readSafetensors(join(out, 'model.safetensors')).metadata.epoch).toBe('2');
  });
});

describe('6. Ctrl-C is answered during long synchronous work', () => {
  it('during the end-of-epoch evaluation: the message at once, exit 130 within seconds, the checkpoint kept', async () => {
    const out = fresh();
    const run = startCli('train', [
      '--backend',
      'cpu',
      '--limit',
      '64',
      '--batch-size',
      '64',
      '--test-limit',
      '5000',
      '--epochs',
      '3',
      '--out',
      out,
    ]);
    await run.printed('epoch 1: evaluating on 5,000 test examples'); // about 70 s of synchronous work on the CPU backend
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = hashDirectory(out);
    const sent = Date.now();
    run.child.kill('SIGINT');
    await run.printed('stopping after this step');
    const answered = Date.now() - sent;
    const ended = await run.exited;
    expect(answered).toBeLessThan(2000); // it used to take the whole evaluation, 66–70 s
    expect(ended.code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(15_000);
    expect(run.stderr()).toContain(
      `interrupted in epoch 1 during the evaluation after its 1 steps; the checkpoint of epoch 0 is in ${join(out, 'model.safetensors')}`,
    );
    expect(hashDirectory(out)).toBe(before);
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });

  it('a second Ctrl-C in the middle of a long step quits at once with 130; the checkpoint is whole and resumable', async () => {
    const out = fresh();
    const run = startCli('train', [
      '--backend',
      'cpu',
      '--limit',
      '512',
      '--batch-size',
      '512',
      '--test-limit',
      '64',
      '--epochs',
      '2',
      '--out',
      out,
    ]);
    await run.printed('steps per epoch'); // epoch 0 is saved; the first 512-example step runs for many seconds
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = hashDirectory(out);
    const sent = Date.now();
    run.child.kill('SIGINT');
    await run.printed('stopping after this step');
    run.child.kill('SIGINT');
    const ended = await run.exited;
    expect(ended.code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(5000); // it used to wait for the 512-example step to end
    expect(run.stderr()).toContain('quitting at once');
    expect(hashDirectory(out)).toBe(before);
    expect(readSafetensors(join(out, 'model.safetensors')).metadata.epoch).toBe('0');
  });
});

function copyRun(from: string, to: string): void {
  mkdirSync(to);
  for (const name of ['model.safetensors', 'metrics.jsonl', 'curves.svg']) copyFileSync(join(from, name), join(to, name));
}
