/**
 * Guide 6's benchmark: the JSON that `npm run bench -w @lenet/backend-gpu` wrote and the package
 * committed, shown as tables. The JSON is read generically — every array of objects becomes a table
 * with one column per key, every top-level scalar a line of context (machine, date) — so the page
 * follows the benchmark's format instead of copying its numbers.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Fragments } from '../fragments.js';
import { markdownTable, withThousands } from '../markdown.js';
import { PACKAGES_DIR } from '../paths.js';

const BACKEND_GPU_DIR = join(PACKAGES_DIR, 'backend-gpu');
/** Folders of backend-gpu searched for a committed `*bench*.json`, in order. */
const SEARCHED = ['', 'bench', 'benchmarks', 'bench-results', 'results'];

/** The committed benchmark JSON of backend-gpu; none is an error that says where it is expected. */
export function findBenchmarkJson(): string {
  for (const folder of SEARCHED) {
    const dir = join(BACKEND_GPU_DIR, folder);
    if (!existsSync(dir)) continue;
    const file = readdirSync(dir).sort().find((name) => /bench.*\.json$/i.test(name));
    if (file !== undefined) return join(dir, file);
  }
  throw new Error(
    `docs generate: no benchmark results: expected a committed *bench*.json in packages/backend-gpu/ (or its ${SEARCHED.slice(1).join('/, ')}/ folders), ` +
      'written by `npm run bench -w @lenet/backend-gpu`',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatCell(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return withThousands(value);
    return Math.abs(value) >= 100 ? withThousands(Math.round(value)) : String(Number(value.toPrecision(3)));
  }
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function tableOf(rows: ReadonlyArray<Record<string, unknown>>): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const numeric = columns.map((key) => rows.every((row) => typeof row[key] === 'number' || row[key] === undefined));
  return markdownTable(
    columns,
    rows.map((row) => columns.map((key) => formatCell(row[key]))),
    numeric.map((isNumber) => (isNumber ? 'r' : 'l')),
  );
}

/** Tables (one per array of objects, found at any depth) and context lines of a benchmark JSON. */
export function benchmarkMarkdown(json: unknown, source: string): string {
  const parts: string[] = [];
  const context: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      parts.push(`**${path === '' ? 'results' : path}**`, '', tableOf(value), '');
    } else if (isRecord(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, path === '' ? key : `${path}.${key}`);
    } else if (!Array.isArray(value)) {
      context.push(`- ${path}: ${formatCell(value)}`);
    }
  };
  visit(json, '');
  if (parts.length === 0) throw new Error(`docs generate: ${source} holds no table (no array of result objects)`);
  return [`From \`${source}\`:`, '', ...context, '', ...parts].join('\n');
}

/** Returns the benchmark fragment. */
export function benchmarkSection(): Fragments {
  const file = findBenchmarkJson();
  const source = relative(join(PACKAGES_DIR, '..'), file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`docs generate: ${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    benchmark: [
      'How fast one training step of `lenet5` at batch 256 runs on `@lenet/backend-cpu` and on each GPU.js mode',
      'available where the benchmark ran, with per-kernel times. One training example is about 2.26 MFLOP.',
      '',
      benchmarkMarkdown(json, source),
      '',
      'Re-run it with `npm run bench -w @lenet/backend-gpu`.',
    ].join('\n'),
  };
}
