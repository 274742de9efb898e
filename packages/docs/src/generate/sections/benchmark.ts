/**
 * Guide 6's benchmark, from what `@lenet/models` committed: results JSON written by
 * `npm run bench` (checked field by field and drawn as a training table with the ratio to
 * backend-cpu and a per-kernel table), or, where no JSON is committed, the measured subsections of
 * the `## Benchmark` section of its README (the tables it recorded, with their machines). Neither
 * is an error that stops the build.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type BenchFile, type BenchResult, parseBenchFile } from '@lenet/models/bench-file';
import type { Fragments } from '../fragments.js';
import { markdownTable, withThousands } from '../markdown.js';
import { PACKAGES_DIR } from '../paths.js';

/** The package the benchmark lives in (its `bench-results/` holds the committed results). */
const BENCH_PACKAGE_DIR = join(PACKAGES_DIR, 'models');
/** Folders of that package whose every `.json` is a committed results file. */
const RESULT_FOLDERS = ['bench-results', 'benchmarks'];

/**
 * The committed benchmark results of @lenet/models: `*bench*.json` in the package folder and every
 * `.json` in its `bench-results/` or `benchmarks/` folder (e.g. one per machine), or the one file
 * named by the `LENET_DOCS_BENCH` environment variable (to preview the site with results of your
 * own). None is an error that says where they are expected.
 */
export function findBenchmarkFiles(): string[] {
  const files = listBenchmarkFiles();
  if (files.length === 0) {
    throw new Error(
      'docs generate: no benchmark results: expected packages/models/bench-results.json (or .json files in packages/models/bench-results/), ' +
        'written by `npm run bench` (root script), or a "## Benchmark" section with tables in packages/models/README.md',
    );
  }
  return files;
}

/** The results files found (see {@link findBenchmarkFiles}), possibly none. */
function listBenchmarkFiles(): string[] {
  const chosen = process.env.LENET_DOCS_BENCH;
  if (chosen !== undefined && chosen !== '') {
    if (!existsSync(chosen))
      throw new Error(`docs generate: LENET_DOCS_BENCH=${chosen} does not exist; point it at a file written by npm run bench`);
    return [resolve(chosen)];
  }
  const files = readdirSync(BENCH_PACKAGE_DIR)
    .filter((name) => /bench.*\.json$/i.test(name))
    .map((name) => join(BENCH_PACKAGE_DIR, name));
  for (const folder of RESULT_FOLDERS) {
    const dir = join(BENCH_PACKAGE_DIR, folder);
    if (existsSync(dir))
      files.push(
        ...readdirSync(dir)
          .filter((name) => name.endsWith('.json'))
          .map((name) => join(dir, name)),
      );
  }
  return files.sort();
}

const labelOf = (entry: BenchResult): string => (entry.target === 'backend-cpu' ? 'backend-cpu' : `gpu.js ${entry.target}`);

/** The training and kernel tables of a results file, in Markdown. */
export function benchmarkMarkdown(bench: BenchFile, source: string): string {
  const baseline = bench.results.find((entry) => entry.target === 'backend-cpu')?.training?.examplesPerSecond;
  const training = markdownTable(
    ['backend', 'device', 'ms / step', 'examples / s', 'vs backend-cpu'],
    bench.results.map((entry) =>
      entry.training === undefined
        ? [labelOf(entry), entry.device ?? '—', '—', '—', `not run: ${(entry.error ?? 'unknown').split('\n')[0]}`]
        : [
            labelOf(entry),
            entry.device ?? '—',
            entry.training.msPerStep.toFixed(1),
            withThousands(Math.round(entry.training.examplesPerSecond)),
            baseline === undefined ? '—' : `${(entry.training.examplesPerSecond / baseline).toFixed(2)}×`,
          ],
    ),
    ['l', 'l', 'r', 'r', 'r'],
  );
  const measured = bench.results.filter((entry) => (entry.kernels ?? []).length > 0);
  const kernelNames = measured[0]?.kernels?.map((timing) => timing.name) ?? [];
  const kernels =
    measured.length === 0
      ? ''
      : markdownTable(
          ['kernel (ms per call)', ...measured.map(labelOf)],
          kernelNames.map((name) => [
            name,
            ...measured.map((entry) => entry.kernels?.find((timing) => timing.name === name)?.ms.toFixed(2) ?? '—'),
          ]),
          ['l', ...measured.map((): 'r' => 'r')],
        );
  const machine = Object.entries(bench.machine)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  return [
    `Measured ${bench.date.slice(0, 10)} on ${machine === '' ? 'an unrecorded machine' : machine}; batch ${bench.batch}, ` +
      `the median of ${bench.steps} steps after one warm-up (from \`${source}\`).`,
    '',
    training,
    '',
    kernels,
  ].join('\n');
}

/** Reads and checks one results file; the error names the file. */
function readBenchFile(file: string, source: string): BenchFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`docs generate: ${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return parseBenchFile(json, source);
  } catch (error) {
    throw new Error(`docs generate: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The measured subsections (`### …` with at least one table) of the `## Benchmark` section of a
 * README, as written; throws when there is none.
 */
export function readmeBenchmark(readme: string, source: string): string {
  const start = readme.search(/^## Benchmark\s*$/m);
  if (start === -1) throw new Error(`docs generate: ${source} has no "## Benchmark" section`);
  const rest = readme.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => /^## /.test(line));
  const section = (end === -1 ? rest : rest.slice(0, end)).join('\n');
  const subsections = section
    .split(/^(?=### )/m)
    .filter((part) => part.startsWith('### ') && /^\|.*\|\s*$/m.test(part))
    .map((part) => part.trim());
  if (subsections.length === 0)
    throw new Error(`docs generate: the "## Benchmark" section of ${source} has no "###" subsection with a table`);
  return [`From \`${source}\`, where the benchmark's figures are recorded with their machines:`, ...subsections].join('\n\n');
}

/** Returns the benchmark fragment: one part per committed results file, or the README's figures. */
export function benchmarkSection(): Fragments {
  if (listBenchmarkFiles().length === 0) {
    const readmePath = join(BENCH_PACKAGE_DIR, 'README.md');
    if (!existsSync(readmePath)) findBenchmarkFiles(); // throws the message that says what is expected
    return { benchmark: readmeBenchmark(readFileSync(readmePath, 'utf8'), relative(join(PACKAGES_DIR, '..'), readmePath)) };
  }
  const parts = findBenchmarkFiles().map((file) => {
    const source = relative(join(PACKAGES_DIR, '..'), file);
    const bench = readBenchFile(file, source);
    const device =
      bench.results.find((entry) => entry.target !== 'backend-cpu' && entry.device !== undefined)?.device ?? 'no GPU.js mode ran';
    return [`### ${bench.machine.cpu ?? 'machine'} — ${device}`, '', benchmarkMarkdown(bench, source)].join('\n');
  });
  return { benchmark: parts.join('\n\n') };
}
