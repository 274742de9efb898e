/**
 * Issue 20, signals: SIGTERM (`docker stop`, systemd, a CI runner's cancel) gets the same orderly
 * stop as Ctrl-C. Tested on the built CLI as the Ctrl-C tests are: the run directory is hashed once
 * epoch 1 is saved, SIGTERM lands in the middle of epoch 2, and afterwards the directory is unchanged
 * (the checkpoint of epoch 1 kept, nothing half-written, the lock released), the run says what was
 * kept and how to resume, exits 143, and `--resume` ends with the metrics and bit-identical weights
 * of an uninterrupted run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../src/io/safetensors-file.js';
import type { EpochMetrics } from '../src/training/epoch-metrics.js';
import { makeTempDir } from './helpers/idx-fixtures.js';
import { hashDirectory, runCli, startCli } from './helpers/run-cli.js';

const temp = makeTempDir('lenet-signals-');
afterAll(() => temp.remove());

/** 4 steps of 16 examples per epoch on the CPU backend: a step lasts long enough to land a signal in. */
const RUN = ['--backend', 'cpu', '--limit', '64', '--batch-size', '16', '--test-limit', '16', '--seed', '5', '--epochs', '2'];

/** The figures of metrics.jsonl that do not depend on timing. */
function deterministicMetrics(dir: string) {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as EpochMetrics)
    .map(({ epoch, trainLoss, trainAcc, testAcc, examples, steps }) => ({ epoch, trainLoss, trainAcc, testAcc, examples, steps }));
}

describe('SIGTERM', () => {
  it('stops train after the current step, keeps the last checkpoint, releases the lock, says how to resume and exits 143; the resume equals an uninterrupted run', async () => {
    const out = join(temp.dir, 'terminated');
    const run = startCli('train', [...RUN, '--out', out]);
    await run.printed(/epoch 1\/2 {2}loss/); // epoch 1 is saved (the line follows the checkpoint)
    const before = hashDirectory(out);
    expect(existsSync(join(out, '.lock'))).toBe(true);
    run.child.kill('SIGTERM'); // on a loaded machine it can land before epoch 2's first step ends: the stop then follows 0 steps
    const ended = await run.exited;
    expect(ended.code, run.stderr()).toBe(143);
    expect(ended.signal).toBeNull();
    expect(run.stderr()).toContain('train: SIGTERM: stopping after this step…');
    expect(run.stderr()).toMatch(
      new RegExp(
        `train: stopped by SIGTERM in epoch 2 after [0-3] steps; the checkpoint of epoch 1 is in ${join(out, 'model.safetensors')}\\. Continue with --out ${out} --resume`,
      ),
    );
    expect(run.stdout()).not.toContain('epoch 2/2  loss');
    expect(hashDirectory(out)).toBe(before);
    expect(existsSync(join(out, '.lock'))).toBe(false);
    expect(readSafetensors(join(out, 'model.safetensors')).metadata.epoch).toBe('1');

    const straight = join(temp.dir, 'straight');
    const [resumed, uninterrupted] = await Promise.all([
      runCli('train', [...RUN, '--out', out, '--resume']),
      runCli('train', [...RUN, '--out', straight]),
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('resuming at epoch 2');
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    expect(deterministicMetrics(out)).toEqual(deterministicMetrics(straight));
    expect(deterministicMetrics(out).map((epoch) => epoch.epoch)).toEqual([1, 2]);
    const a = readSafetensors(join(straight, 'model.safetensors'));
    const b = readSafetensors(join(out, 'model.safetensors'));
    expect(b.metadata.epoch).toBe('2');
    expect([...b.tensors.keys()]).toEqual([...a.tensors.keys()]);
    for (const [name, tensor] of a.tensors) expect(b.tensors.get(name)?.data, name).toEqual(tensor.data);
  });
});
