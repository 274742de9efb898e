/**
 * `npm run bench`: times a LeNet training step (and each of its kernels) on backend-cpu and on
 * every requested gpu.js mode, each in its own Node process, then prints Markdown tables with the
 * ratio to backend-cpu and writes everything as JSON.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, parseBenchArguments } from './bench-arguments.js';
import { RESULT_PREFIX, type BenchResult } from './bench-result.js';
import { formatKernelTable, formatTrainingTable } from './format-bench.js';

function runTarget(target: string, argv: readonly string[]): BenchResult {
  const script = fileURLToPath(new URL('./bench-one.js', import.meta.url));
  process.stderr.write(`bench: ${target} ...\n`);
  const child = spawnSync(process.execPath, [script, target, ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = child.stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
  if (line === undefined) {
    return { target, error: `the benchmark process exited with ${child.status}: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  const result = JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult;
  if (result.training !== undefined) {
    process.stderr.write(`bench: ${target}: ${result.training.msPerStep.toFixed(1)} ms/step, ${Math.round(result.training.examplesPerSecond)} examples/s\n`);
  } else {
    process.stderr.write(`bench: ${target}: not run (${(result.error ?? '').split('\n')[0]})\n`);
  }
  return result;
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return;
  }
  const options = parseBenchArguments(argv);
  const forwarded = ['--batch', String(options.batch), '--steps', String(options.steps), '--kernel-reps', String(options.kernelReps)];
  if (!options.kernels) forwarded.push('--no-kernels');
  if (options.deviceInfo) forwarded.push('--device-info');
  const targets = [...(options.baseline ? ['backend-cpu'] : []), ...options.modes];
  const results = targets.map((target) => runTarget(target, forwarded));
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify({ date: new Date().toISOString(), machine, batch: options.batch, steps: options.steps, results }, null, 2)}\n`);
  const lines = [
    `LeNet (d2l, sigmoid + avg-pool) training step, batch ${options.batch}, median of ${options.steps} steps after one warm-up`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    '',
    formatTrainingTable(results),
    '',
    formatKernelTable(results),
  ];
  if (options.deviceInfo) {
    for (const result of results) {
      lines.push('', `${result.target}: ${result.device ?? '—'} (${result.reason ?? result.error ?? ''})`);
      for (const [key, value] of Object.entries(result.deviceInfo ?? {})) lines.push(`  ${key}: ${String(value)}`);
    }
  }
  lines.push('', `results written to ${options.out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const failed = results.filter((result) => result.error !== undefined);
  if (failed.length > 0) {
    process.stderr.write(`bench: ${failed.length} of ${results.length} targets failed: ${failed.map((result) => result.target).join(', ')}\n`);
    process.exitCode = 1;
  }
}

main();
