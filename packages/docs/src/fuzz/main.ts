/**
 * `npm run fuzz -- [--runs 10000] [--seed N] [--door name]… [--record file.json]`: fuzzes every
 * door (see `doors.ts`) with `--runs` cases each from `--seed`, prints the cases per door and the
 * failures, and keeps the shrunk counterexample of each failure as a regression test: a JSON file in
 * `packages/docs/test/fixtures/fuzz-regressions/`, which `test/fuzz.test.ts` replays in `npm test`.
 * `--record` also writes the reports as JSON (what `fuzz-results/` holds). Exit code 1 when a door
 * failed, 2 for bad options.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, type DoorReport, fuzzDoor } from './door-property.js';
import { allDoors, removeScratch } from './doors.js';
import { keepRegression } from './regressions.js';

function integerOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    console.error(`fuzz: ${name} must be a non-negative integer, got '${value}'`);
    process.exit(2);
  }
  return parsed;
}

function reportLine(report: DoorReport): string {
  const failure = report.failure;
  return (
    `${report.door.padEnd(22)} ${String(report.cases).padStart(6)} cases: ${report.valid} valid, ${report.typedErrors} typed errors; ` +
    `${failure?.kind === 'crash' ? 1 : 0} crashes (untyped errors), ${failure?.kind === 'hang' ? 1 : 0} hangs, ` +
    `${failure?.kind === 'over-budget' ? 1 : 0} over the allocation budget, ${failure?.kind === 'bad-message' ? 1 : 0} bad messages; ` +
    `slowest ${report.slowestMs.toFixed(1)} ms, most allocated ${report.mostChargedBytes} bytes`
  );
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    door: { type: 'string', multiple: true },
    record: { type: 'string' },
  },
});
const runs = integerOption(values.runs, '--runs', 10_000);
const seed = integerOption(values.seed, '--seed', Date.now() % 2 ** 31);
const doors = allDoors().filter((door) => values.door === undefined || values.door.includes(door.name));
if (doors.length === 0) {
  console.error(
    `fuzz: no door is named ${values.door?.join(', ')}; the doors are ${allDoors()
      .map((door) => door.name)
      .join(', ')}`,
  );
  process.exit(2);
}

console.log(`fuzz: ${runs} cases per door, seed ${seed}, ${doors.length} doors (a case fails past ${DEFAULT_LIMITS.caseMs} ms)`);
const started = Date.now();
const reports: DoorReport[] = [];
try {
  for (const door of doors) {
    const report = await fuzzDoor(door, { runs, seed });
    reports.push(report);
    console.log(reportLine(report));
    const kept = keepRegression(report);
    if (report.failure !== null && kept !== null) {
      console.log(`  FAILED (${report.failure.shrinks} shrinks): ${report.failure.message}`);
      console.log(`  kept as a regression test: ${relative(process.cwd(), kept)}`);
    }
  }
} finally {
  removeScratch();
}
const failed = reports.filter((report) => report.failure !== null);
const total = reports.reduce((sum, report) => sum + report.cases, 0);
const seconds = (Date.now() - started) / 1000;
console.log(
  `fuzz: ${total} cases in ${seconds.toFixed(0)} s, ${failed.length} doors failed${failed.length > 0 ? `: ${failed.map((r) => r.door).join(', ')}` : ''}`,
);
if (values.record !== undefined) {
  const record = {
    command: `npm run fuzz -- --runs ${runs} --seed ${seed}`,
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    limits: DEFAULT_LIMITS,
    seconds,
    reports,
  };
  writeFileSync(values.record, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`fuzz: recorded in ${values.record}`);
}
process.exitCode = failed.length > 0 ? 1 : 0;
