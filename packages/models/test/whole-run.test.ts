/**
 * The whole-run benchmark (`npm run bench:whole-run`): its options and their errors, the reading
 * of a recorded LeNet.ts run and of PyTorch's output, the README table derived from the results
 * file, and one tiny run of TensorFlow.js-wasm end to end. No timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clockSeconds, readLenetRecordedRun } from '../src/bench/whole-run/lenet-recorded-run.js';
import { parsePytorchWholeRun } from '../src/bench/whole-run/run-whole-run-targets.js';
import { parseWholeRunArguments } from '../src/bench/whole-run/whole-run-arguments.js';
import { parseWholeRunFile } from '../src/bench/whole-run/whole-run-file.js';
import { renderWholeRunTable, updateWholeRunTables } from '../src/bench/whole-run/whole-run-table.js';
import { UsageError } from '../src/cli/usage-error.js';

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const RECORDED_RUN = join(PACKAGE_DIR, 'runs-recorded/2026-12-01-lenet5-webasm-lanes');

describe('bench:whole-run options', () => {
  it('defaults to both peers, 10 epochs of batch 256 from seed 1, PyTorch without flush-denormal', () => {
    expect(parseWholeRunArguments([])).toMatchObject({
      targets: ['tfjs-wasm', 'pytorch'],
      epochs: 10,
      batch: 256,
      seed: 1,
      limit: null,
      cores: null,
      flushDenormal: false,
      tfjsFilterGradient: 'conv',
      lenetRun: null,
    });
  });

  it('reads a list of targets in a fixed order, and all includes lenet when a recorded run is named', () => {
    expect(parseWholeRunArguments(['--target', 'pytorch,tfjs-wasm', '--cores', '2', '--flush-denormal'])).toMatchObject({
      targets: ['tfjs-wasm', 'pytorch'],
      cores: 2,
      flushDenormal: true,
    });
    expect(parseWholeRunArguments(['--target', 'all', '--lenet-run', 'runs-recorded/x'])).toMatchObject({
      targets: ['lenet', 'tfjs-wasm', 'pytorch'],
      lenetRun: 'runs-recorded/x',
    });
    expect(parseWholeRunArguments(['--epochs', '1', '--limit', '2048'])).toMatchObject({ epochs: 1, limit: 2048 });
  });

  it('refuses an unknown target, lenet without its run, a run without lenet, and bad numbers, naming the fix', () => {
    expect(() => parseWholeRunArguments(['--target', 'pytorch,jax'])).toThrow(
      new UsageError('--target takes all or a comma-separated list of lenet, tfjs-wasm, pytorch; got jax', '--target'),
    );
    expect(() => parseWholeRunArguments(['--target', 'lenet'])).toThrow(
      /--target lenet reads a recorded train run: name its folder with --lenet-run/,
    );
    expect(() => parseWholeRunArguments(['--target', 'pytorch', '--lenet-run', 'r'])).toThrow(
      /--lenet-run is read only by the lenet target/,
    );
    expect(() => parseWholeRunArguments(['--epochs', '0'])).toThrow(UsageError);
    expect(() => parseWholeRunArguments(['--cores', 'two'])).toThrow(UsageError);
    expect(() => parseWholeRunArguments(['--tfjs-filter-gradient', 'fft'])).toThrow(UsageError);
  });
});

describe('the runs the table puts side by side', () => {
  it("reads LeNet.ts's recorded run: its 10 epochs, and GNU time's wall clock from train.log", () => {
    const run = readLenetRecordedRun(RECORDED_RUN);
    expect(run.epochs?.map((epoch) => epoch.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(run.epochs?.[0]?.trainLoss).toBeCloseTo(2.3193, 4);
    expect(run.wallSeconds).toBeCloseTo(7 * 60 + 27.72, 6);
    expect(run.details?.backend).toMatch(/^gpu \(gpu\.js mode webasm\)/);
    expect(() => readLenetRecordedRun(PACKAGE_DIR)).toThrow(/no metrics.jsonl there/);
  });

  it("turns GNU time's clock into seconds and refuses other text", () => {
    expect(clockSeconds('7:27.72')).toBeCloseTo(447.72, 6);
    expect(clockSeconds('1:02:03')).toBe(3723);
    expect(clockSeconds('7 min')).toBeNull();
  });

  it("reads PyTorch's JSON line, keeping its threads and whether denormals were flushed", () => {
    const epoch = {
      epoch: 1,
      trainLoss: 2.5,
      trainAcc: 0.1,
      testAcc: 0.1,
      examplesPerSec: 1000,
      trainSeconds: 2,
      epochSeconds: 3,
      examples: 2048,
      steps: 8,
    };
    const line = JSON.stringify({ torch: '1.13.0', python: '3.11.2', threads: 2, flushDenormal: true, epochs: [epoch] });
    const result = parsePytorchWholeRun(line, { cores: 2, pinned: true }, 'python3');
    expect(result).toMatchObject({
      target: 'pytorch',
      label: 'PyTorch 1.13.0 (CPU)',
      cpu: { cores: 2, pinned: true, threads: 2 },
      details: { flushDenormal: true, threads: 2 },
      epochs: [epoch],
    });
    expect(() =>
      parsePytorchWholeRun(JSON.stringify({ torch: '1.13.0', threads: 2, epochs: [] }), { cores: 2, pinned: true }, 'python3'),
    ).toThrow(/unexpected output/);
  });
});

/** A two-epoch fixture: LeNet.ts 100 s, TensorFlow.js 50 s, PyTorch not installed. */
function fixture(): unknown {
  const epoch = (n: number, seconds: number, testAcc: number) => ({
    epoch: n,
    trainLoss: 1 / n,
    trainAcc: 0.5 + n / 10,
    testAcc,
    examplesPerSec: 60_000 / (seconds - 5),
    trainSeconds: seconds - 5,
    epochSeconds: seconds,
    examples: 60_000,
    steps: 235,
  });
  return {
    date: '2026-12-07T10:00:00Z',
    machine: { cpu: 'Test CPU', cores: 2, coresUsed: 2, pinned: 'yes, taskset' },
    recipe: { model: 'lenet5', epochs: 2 },
    results: [
      {
        target: 'lenet',
        label: 'LeNet.ts (npm run train)',
        details: { recordedRun: 'runs-recorded/r' },
        epochs: [epoch(1, 55, 0.6), epoch(2, 45, 0.7)],
        wallSeconds: 110,
      },
      {
        target: 'tfjs-wasm',
        label: 'TensorFlow.js 4.22.0 (wasm)',
        cpu: { cores: 2, pinned: true, threads: 1, threading: 'one thread' },
        epochs: [epoch(1, 30, 0.65), epoch(2, 20, 0.75)],
        wallSeconds: 53.4,
      },
      { target: 'pytorch', label: 'PyTorch', unavailable: 'no Python here imports torch' },
    ],
  };
}

