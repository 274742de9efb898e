/**
 * Every measured figure the READMEs state comes from a committed file that they name: each named
 * results file exists, and the figures are recomputed here from those files (bench JSONs, the
 * recorded runs' `train.log`s, the memory logs). The benchmark tables of this package's README are
 * generated and checked by `bench-readme.test.ts`; this file checks the hand-written ones.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const MODELS = 'packages/models/';
const read = (path: string): string => readFileSync(`${REPOSITORY}${path}`, 'utf8');
/** A README's prose with every run of white space (line breaks and indentation included) as one space. */
const prose = (path: string): string => read(path).replace(/\s+/g, ' ');

const READMES = [
  'README.md',
  'packages/core/README.md',
  'packages/backend-cpu/README.md',
  'packages/backend-gpu/README.md',
  'packages/models/README.md',
  'packages/models/runs-recorded/2026-11-27-lenet5-webgpu-h200/README.md',
  'packages/models/runs-recorded/2026-12-01-lenet5-compiled-webgpu-llvmpipe/README.md',
  'packages/models/runs-recorded/2026-12-01-lenet5-folded-webgpu-llvmpipe/README.md',
  'packages/models/runs-recorded/2026-12-01-memory-by-mode/README.md',
  'packages/models/runs-recorded/2026-12-01-memory-by-mode-shared-pool/README.md',
  'packages/models/runs-recorded/2026-12-01-lenet5-webasm-lanes/README.md',
].filter((path) => existsSync(`${REPOSITORY}${path}`));

/** Whether git tracks the file at `path`, or files under the folder at `path`. */
function committed(path: string): boolean {
  const listing = spawnSync('git', ['ls-files', '--', path], { cwd: REPOSITORY, encoding: 'utf8' });
  if (listing.status !== 0) throw new Error(`git ls-files failed: ${listing.stderr}`);
  return listing.stdout.trim() !== '';
}

/** The part of a bench JSON these checks read. */
interface BenchFile {
  readonly results: ReadonlyArray<{
    readonly target: string;
    readonly kernels?: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
    readonly training: {
      readonly msPerStep: number;
      readonly examplesPerSecond: number;
      readonly firstStepMs: number;
      readonly webGpuCallsPerStep?: { readonly dispatches: number };
    };
  }>;
  readonly peers?: ReadonlyArray<{ readonly peer: string; readonly training: { readonly examplesPerSecond: number } }>;
}

