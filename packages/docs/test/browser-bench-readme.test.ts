/**
 * The docs README's browser-benchmark table is the committed results file's
 * (`bench-results/browser-2-cores-no-gpu.json`, written by `npm run bench:browser`), and the file
 * holds what the table claims: every target's examples/s are the median, min and max of its rounds,
 * the ratios are those of the targets' medians, and the first-step losses agree.
 * @module
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROWSER_BENCH_FILE, DOCS_README, readBrowserBenchFile, readmeWithTable } from '../src/browser-bench/readme.js';
import { spreadOf } from '../src/browser-bench/results.js';
import { BROWSER_BENCH_TARGETS } from '../src/browser-bench/targets.js';

const file = readBrowserBenchFile();

describe('the browser benchmark in the docs README', () => {
  it('holds exactly the table the committed results file gives', () => {
    const readme = readFileSync(DOCS_README, 'utf8');
    expect(readme).toBe(readmeWithTable(readme, file, BROWSER_BENCH_FILE));
    expect(readme).toContain('| LeNet.ts webasm (the Playground now: patched gpu.js) |');
    expect(readme).toContain('webasm in the Playground, after ÷ before the patched bundle');
  });

  it("the file's figures follow from its rounds, and every target trained the same first step", () => {
    expect(file.targets.map((t) => t.target)).toEqual([...BROWSER_BENCH_TARGETS]);
    expect(file.rounds).toBeGreaterThanOrEqual(3);
    expect(file.crossOriginIsolated).toBe(true);
    for (const target of file.targets) {
      expect(target.error, target.target).toBeUndefined();
      expect(target.examplesPerSecond?.length, target.target).toBe(file.rounds);
      expect(target.spread).toEqual(spreadOf(target.examplesPerSecond ?? []));
      expect(Math.abs((target.firstStepLoss ?? Number.NaN) - (file.targets[2].firstStepLoss ?? Number.NaN))).toBeLessThanOrEqual(1e-3);
    }
    for (const ratio of file.ratios) {
      const median = (name: string): number => file.targets.find((t) => t.target === name)?.spread?.median ?? Number.NaN;
      expect(ratio.median).toBeCloseTo(median(ratio.numerator) / median(ratio.denominator), 10);
    }
    // webasm's pool: patched, one pool of a worker per core; gpu.js's browser build, a pool per kernel
    const workers = (name: string): number => file.targets.find((t) => t.target === name)?.workersStarted ?? Number.NaN;
    expect(workers('lenet-webasm')).toBeLessThanOrEqual(Number(file.machine.cores));
    expect(workers('lenet-webasm-unpatched')).toBeGreaterThan(Number(file.machine.cores));
  });
});
