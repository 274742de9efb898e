/**
 * `npm run bench`: trains `lenet5` (d2l's LeNet) for a few steps on backend-cpu and on every
 * requested gpu.js mode, each in its own Node process, times each LeNet kernel too, then prints
 * Markdown tables with the ratio to backend-cpu and writes everything as JSON. With `--peers`,
 * TensorFlow.js (wasm) and PyTorch train the same network from the same initial parameters on the
 * same batches in the same run, and the tables give the ratio of every LeNet.ts mode to each.
 *
 * Every target reads one batches file (see `bench-batches.ts`) written here first, so the data
 * order is the same for all of them. The targets run in interleaved rounds (`--rounds`, see
 * `rounds.ts`), each in a process pinned to the run's cores (`--cores`, see `core-pinning.ts`).
 * The run fails (exit 1) when a target fails or when a peer's first-step loss differs from
 * LeNet.ts's (see `first-step-losses.ts`).
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROCESS_IO } from '../cli/cli-io.js';
import { EXIT } from '../cli/exit-codes.js';
import { reportFailure } from '../cli/report-failure.js';
import { benchCommandLine, parseBenchArguments, type BenchArguments } from './bench-arguments.js';
import { drawBenchBatches, writeBenchBatches } from './bench-batches.js';
import type { BenchFile } from './bench-file.js';
import { BENCH_RECIPE } from './bench-network.js';
import type { BenchResult } from './bench-result.js';
import { corePinning, type CorePinning } from './core-pinning.js';
import { benchProblems, describeFirstLosses } from './first-step-losses.js';
import { formatKernelTable, formatTrainingTable } from './format-bench.js';
import { describeMachine } from './machine.js';
import { formatPeerTable } from './peers/format-peers.js';
import { peerRatios } from './peers/peer-ratios.js';
import type { PeerResult } from './peers/peer-result.js';
import { describeCpu } from './process-cpu.js';
import { combineRounds } from './rounds.js';
import { runLenetTarget, runPytorchTarget, runTfjsPeer } from './run-targets.js';

function reportTarget(name: string, result: BenchResult | PeerResult, round: string): void {
  const cpu = describeCpu(result.cpu);
  if (result.training !== undefined) {
    process.stderr.write(
      `bench: ${round}${name}: ${result.training.msPerStep.toFixed(1)} ms/step, ${Math.round(result.training.examplesPerSecond)} examples/s (${cpu})\n`,
    );
  } else {
    const unavailable = 'unavailable' in result ? result.unavailable : undefined;
    const why = (unavailable ?? result.error ?? '').split('\n')[0];
    process.stderr.write(`bench: ${round}${name}: ${unavailable !== undefined ? 'not here' : 'not run'}: ${why}\n`);
  }
}

/** Every target once per round, interleaved: round 1 of all, then round 2 of all, … */
function runRounds(batchesFile: string, options: BenchArguments, pinning: CorePinning): { results: BenchResult[]; peers: PeerResult[] } {
  const targets = [...(options.baseline ? ['backend-cpu'] : []), ...options.modes];
  const forwarded = ['--batch', String(options.batch), '--kernel-reps', String(options.kernelReps), '--step', options.stepMode];
  if (pinning.pinned) forwarded.push('--cores', String(pinning.cores));
  if (options.deviceInfo) forwarded.push('--device-info');
  const lenetRounds: BenchResult[][] = targets.map(() => []);
  const peerRounds: PeerResult[][] = options.peers ? [[], []] : [];
  for (let round = 0; round < options.rounds; round++) {
    const prefix = options.rounds === 1 ? '' : `round ${round + 1}/${options.rounds}: `;
    // the kernel timings are taken once, in the first round
    const kernels = options.kernels && round === 0 ? [] : ['--no-kernels'];
    targets.forEach((target, t) => {
      process.stderr.write(`bench: ${prefix}${target} ...\n`);
      const result = runLenetTarget(target, batchesFile, [...forwarded, ...kernels], pinning);
      const kept = round === 0 ? result : { ...result, kernels: lenetRounds[t][0]?.kernels };
      lenetRounds[t].push(kept);
      reportTarget(target, result, prefix);
    });
    if (options.peers) {
      process.stderr.write(`bench: ${prefix}TensorFlow.js (wasm) ...\n`);
      const tfjs = runTfjsPeer(batchesFile, options, pinning);
      peerRounds[0].push(tfjs);
      reportTarget(tfjs.label, tfjs, prefix);
      process.stderr.write(`bench: ${prefix}PyTorch ...\n`);
      const pytorch = runPytorchTarget(batchesFile, options, pinning);
      peerRounds[1].push(pytorch);
      reportTarget(pytorch.label, pytorch, prefix);
    }
  }
  return { results: lenetRounds.map(combineRounds), peers: peerRounds.map(combineRounds) };
}