const bench = (name: string): BenchFile => JSON.parse(read(`${MODELS}bench-results/${name}`)) as BenchFile;
const target = (file: BenchFile, name: string): BenchFile['results'][number] => {
  const found = file.results.find((result) => result.target === name);
  if (found === undefined) throw new Error(`no target ${name}`);
  return found;
};
const grouped = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The rows of the Markdown table whose header line starts with `header`, as trimmed cells. */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start < 0) throw new Error(`no table headed ${header}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** What `/usr/bin/time -v` and the epoch lines of a `train.log` say. */
function runLog(path: string): { wall: string; peakKb: number; examplesPerSec: number[] } {
  const log = read(path);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(log)?.[1];
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(log)?.[1];
  if (wall === undefined || peak === undefined) throw new Error(`${path}: no /usr/bin/time figures`);
  const examplesPerSec = [...log.matchAll(/^epoch \d+\/\d+ .* ([\d.]+) examples\/sec$/gm)].map((match) => Number(match[1]));
  return { wall, peakKb: Number(peak), examplesPerSec };
}
const mib = (kb: number): number => Math.round(kb / 1024);
/** `/usr/bin/time`'s `m:ss.cc` as the READMEs write it, e.g. `6 min 47 s`. */
const minutesAndSeconds = (wall: string): string => {
  const [minutes, seconds] = wall.split(':').map(Number);
  return `${minutes} min ${Math.round(seconds)} s`;
};
const range = (values: readonly number[]): string => `${grouped(Math.min(...values))}–${grouped(Math.max(...values))}`;

describe('README figures', () => {
  it('name only results files that are committed', () => {
    const named = new Set<string>();
    for (const readme of READMES) {
      // a path may name its package (`packages/docs/bench-results/…`); without one it is this package's
      for (const match of read(readme).matchAll(
        /(?:packages\/([\w-]+)\/)?((?:bench-results|runs-recorded)\/[\w.*-]+(?:\/[\w.-]+\.\w+)?)/g,
      )) {
        const path = match[1] === undefined ? `${MODELS}${match[2]}` : `packages/${match[1]}/${match[2]}`;
        if (!path.includes('*') && !path.endsWith('.')) named.add(path);
      }
    }
    expect(named.size).toBeGreaterThan(8);
    for (const path of named) {
      expect(committed(path), `${path} (named in a README) is tracked by git`).toBe(true);
    }
  });

  it("backend-gpu: the 2-core tables, the speed-up range and the GMAC/s range are 2026-11-27-amd-epyc-2-cores-no-gpu.json's", () => {
    const readme = read('packages/backend-gpu/README.md');
    const file = bench('2026-11-27-amd-epyc-2-cores-no-gpu.json');
    const baseline = target(file, 'backend-cpu').training.msPerStep;
    const names = ['backend-cpu', 'webgpu', 'headlessgl', 'webasm', 'cpu'];
    const rows = tableRows(readme, '| backend | device | ms / step | examples / s | vs backend-cpu | notes |');
    expect(rows.map((row) => row[0])).toEqual(['backend-cpu', ...names.slice(1).map((name) => `gpu.js ${name}`)]);
    rows.forEach((row, index) => {
      const { training } = target(file, names[index]);
      expect(row.slice(2), row[0]).toEqual([
        training.msPerStep.toFixed(1),
        grouped(training.examplesPerSecond),
        `${(baseline / training.msPerStep).toFixed(2)}×`,
        `first step ${Math.round(training.firstStepMs)} ms`,
      ]);
    });
    const kernelRows = tableRows(readme, '| kernel (ms per call) |');
    for (const row of kernelRows) {
      const cells = names.map((name) =>
        target(file, name)
          .kernels?.find((kernel) => kernel.name === row[0])
          ?.ms.toFixed(2),
      );
      expect(row.slice(1), row[0]).toEqual(cells);
    }
    const speedUps = names.slice(1).map((name) => baseline / target(file, name).training.msPerStep);
    expect(prose('packages/backend-gpu/README.md')).toContain(
      `Every gpu.js mode trains ${Math.round(Math.min(...speedUps))}–${Math.round(Math.max(...speedUps))}× faster than backend-cpu in that file`,
    );

    // multiply-adds per call: N·K·OH·OW·(C·KH·KW) of C1 (forward, filter gradient) and C3 (all three)
    const macs: Record<string, number> = {
      'conv2d C1': 256 * 6 * 28 * 28 * 25,
      'conv2dBackpropFilter C1': 256 * 6 * 28 * 28 * 25,
      'conv2d C3': 256 * 16 * 10 * 10 * 150,
      'conv2dBackpropInput C3': 256 * 16 * 10 * 10 * 150,
      'conv2dBackpropFilter C3': 256 * 16 * 10 * 10 * 150,
    };
    const gmacs = (names: readonly string[]): string => {
      const rates = names.flatMap((name) =>
        (target(file, name).kernels ?? []).filter((kernel) => kernel.name in macs).map((kernel) => macs[kernel.name] / kernel.ms / 1e6),
      );
      expect(rates.length).toBe(5 * names.length);
      return `${Math.min(...rates).toFixed(2)}–${Math.max(...rates).toFixed(2)}`;
    };
    expect(prose('packages/backend-gpu/README.md')).toContain(
      `reach ${gmacs(names.slice(1))} GMAC/s in the 2026-11-27 file (webgpu ${gmacs(['webgpu'])}, webasm ${gmacs(['webasm'])}, backend-cpu ${gmacs(['backend-cpu'])})`,
    );
  });

  it("backend-gpu: the H200 table is 2026-11-27-nvidia-h200.json's, made by the command scripts/device/run-checks.sh runs", () => {
    const readme = read('packages/backend-gpu/README.md');
    const file = bench('2026-11-27-nvidia-h200.json');
    const baseline = target(file, 'backend-cpu').training.msPerStep;
    const h200Rows = tableRows(
      readme.slice(readme.indexOf('### On a real GPU')),
      '| backend | device | ms / step | examples / s | vs backend-cpu |',
    );
    const formatMs = (ms: number): string => (ms >= 1000 ? grouped(ms) : ms.toFixed(1));
    const ratio = (ms: number): string => (baseline / ms >= 10 ? `${grouped(baseline / ms)}×` : `${(baseline / ms).toFixed(2)}×`);
    expect(h200Rows.map((row) => row.slice(2))).toEqual(
      ['backend-cpu', 'webgpu', 'webasm'].map((name) => {
        const { training } = target(file, name);
        return [formatMs(training.msPerStep), grouped(training.examplesPerSecond), ratio(training.msPerStep)];
      }),
    );
    const stated = /`npm run bench -- (--modes webgpu,webasm [^`]*)`/.exec(readme)?.[1];
    const script = /^BENCH_ARGS=\((.*)\)$/m.exec(read('scripts/device/run-checks.sh'))?.[1];
    expect(stated).toBeDefined();
    expect(stated).toBe(script);
    expect(prose('README.md')).toContain(`WebGPU ${grouped(target(file, 'webgpu').training.examplesPerSecond)} examples/s`);
  });

  it("backend-gpu: the launches per step are the peers files' webGpuCallsPerStep", () => {
    const readme = prose('packages/backend-gpu/README.md');
    const compiled = target(bench('peers-2-cores-no-gpu.json'), 'webgpu').training.webGpuCallsPerStep?.dispatches;
    const eager = target(bench('peers-eager-2-cores-no-gpu.json'), 'webgpu').training.webGpuCallsPerStep?.dispatches;
    expect(readme).toContain(
      `\`packages/models/bench-results/peers-2-cores-no-gpu.json\` has ${compiled} launches for the compiled step and \`peers-eager-2-cores-no-gpu.json\` ${eager} for the eager one`,
    );
  });

  it("the recorded runs' wall time, peak memory and examples/sec are their train.log's", () => {
    const h200 = runLog(`${MODELS}runs-recorded/2026-11-27-lenet5-webgpu-h200/train.log`);
    const compiled = runLog(`${MODELS}runs-recorded/2026-12-01-lenet5-folded-webgpu-llvmpipe/train.log`);
    const webasm = runLog(`${MODELS}runs-recorded/2026-12-01-lenet5-webasm-lanes/train.log`);
    const latest = runLog(`${MODELS}runs-recorded/2026-12-07-lenet5-webasm-memory/train.log`);
    const latestAgain = runLog(`${MODELS}runs-recorded/2026-12-07-lenet5-webasm-memory/train-rerun.log`);
    const blocked = runLog(`${MODELS}runs-recorded/2026-12-07-lenet5-webasm-filter-blocked/train.log`);
    const filterNotBlocked = runLog(`${MODELS}runs-recorded/2026-12-07-lenet5-webasm-blocked/train.log`);
    const beforeFolds = runLog(`${MODELS}runs-recorded/2026-12-01-lenet5-compiled-webgpu-llvmpipe/train.log`);
    const pytorch = [...read(`${MODELS}runs-recorded/pytorch-check-h200/pytorch.log`).matchAll(/ (\d+) examples\/sec$/gm)].map((match) =>
      Number(match[1]),
    );
    expect(h200.wall).toBe('0:49.88');
    expect(compiled.wall).toBe('22:40.74');
    expect(beforeFolds.wall).toBe('21:53.50');
    const models = prose('packages/models/README.md');
    expect(models).toContain(`**Peak memory ${mib(h200.peakKb)} MiB** (${grouped(h200.peakKb)} kB resident`);
    expect(models).toContain(`Wall-clock time 49.9 s for the whole run; ${range(h200.examplesPerSec)} training examples/sec`);
    expect(models).toContain(
      `**${minutesAndSeconds(webasm.wall)}** wall for the whole run, ${range(webasm.examplesPerSec)} training examples/sec`,
    );
    expect(models).toContain(`**peak memory ${mib(webasm.peakKb)} MiB** (${grouped(webasm.peakKb)} kB resident`);
    expect(models).toContain(`the full recipe below ran in ${minutesAndSeconds(latest.wall)} at ${mib(latest.peakKb)} MiB`);
    expect(models).toContain(`${minutesAndSeconds(blocked.wall)} at ${mib(blocked.peakKb)} MiB with the same kernels earlier that day`);
    expect(models).toContain(
      `**${minutesAndSeconds(latest.wall)}** wall, ${range(latest.examplesPerSec)} training examples/sec; **peak of ${mib(latest.peakKb)} MiB** (${grouped(latest.peakKb)} kB resident)`,
    );
    expect(models).toContain(
      `${minutesAndSeconds(filterNotBlocked.wall)} at ${mib(filterNotBlocked.peakKb)} MiB before the filter gradient was blocked`,
    );
    expect(models).toContain(
      `**${minutesAndSeconds(blocked.wall)}** wall, ${range(blocked.examplesPerSec)} training examples/sec; but a **peak of ${mib(blocked.peakKb)} MiB** (${grouped(blocked.peakKb)} kB resident)`,
    );
    expect(models).toContain(`${minutesAndSeconds(webasm.wall)} at ${mib(webasm.peakKb)} MiB before the register blocking`);
    const beforeMalloc = runLog(`${MODELS}runs-recorded/2026-12-01-lenet5-webasm-lanes/train-before-the-malloc-setting.log`);
    expect(models).toContain(
      `took ${minutesAndSeconds(beforeMalloc.wall)} at ${range(beforeMalloc.examplesPerSec)} examples/sec but peaked at ${mib(beforeMalloc.peakKb)} MiB`,
    );
    expect(models).toContain(`ran the recipe in 22 min 41 s at ${mib(compiled.peakKb)} MiB`);
    expect(models).toContain(`ran in 22 min 41 s at ${mib(compiled.peakKb)} MiB, with the same figures`);
    expect(models).toContain(`(43 launches per step) in 21 min 53 s at ${mib(beforeFolds.peakKb)} MiB`);
    expect(models).toContain(`${range(pytorch)} examples/sec on CUDA`);
    const gpu = prose('packages/backend-gpu/README.md');
    expect(gpu).toContain(`ran at ${range(h200.examplesPerSec)} training examples/sec`);
    expect(gpu).toContain(`${range(pytorch)} examples/sec`);
    const slower = `${(Math.min(...pytorch) / Math.min(...h200.examplesPerSec)).toFixed(1)}–${(Math.max(...pytorch) / Math.max(...h200.examplesPerSec)).toFixed(1)}×`;
    expect(gpu).toContain(`trained ${slower} fewer examples per second than PyTorch on CUDA there`);
    const root = prose('README.md');
    expect(root).toContain(`peak memory ${mib(h200.peakKb)} MiB, 50 s`);
    expect(root).toContain(`in ${minutesAndSeconds(latest.wall)} at ${mib(latest.peakKb)} MiB`);
    expect(root).toContain(
      `and ${minutesAndSeconds(latestAgain.wall)} at ${mib(latestAgain.peakKb)} MiB when run again after the benchmarks`,
    );
    expect(models).toContain(`the same commit took ${minutesAndSeconds(latestAgain.wall)} at ${mib(latestAgain.peakKb)} MiB`);
    expect(root).toContain(`${minutesAndSeconds(blocked.wall)} at ${mib(blocked.peakKb)} MiB with the same kernels earlier that day`);
    expect(root).toContain(
      `${minutesAndSeconds(filterNotBlocked.wall)} at ${mib(filterNotBlocked.peakKb)} MiB before the filter gradient was blocked`,
    );
    expect(root).toContain(`${minutesAndSeconds(webasm.wall)} at ${mib(webasm.peakKb)} MiB before the register blocking`);
    expect(gpu).toContain(`peaked at ${mib(compiled.peakKb)} MiB`);
  });

  it("the memory table is the memory-by-mode logs' peak resident memory, before and after the shared pool", () => {
    const peak = (directory: string, name: string): number => runLog(`${MODELS}runs-recorded/${directory}/${name}.log`).peakKb;
    const names = ['webasm-threads', 'webasm-no-threads', 'webgpu'];
    const rows = tableRows(read('packages/models/README.md'), '| mode | peak memory |');
    expect(rows.map((row) => row[1])).toEqual(names.map((name) => `${mib(peak('2026-12-01-memory-by-mode-shared-pool', name))} MiB`));
    const before = names.map((name) => mib(peak('2026-12-01-memory-by-mode', name)));
    expect(prose('packages/models/README.md')).toContain(`peaked at ${before[0]}, ${before[1]} and ${before[2]} MiB`);
    for (const directory of ['2026-12-01-memory-by-mode', '2026-12-01-memory-by-mode-shared-pool']) {
      const recorded = tableRows(read(`${MODELS}runs-recorded/${directory}/README.md`), '| log | mode | peak resident memory |');
      expect(recorded.length).toBe(3);
      for (const row of recorded) {
        const kb = peak(directory, row[0].replaceAll('`', '').replace(/\.log$/, ''));
        expect(row[2]).toBe(`${grouped(kb)} kB (${mib(kb)} MiB)`);
      }
    }
  });

  it("the speed figures of the root and models READMEs are peers-2-cores-no-gpu.json's", () => {
    const file = bench('peers-2-cores-no-gpu.json');
    const perSecond = (name: string): number => target(file, name).training.examplesPerSecond;
    const peer = (name: string): number => file.peers?.find((entry) => entry.peer === name)?.training.examplesPerSecond ?? Number.NaN;
    const modes = ['webgpu', 'headlessgl', 'webasm', 'cpu'].map(perSecond);
    const root = prose('README.md');
    expect(root).toContain(
      `backend-cpu ${grouped(perSecond('backend-cpu'))} examples/s, the GPU.js modes ${range(modes)} with the compiled step`,
    );
    expect(root).toContain(`TensorFlow.js-wasm ${grouped(peer('tfjs-wasm'))} and PyTorch ${grouped(peer('pytorch'))} on the same batches`);
    expect(root).toContain(
      `runs at ${(Math.max(...modes) / peer('tfjs-wasm')).toFixed(2)}× and ${(Math.max(...modes) / peer('pytorch')).toFixed(2)}× of them`,
    );
    const webasmKernel = (name: string): string =>
      grouped(target(file, 'webasm').kernels?.find((kernel) => kernel.name === name)?.ms ?? Number.NaN);
    expect(prose('packages/models/README.md')).toContain(
      `C3's forward, input- and filter-gradient kernels take ${webasmKernel('conv2d C3')}, ${webasmKernel('conv2dBackpropInput C3')} and ${webasmKernel('conv2dBackpropFilter C3')} ms per step in webasm`,
    );
    const models = prose('packages/models/README.md');
    expect(models).toContain(
      `webasm trains at ${grouped(perSecond('webasm'))} examples/s against ${grouped(perSecond('webgpu'))} for WebGPU on Mesa's llvmpipe`,
    );
    expect(models).toContain(
      `webasm, trains at ${(perSecond('webasm') / peer('tfjs-wasm')).toFixed(2)}× TensorFlow.js-wasm's examples/s and ${(perSecond('webasm') / peer('pytorch')).toFixed(2)}× PyTorch's`,
    );
    const before = bench('2026-11-27-amd-epyc-2-cores-no-gpu.json');
    const beforeKernel = (name: string): string =>
      grouped(target(before, 'webasm').kernels?.find((kernel) => kernel.name === name)?.ms ?? Number.NaN);
    expect(models).toContain(
      `against ${beforeKernel('conv2d C3')}, ${beforeKernel('conv2dBackpropInput C3')} and ${beforeKernel('conv2dBackpropFilter C3')} ms in \`bench-results/2026-11-27-amd-epyc-2-cores-no-gpu.json\``,
    );
  });
});
