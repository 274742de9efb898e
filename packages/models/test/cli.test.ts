import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readSafetensors } from '../src/io/safetensors-file.js';
import { describe, expect, it } from 'vitest';
import { runEvaluateCommand } from '../src/cli/evaluate-command.js';
import { runSummaryCommand } from '../src/cli/summary-command.js';
import { DEFAULT_FASHION_MNIST_DIR } from '../src/data/fashion-mnist.js';
import { IDX_FILE_NAMES } from '../src/data/idx-file-names.js';
import { collectOutput, trainInProcess } from './helpers/collect-output.js';

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'lenet-cli-'));
}

describe('train: bad input exits with code 2 and says what is wrong', () => {
  it.each([
    [['--epoch', '3'], /unknown option '--epoch' \(Did you mean --epochs\?\)/],
    [['--model', 'lenet6'], /--model must be one of lenet5, lenet5-modern, lenet5-classic; got 'lenet6'/],
    [['--lr', '0'], /--lr must be a number > 0, got 0/],
    [['--lr', '-0.5'], /--lr must be a number > 0, got -0.5/],
    [['--batch-size', '0'], /--batch-size must be .*≥ 1.*got 0/],
    [['--backend', 'tpu'], /--backend must be one of cpu, gpu; got 'tpu'/],
  ])('%j', async (argv, message) => {
    const result = await trainInProcess(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('--help lists the options');
  });

  it('missing data: names the directory and the files it must hold', async () => {
    const missing = join(scratch(), 'nowhere');
    const result = await trainInProcess(['--backend', 'cpu', '--data-dir', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${missing}: data directory not found`);
    expect(result.stderr).toContain('train-images-idx3-ubyte.gz');
  });

  it('corrupt data: a label file with the images’ magic number', async () => {
    const dir = scratch();
    for (const name of Object.values(IDX_FILE_NAMES)) copyFileSync(join(DEFAULT_FASHION_MNIST_DIR, name), join(dir, name));
    writeFileSync(join(dir, IDX_FILE_NAMES.testLabels), gzipSync(Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7)));
    const result = await trainInProcess(['--backend', 'cpu', '--data-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/t10k-labels-idx1-ubyte\.gz: wrong IDX magic number 0x00000803, expected 0x00000801/);
  });

  it('--resume with nothing to resume', async () => {
    const out = join(scratch(), 'run');
    const result = await trainInProcess(['--backend', 'cpu', '--limit', '8', '--out', out, '--resume']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`nothing to resume: ${join(out, 'model.safetensors')} does not exist`);
  });

  it('--resume from a checkpoint that is not a safetensors file', async () => {
    const out = join(scratch(), 'run');
    mkdirSync(out);
    writeFileSync(join(out, 'model.safetensors'), 'not a checkpoint at all');
    const result = await trainInProcess(['--backend', 'cpu', '--limit', '8', '--out', out, '--resume']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model\.safetensors: unreadable checkpoint/);
  });

  it('--help prints the options and exits with 0', async () => {
    const result = await trainInProcess(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--gpu-mode auto\|webgpu\|headlessgl\|webgl2\|webgl\|webasm\|cpu/);
    expect(result.stdout).toMatch(/--lr <number>.*0\.9 for lenet5 as d2l, 0\.1 for lenet5-modern, 0\.001 for lenet5-classic/);
  });
});

describe('--dataset mnist --data-dir', () => {
  it('trains on IDX files in the MNIST layout from a directory, and records the data set in the checkpoint', async () => {
    const out = join(scratch(), 'run');
    const result = await trainInProcess([
      '--backend',
      'cpu',
      '--dataset',
      'mnist',
      '--data-dir',
      DEFAULT_FASHION_MNIST_DIR,
      '--limit',
      '8',
      '--batch-size',
      '8',
      '--test-limit',
      '8',
      '--epochs',
      '1',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('train lenet5 on mnist: 8 training and 8 test examples');
    expect(readSafetensors(join(out, 'model.safetensors')).metadata.dataset).toBe('mnist');
  });
});

describe('evaluate and summary: bad input exits with code 2', () => {
  it('evaluate without --checkpoint, with a missing one and with an unreadable one', async () => {
    const none = collectOutput();
    expect(await runEvaluateCommand([], { io: none.io })).toBe(2);
    expect(none.stderr()).toMatch(/--checkpoint/);
    const missing = collectOutput();
    expect(await runEvaluateCommand(['--checkpoint', join(scratch(), 'gone.safetensors')], { io: missing.io })).toBe(2);
    expect(missing.stderr()).toMatch(/gone\.safetensors: checkpoint not found/);
    const truncated = join(scratch(), 'cut.safetensors');
    writeFileSync(truncated, Uint8Array.of(200, 0, 0, 0, 0, 0, 0, 0, 123));
    const unreadable = collectOutput();
    expect(await runEvaluateCommand(['--checkpoint', truncated], { io: unreadable.io })).toBe(2);
    expect(unreadable.stderr()).toMatch(/cut\.safetensors: unreadable checkpoint/);
  });

  it('summary --model with an unknown name', async () => {
    const output = collectOutput();
    expect(await runSummaryCommand(['--model', 'alexnet'], { io: output.io })).toBe(2);
    expect(output.stderr()).toMatch(/--model must be one of lenet5, lenet5-modern, lenet5-classic; got 'alexnet'/);
  });
});

describe('the built executables', () => {
  it('dist/cli/train.js exits with 2 and a message for an unknown option; summary.js prints the table', () => {
    const bad = spawnSync(process.execPath, [join(PACKAGE_DIR, 'dist/cli/train.js'), '--learning-rate', '0.1'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown option '--learning-rate'/);
    const summary = spawnSync(process.execPath, [join(PACKAGE_DIR, 'dist/cli/summary.js'), '--model', 'lenet5'], { encoding: 'utf8' });
    expect(summary.status).toBe(0);
    expect(summary.stdout).toMatch(/total\s+61,706/);
    expect(summary.stdout).toContain('Conv2d output shape:\t[1, 6, 28, 28]');
  });
});

describe('Ctrl-C', () => {
  it('stops the built train CLI before the next step, keeps the last epoch’s checkpoint and exits with 130', async () => {
    const out = join(scratch(), 'run');
    const child = spawn(process.execPath, [
      join(PACKAGE_DIR, 'dist/cli/train.js'),
      '--backend',
      'cpu',
      '--limit',
      '16',
      '--batch-size',
      '8',
      '--test-limit',
      '8',
      '--epochs',
      '1000',
      '--out',
      out,
    ]);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000); // never leave a 1000-epoch run behind
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('epoch 2/1000')) child.kill('SIGINT');
      });
      child.on('close', resolve);
    }).finally(() => clearTimeout(watchdog));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted in epoch \d+ after \d+ steps; the checkpoint of epoch \d+ is in/);
    const epoch = Number(readSafetensors(join(out, 'model.safetensors')).metadata.epoch);
    expect(epoch).toBeGreaterThanOrEqual(2);
    expect(stderr).toContain(`the checkpoint of epoch ${epoch} is in`);
  });
});
