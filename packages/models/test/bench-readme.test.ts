/**
 * The README's benchmark table is derived from a committed results file: it fails when they
 * disagree (fix: `npm run bench:readme`), and the regeneration replaces only the marked block.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { updateBenchTables } from '../src/bench/readme-table.js';

const packageFile = (name: string): string => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

describe('the README benchmark table', () => {
  it('equals the table derived from the results file its marker names', () => {
    const readme = packageFile('README.md');
    const named = [...readme.matchAll(/<!-- bench-table: (\S+) -->/g)].map((match) => match[1]);
    expect(named).toEqual([
      'bench-results/peers-2-cores-no-gpu.json',
      'bench-results/peers-1-core-no-gpu.json',
      'bench-results/peers-eager-2-cores-no-gpu.json',
    ]);
    expect(updateBenchTables(readme, (name) => JSON.parse(packageFile(name)))).toBe(readme);
  });

  it('rewrites only the marked block, from the file, and refuses a README without one', () => {
    const file = {
      date: '2026-12-01T10:00:00Z',
      machine: { cpu: 'Test CPU', cores: 2 },
      batch: 256,
      steps: 5,
      warmup: 1,
      results: [
        {
          target: 'webasm',
          device: 'wasm',
          training: {
            batch: 256,
            firstStepMs: 9,
            msPerStep: 500,
            examplesPerSecond: 512,
            stepsMs: [500],
            warmupSteps: 1,
            losses: [2.4, 2.3],
            liveBuffers: [1, 1],
            stepMode: 'compiled',
          },
        },
      ],
      peers: [
        {
          peer: 'pytorch',
          label: 'PyTorch 1.13 (CPU)',
          device: 'CPU, 2 threads',
          training: {
            batch: 256,
            firstStepMs: 9,
            msPerStep: 50,
            examplesPerSecond: 5120,
            stepsMs: [50],
            warmupSteps: 1,
            losses: [2.4, 2.3],
          },
        },
      ],
    };
    const readme = 'before\n<!-- bench-table: r.json -->\nstale | table\n<!-- /bench-table -->\nafter\n';
    const updated = updateBenchTables(readme, () => file);
    expect(updated.startsWith('before\n<!-- bench-table: r.json -->\nMeasured 2026-12-01 on cpu Test CPU, cores 2: batch 256')).toBe(true);
    // a file from before rounds and --cores: one round, every target on all the machine's cores
    expect(updated).toContain(', one round, every target in the same run on the same batches and on 2 cores (from `r.json`;');
    expect(updated).toContain('| vs PyTorch 1.13 (CPU), 2 cores |');
    expect(updated).toContain('| LeNet.ts gpu.js webasm, compiled | wasm | — | 500.0 | 512 | 1 round | 0.10× | 2.4000 → 2.3000 |');
    // a file with rounds, pinned to one core: the cores and threads of each target, the spread, the ratio's range
    const cpu = { cores: 1, pinned: true, threads: 1, threading: 'one' };
    const pinned = {
      ...file,
      rounds: 3,
      machine: { ...file.machine, coresUsed: 1, pinned: 'yes, taskset' },
      results: [{ ...file.results[0], cpu, rounds: { min: 480, median: 512, max: 530, examplesPerSecond: [512, 480, 530] } }],
      peers: [{ ...file.peers[0], cpu, rounds: { min: 5000, median: 5120, max: 5300, examplesPerSecond: [5120, 5300, 5000] } }],
    };
    const onOneCore = updateBenchTables(readme, () => pinned);
    expect(onOneCore).toContain(
      'the median of 3 interleaved rounds (min–max beside it), every target in the same run on the same batches and on 1 core, each process pinned to them with taskset',
    );
    expect(onOneCore).toContain('| vs PyTorch 1.13 (CPU), 1 core |');
    // round ratios 0.1, 480/5300, 530/5000
    expect(onOneCore).toContain(
      '| LeNet.ts gpu.js webasm, compiled | wasm | 1 core (pinned), 1 thread | 500.0 | 512 | 480–530 (3 rounds) | 0.10× (0.09×–0.11×) |',
    );
    // a file written before the compiled step existed ran eagerly, and says so
    const older = { ...file, results: [{ ...file.results[0], training: { ...file.results[0].training, stepMode: undefined } }] };
    expect(updateBenchTables(readme, () => older)).toContain('| LeNet.ts gpu.js webasm, eager | wasm | — |');
    expect(updated).not.toContain('stale');
    expect(updated.endsWith('<!-- /bench-table -->\nafter\n')).toBe(true);
    expect(() => updateBenchTables('no markers', () => file)).toThrow(/no <!-- bench-table/);
  });
});