/**
 * Runs the benchmark with `argv` (without node and the script).
 * @returns the exit code: 0 done (also `--help`), 1 a target failed, 2 bad options.
 */
export async function runBench(argv: readonly string[]): Promise<number> {
  const usage = benchCommandLine().helpInformation();
  let options: BenchArguments;
  try {
    const parsed = parseBenchArguments(argv);
    if (parsed === 'help') {
      process.stdout.write(`${usage}\n`);
      return EXIT.ok;
    }
    options = parsed;
  } catch (error) {
    return reportFailure('bench', error, PROCESS_IO, usage);
  }
  let pinning: CorePinning;
  try {
    pinning = corePinning(options.cores);
  } catch (error) {
    return reportFailure('bench', error, PROCESS_IO, usage);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'lenet-bench-'));
  const batchesFile = join(workDir, 'batches.safetensors');
  let results: BenchResult[];
  let peers: PeerResult[] = [];
  try {
    writeBenchBatches(
      batchesFile,
      await drawBenchBatches({ batch: options.batch, warmup: options.warmup, steps: options.steps, seed: options.seed }),
    );
    ({ results, peers } = runRounds(batchesFile, options, pinning));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const machine = describeMachine(pinning);
  const file: BenchFile = {
    date: new Date().toISOString(),
    machine,
    batch: options.batch,
    steps: options.steps,
    warmup: options.warmup,
    seed: options.seed,
    rounds: options.rounds,
    recipe: { ...BENCH_RECIPE },
    results,
    ...(options.peers ? { peers, ratios: peerRatios(results, peers) } : {}),
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(file, null, 2)}\n`);
  const lines = [
    `LeNet (d2l, sigmoid + avg-pool) training step on Fashion-MNIST, batch ${options.batch}, lr ${BENCH_RECIPE.lr}, median of ${options.steps} steps after ${options.warmup} warm-up, ${options.rounds} interleaved round${options.rounds === 1 ? '' : 's'}`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; every target on ${pinning.cores} core${pinning.cores === 1 ? '' : 's'}${pinning.pinned ? ' (pinned with taskset)' : ''}`,
    '',
    formatTrainingTable(results, pinning.cores),
    ...results.flatMap((result) => {
      const calls = result.training?.webGpuCallsPerStep;
      return calls === undefined
        ? []
        : [
            `${result.target} per timed step: ${calls.dispatches} kernel launches, ${calls.submits} submits, ${calls.buffersCreated} buffers and ${calls.bindGroupsCreated} bind groups created, ${calls.readbacks} read-backs (the loss, read after every step here)`,
          ];
    }),
    '',
    formatKernelTable(results),
  ];
  if (options.peers) {
    lines.push(
      '',
      `Peers: the same network, initial parameters and batches, in this run (vs: LeNet.ts ÷ peer, examples/s, round by round, on ${pinning.cores} core${pinning.cores === 1 ? '' : 's'})`,
      '',
      formatPeerTable(results, peers, pinning.cores),
    );
    lines.push('', `first-step loss (same start, same batch): ${describeFirstLosses(results, peers)}`);
  }
  if (options.deviceInfo) {
    for (const result of results) {
      lines.push('', `${result.target}: ${result.device ?? '—'} (${result.reason ?? result.error ?? ''})`);
      for (const [key, value] of Object.entries(result.deviceInfo ?? {})) lines.push(`  ${key}: ${String(value)}`);
    }
  }
  lines.push('', `results written to ${options.out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const problems = benchProblems(results, peers);
  for (const problem of problems) process.stderr.write(`bench: ${problem}\n`);
  return problems.length === 0 ? EXIT.ok : EXIT.unexpected;
}
