#!/usr/bin/env node
/**
 * `npm run bench:readme`: regenerates the benchmark tables of packages/models/README.md from the
 * results files their markers name (see `../bench/readme-table.ts`, and `../bench/whole-run/whole-run-table.ts` for the whole-run tables). With `--check` it changes
 * nothing and exits 1 when a table is out of date.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { updateBenchTables } from '../bench/readme-table.js';
import { updateWholeRunTables } from '../bench/whole-run/whole-run-table.js';

/** The package root: `src/cli/` and `dist/cli/` are both two levels below it. */
const PACKAGE_DIR = new URL('../../', import.meta.url);

function main(argv: readonly string[]): number {
  const readmePath = fileURLToPath(new URL('README.md', PACKAGE_DIR));
  const readme = readFileSync(readmePath, 'utf8');
  const readJson = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(name, PACKAGE_DIR)), 'utf8'));
  const updated = updateWholeRunTables(updateBenchTables(readme, readJson), readJson);
  if (argv.includes('--check')) {
    if (updated !== readme)
      process.stderr.write('bench-readme: the README benchmark table differs from its results file; run npm run bench:readme\n');
    return updated === readme ? 0 : 1;
  }
  writeFileSync(readmePath, updated);
  process.stdout.write(updated === readme ? 'bench-readme: README already up to date\n' : 'bench-readme: README benchmark table updated\n');
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
