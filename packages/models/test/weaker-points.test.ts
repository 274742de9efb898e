/**
 * Issue 11's "weaker points": each behaviour that used to be silent now says something (or refuses).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvaluateCommand } from '../src/cli/evaluate-command.js';
import { DEFAULT_FASHION_MNIST_DIR } from '../src/data/fashion-mnist.js';
import { IDX_FILE_NAMES } from '../src/data/idx-file-names.js';
import { readSafetensors, writeSafetensors } from '../src/io/safetensors-file.js';
import { makeTempDir, writeTinyIdxDirectory } from './helpers/idx-fixtures.js';
import { collectOutput, trainInProcess } from './helpers/collect-output.js';

const temp = makeTempDir('lenet-weaker-');
afterAll(() => temp.remove());
let serial = 0;
const fresh = (name = 'run'): string => join(temp.dir, `${name}-${serial++}`);
const TINY = ['--backend', 'cpu', '--limit', '16', '--batch-size', '8', '--test-limit', '8'];

describe('weaker points', () => {
  it('a --limit or --test-limit above the data set is said on the header line', async () => {
    const dir = fresh('tiny-data');
    writeTinyIdxDirectory(dir, { train: 8, test: 4 });
    const clamped = await trainInProcess([
      '--backend',
      'cpu',
      '--dataset',
      'mnist',
      '--data-dir',
      dir,
      '--limit',
      '100000',
      '--test-limit',
      '1e9',
      '--batch-size',
      '8',
      '--epochs',
      '1',
      '--out',
      fresh(),
    ]);
    expect(clamped.code, clamped.stderr).toBe(0);
    expect(clamped.stdout).toContain(
      'train lenet5 on mnist: 8 training and 4 test examples (--limit 100000 is more than the 8 training examples; --test-limit 1000000000 is more than the 4 test examples)',
    );
  });

  it('--seed 0x10 is refused instead of read as 16', async () => {
    const result = await trainInProcess([...TINY, '--seed', '0x10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--seed expects an integer ≥ 0 and ≤ 4294967295 written in decimal, got '0x10'");
  });

  it('--gpu-mode with --backend cpu is an error', async () => {
    const result = await trainInProcess([...TINY, '--gpu-mode', 'webgl2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--gpu-mode webgl2 applies to --backend gpu only');
  });

  it('--data-dir naming a regular file says it is a file', async () => {
    const file = fresh('file');
    writeFileSync(file, 'x');
    const result = await trainInProcess([...TINY, '--data-dir', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: is a file, not a directory`);
  });

  it('--resume with other data of the same size is refused (the checkpoint records a checksum of the data)', async () => {
    const original = fresh('data');
    mkdirSync(original);
    for (const name of Object.values(IDX_FILE_NAMES)) copyFileSync(join(DEFAULT_FASHION_MNIST_DIR, name), join(original, name));
    const other = fresh('other-data');
    writeTinyIdxDirectory(other, { train: 16, test: 8 });
    const out = fresh();
    const args = ['--backend', 'cpu', '--dataset', 'mnist', '--limit', '16', '--test-limit', '8', '--batch-size', '8', '--out', out];
    expect((await trainInProcess([...args, '--data-dir', other, '--epochs', '1'])).code).toBe(0);
    expect(readSafetensors(join(out, 'model.safetensors')).metadata.data_sha256).toMatch(/^[0-9a-f]{64}$/);
    const mixed = await trainInProcess([...args, '--data-dir', original, '--epochs', '2', '--resume']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(
      /cannot resume with different settings \(data: the 16 training and 8 test examples differ from those the checkpoint was trained on/,
    );
  });

  it('--resume without --out says that --resume needs --out', async () => {
    const result = await trainInProcess([...TINY, '--resume']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--resume needs --out <dir>');
  });

  it('a checkpoint with NaN weights is evaluated with a warning', async () => {
    const out = fresh();
    expect((await trainInProcess([...TINY, '--epochs', '1', '--out', out])).code).toBe(0);
    const checkpoint = join(out, 'model.safetensors');
    const contents = readSafetensors(checkpoint);
    const first = contents.tensors.get('0.weight');
    if (first === undefined) throw new Error('no 0.weight');
    first.data[3] = Number.NaN;
    writeSafetensors(checkpoint, contents.tensors, contents.metadata);
    const output = collectOutput();
    expect(await runEvaluateCommand(['--backend', 'cpu', '--checkpoint', checkpoint], { io: output.io })).toBe(0);
    expect(output.stderr()).toContain(`evaluate: warning: ${checkpoint} holds NaN or infinite weights (0.weight)`);
  });

  it('a diverging run whose loss stays finite is warned about, and goes on', async () => {
    const result = await trainInProcess([...TINY, '--lr', '1e6', '--epochs', '2', '--out', fresh()]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /train: warning: the training loss \(\S+\) is \S+ times its first value \(\S+\): the run is diverging; training goes on, but a smaller learning rate such as --lr 100000/,
    );
    expect(result.stdout).toContain('epoch 2/2');
  });
});
