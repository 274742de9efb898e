/**
 * The whole-run table of a README, derived from a committed whole-run results file. The README
 * marks the place and names the file (relative to the README):
 *
 *   <!-- whole-run-table: bench-results/whole-runs/2-cores-no-gpu.json -->
 *   … generated: do not edit …
 *   <!-- /whole-run-table -->
 *
 * `npm run bench:readme` rewrites every marked block; a test fails when a block and its file disagree.
 * @module
 */
import { describeCpu } from '../process-cpu.js';
import { epochsSeconds, parseWholeRunFile, type WholeRunFile, type WholeRunResult } from './whole-run-file.js';

const BLOCK = /<!-- whole-run-table: (\S+) -->\n[\s\S]*?<!-- \/whole-run-table -->/g;

/** The table's columns. */
const COLUMNS = 10;

const integer = (value: number): string => Math.round(value).toLocaleString('en-US');

/** `12–15` (or `12` when both ends round alike). */
function range(values: readonly number[], format: (value: number) => string): string {
  const low = format(Math.min(...values));
  const high = format(Math.max(...values));
  return low === high ? low : `${low}–${high}`;
}

function row(result: WholeRunResult, lenet: WholeRunResult | undefined): string {
  const epochs = result.epochs ?? [];
  const last = epochs.at(-1);
  if (last === undefined) {
    const why = (result.unavailable ?? result.error ?? 'no epochs').split('\n')[0].replaceAll('|', '\\|');
    return `| ${result.label} | not run: ${why} |${' |'.repeat(COLUMNS - 2)}`;
  }
  const cores = result.cpu === undefined ? `as recorded in \`${result.details?.recordedRun ?? '?'}\`` : describeCpu(result.cpu);
  const total = epochsSeconds(result);
  const wall = result.wallSeconds === undefined || result.wallSeconds === null ? '—' : integer(result.wallSeconds);
  const lenetEpochs = lenet?.epochs === undefined || lenet === result ? 0 : epochsSeconds(lenet);
  const ratio = lenetEpochs > 0 ? `**${(total / lenetEpochs).toFixed(2)}×**` : '—';
  const cells = [
    result.label,
    cores,
    integer(total),
    wall,
    range(
      epochs.map((epoch) => epoch.epochSeconds),
      (value) => value.toFixed(1),
    ),
    range(
      epochs.map((epoch) => epoch.examplesPerSec),
      integer,
    ),
    last.trainLoss.toFixed(3),
    last.trainAcc.toFixed(3),
    last.testAcc.toFixed(3),
    ratio,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The block's content for `file` (read from `source`): where and how it was measured, then the table. */
export function renderWholeRunTable(file: WholeRunFile, source: string): string {
  const { machine, recipe } = file;
  const coresUsed = Number(machine.coresUsed ?? machine.cores);
  const pinned = machine.pinned === 'yes, taskset' ? ', each process pinned to them with taskset' : '';
  const recipeText = Object.entries(recipe)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  const lenet = file.results.find((result) => result.target === 'lenet' && result.epochs !== undefined);
  const epochCount = Math.max(0, ...file.results.map((result) => result.epochs?.length ?? 0));
  return [
    `Measured ${file.date.slice(0, 10)} on ${machine.cpu ?? 'an unrecorded CPU'}, ${machine.cores ?? '?'} cores; the peers on ` +
      `${coresUsed} core${coresUsed === 1 ? '' : 's'}${pinned}, one after the other (from \`${source}\`). Recipe: ${recipeText}. ` +
      `Epochs = the ${epochCount} epochs' time, steps and test evaluations (Σ epochSeconds); wall = the process, start to exit; ` +
      "loss and accuracies after the last epoch; LeNet.ts against it = its epochs ÷ LeNet.ts's.",
    '',
    '| | cores, threads | epochs (s) | wall (s) | s per epoch | examples/s | train loss | train acc | test acc | LeNet.ts against it |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...file.results.map((result) => row(result, lenet)),
  ].join('\n');
}

/**
 * `readme` with every marked whole-run block regenerated (unchanged when it has none);
 * `readJson(name)` returns the parsed JSON of the file the marker names.
 */
export function updateWholeRunTables(readme: string, readJson: (name: string) => unknown): string {
  return readme.replace(BLOCK, (_block, name: string) => {
    const table = renderWholeRunTable(parseWholeRunFile(readJson(name), name), name);
    return `<!-- whole-run-table: ${name} -->\n${table}\n<!-- /whole-run-table -->`;
  });
}
