/**
 * The benchmark table of a README, derived from a committed results file. The README marks the
 * place and names the file (relative to the README):
 *
 *   <!-- bench-table: bench-results/peers-2-cores-no-gpu.json -->
 *   … generated: do not edit …
 *   <!-- /bench-table -->
 *
 * `npm run bench:readme` rewrites every marked block; a test fails when a block and its file disagree.
 * @module
 */
import { coresOfRun, parseBenchFile, type BenchFile } from './bench-file.js';
import { coresLabel } from './format-bench.js';
import { formatPeerTable } from './peers/format-peers.js';

const BLOCK = /<!-- bench-table: (\S+) -->\n[\s\S]*?<!-- \/bench-table -->/g;

/**
 * The block's content for `file` (read from `source`): where and how it was measured (the cores
 * every target ran on, the rounds), then the table, whose every ratio names those cores.
 */
export function renderBenchTable(file: BenchFile, source: string): string {
  const cores = coresOfRun(file);
  const pinned = file.machine.pinned === 'yes, taskset' ? ', each process pinned to them with taskset' : '';
  const rounds = file.rounds ?? 1;
  const roundsText = rounds === 1 ? 'one round' : `the median of ${rounds} interleaved rounds (min–max beside it)`;
  const machine = Object.entries(file.machine)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  const warmup = file.warmup === undefined ? '' : ` after ${file.warmup} warm-up step${file.warmup === 1 ? '' : 's'}`;
  return [
    `Measured ${file.date.slice(0, 10)} on ${machine === '' ? 'an unrecorded machine' : machine}: batch ${file.batch}, ` +
      `the median of ${file.steps} steps${warmup}, ${roundsText}, every target in the same run on the same batches and on ${coresLabel(cores)}${pinned} ` +
      `(from \`${source}\`; vs = LeNet.ts ÷ peer, examples/s, on ${coresLabel(cores)}).`,
    '',
    formatPeerTable(file.results, file.peers ?? [], cores),
  ].join('\n');
}

/**
 * `readme` with every marked block regenerated; `readJson(name)` returns the parsed JSON of the file
 * the marker names.
 * @throws when the README has no marked block, or a file does not read as results.
 */
export function updateBenchTables(readme: string, readJson: (name: string) => unknown): string {
  let found = 0;
  const updated = readme.replace(BLOCK, (_block, name: string) => {
    found++;
    const table = renderBenchTable(parseBenchFile(readJson(name), name), name);
    return `<!-- bench-table: ${name} -->\n${table}\n<!-- /bench-table -->`;
  });
  if (found === 0) throw new Error('bench-readme: no <!-- bench-table: <results.json> --> … <!-- /bench-table --> block found');
  return updated;
}
