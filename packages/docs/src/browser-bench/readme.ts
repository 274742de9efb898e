/**
 * Puts the browser benchmark's table into the docs README, between `<!-- browser-bench -->` and
 * `<!-- /browser-bench -->`, from the committed results file. `run.ts` calls it after recording the
 * default file; `node dist/browser-bench/readme.js` redoes it from the file as it is.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserBenchFile } from './results.js';
import { browserBenchTable } from './table.js';

const DOCS_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The README the table goes into. */
export const DOCS_README = join(DOCS_DIR, 'README.md');
/** The committed results file the README's table is drawn from. */
export const BROWSER_BENCH_FILE = join(DOCS_DIR, 'bench-results', 'browser-2-cores-no-gpu.json');
const MARKERS = /(<!-- browser-bench -->\n)[\s\S]*?(<!-- \/browser-bench -->)/;

/** The README's text with the table of `file` (read from `path`) between the markers. */
export function readmeWithTable(readme: string, file: BrowserBenchFile, path: string): string {
  if (!MARKERS.test(readme))
    throw new Error('bench:browser: the docs README has no <!-- browser-bench --> … <!-- /browser-bench --> markers');
  const table = browserBenchTable(file, relative(join(DOCS_DIR, '..', '..'), path));
  return readme.replace(MARKERS, (_, open: string, close: string) => `${open}${table}\n${close}`);
}

/** Reads a results file (written by `run.ts`). */
export function readBrowserBenchFile(path: string = BROWSER_BENCH_FILE): BrowserBenchFile {
  // written by run.ts with JSON.stringify of a BrowserBenchFile
  return JSON.parse(readFileSync(path, 'utf8')) as BrowserBenchFile;
}

/** Rewrites the README's table from the committed file. */
export function writeBrowserBenchReadme(): void {
  const readme = readFileSync(DOCS_README, 'utf8');
  writeFileSync(DOCS_README, readmeWithTable(readme, readBrowserBenchFile(), BROWSER_BENCH_FILE));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeBrowserBenchReadme();
  console.log(`bench:browser: the table in ${relative(process.cwd(), DOCS_README)} follows ${relative(process.cwd(), BROWSER_BENCH_FILE)}`);
}