describe('the whole-run table', () => {
  it('puts each run in a row: epochs time, wall, per-epoch ranges, last figures, and LeNet.ts against it', () => {
    const table = renderWholeRunTable(parseWholeRunFile(fixture(), 'r.json'), 'r.json');
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    expect(rows).toEqual([
      '| | cores, threads | epochs (s) | wall (s) | s per epoch | examples/s | train loss | train acc | test acc | LeNet.ts against it |',
      '| LeNet.ts (npm run train) | as recorded in `runs-recorded/r` | 100 | 110 | 45.0–55.0 | 1,200–1,500 | 0.500 | 0.700 | 0.700 | — |',
      '| TensorFlow.js 4.22.0 (wasm) | 2 cores (pinned), 1 thread | 50 | 53 | 20.0–30.0 | 2,400–4,000 | 0.500 | 0.700 | 0.750 | **0.50×** |',
      '| PyTorch | not run: no Python here imports torch | | | | | | | | |',
    ]);
    expect(table).toMatch(/^Measured 2026-12-07 on Test CPU, 2 cores; the peers on 2 cores, each process pinned to them with taskset/);
    expect(table).toContain('(from `r.json`)');
  });

  it('rewrites only the marked block, leaves a README without one alone, and refuses a file that is not results', () => {
    const readme = 'before\n<!-- whole-run-table: r.json -->\nstale\n<!-- /whole-run-table -->\nafter\n';
    const updated = updateWholeRunTables(readme, () => fixture());
    expect(updated.startsWith('before\n<!-- whole-run-table: r.json -->\nMeasured 2026-12-07')).toBe(true);
    expect(
      updated.endsWith(
        '| **0.50×** |\n| PyTorch | not run: no Python here imports torch | | | | | | | | |\n<!-- /whole-run-table -->\nafter\n',
      ),
    ).toBe(true);
    expect(updateWholeRunTables(updated, () => fixture())).toBe(updated);
    expect(updateWholeRunTables('no block\n', () => fixture())).toBe('no block\n');
    expect(() => updateWholeRunTables(readme, () => ({ results: [] }))).toThrow(/r.json: not a whole-run results file/);
  });

  it("the README's whole-run tables, if any, equal the tables derived from the files their markers name", () => {
    const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
    const read = (name: string): unknown => JSON.parse(readFileSync(join(PACKAGE_DIR, name), 'utf8'));
    expect(updateWholeRunTables(readme, read)).toBe(readme);
  });
});

describe('a tiny whole run', () => {
  it('trains TensorFlow.js-wasm for 1 epoch of 300 examples and records every figure (dist/cli/whole-run.js)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'whole-run-test-')), 'whole-run.json');
    const args = ['--target', 'tfjs-wasm', '--epochs', '1', '--limit', '300', '--test-limit', '300', '--out', out];
    const child = spawnSync(process.execPath, [join(PACKAGE_DIR, 'dist/cli/whole-run.js'), ...args], { encoding: 'utf8' });
    expect(child.stderr).toContain('tfjs-wasm epoch 1/1');
    expect(child.status).toBe(0);
    const file = parseWholeRunFile(JSON.parse(readFileSync(out, 'utf8')), out);
    expect(file.recipe).toMatchObject({ epochs: 1, trainExamples: 300, testExamples: 300, batch: 256, lr: 0.9 });
    expect(file.machine.cores).toBeGreaterThan(0);
    const [tfjs] = file.results;
    expect(tfjs.target).toBe('tfjs-wasm');
    expect(tfjs.details).toMatchObject({ tfjsBackendWasm: '4.22.0', threads: 1 });
    expect(tfjs.cpu?.threads).toBe(1);
    const [epoch] = tfjs.epochs ?? [];
    expect(epoch).toMatchObject({ epoch: 1, examples: 300, steps: 2 });
    // two SGD steps from LeNet.ts's Xavier start: the loss is near ln 10, not NaN or 0
    expect(epoch.trainLoss).toBeGreaterThan(2);
    expect(epoch.trainLoss).toBeLessThan(3);
    expect(Number.isInteger(epoch.testAcc * 300)).toBe(true);
    expect(tfjs.wallSeconds).toBeGreaterThan(epoch.epochSeconds);
  }, 60_000);
});
