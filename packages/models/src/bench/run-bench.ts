/**
 * `npm run bench`: trains `lenet5` (d2l's LeNet) for a few steps on backend-cpu and on every
 * requested gpu.js mode, each in its own Node process, times each LeNet kernel too, then prints
 * Markdown tables with the ratio to backend-cpu and writes everything as JSON. With `--peers`,
 * TensorFlow.js (wasm) and PyTorch train the same network from the same initial parameters on the
 * same batches in the same run, and the tables give the ratio of every LeNet.ts mode to each.
 *
 * Every target reads one batches file (see `bench-batches.ts`) written here first, so the data
 * order is the same for all of them.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROCESS_IO } from '../cli/cli-io.js';
import { EXIT } from '../cli/exit-codes.js';
import { reportFailure } from '../cli/report-failure.js';
import { benchCommandLine, parseBenchArguments, type BenchArguments } from './bench-arguments.js';
import { drawBenchBatches, writeBenchBatches } from './bench-batches.js';
import type { BenchFile } from './bench-file.js';
import { BENCH_RECIPE } from './bench-network.js';
import { RESULT_PREFIX, type BenchResult } from './bench-result.js';
import { formatKernelTable, formatTrainingTable } from './format-bench.js';
import { formatPeerTable } from './peers/format-peers.js';
import { peerRatios } from './peers/peer-ratios.js';
import { PEER_RESULT_PREFIX, type PeerResult } from './peers/peer-result.js';
import { runPytorchPeer } from './peers/pytorch-peer.js';

/** The line of a child's stdout that starts with `prefix`, parsed; null when there is none. */
function resultLine(stdout: string, prefix: string): unknown {
  const line = stdout.split('\n').find((text) => text.startsWith(prefix));
  return line === undefined ? null : JSON.parse(line.slice(prefix.length));
}

function childFailure(status: number | null, stderr: string): string {
  return `the benchmark process exited with ${status}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
}

function runTarget(target: string, batchesFile: string, argv: readonly string[]): BenchResult {
  const script = fileURLToPath(new URL('./bench-one.js', import.meta.url));
  process.stderr.write(`bench: ${target} ...\n`);
  const child = spawnSync(process.execPath, [script, target, batchesFile, ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const parsed = resultLine(child.stdout, RESULT_PREFIX);
  // the child wrote a BenchResult with JSON.stringify (bench-one.ts)
  const result: BenchResult = parsed === null ? { target, error: childFailure(child.status, child.stderr) } : (parsed as BenchResult);
  if (result.training !== undefined) {
    process.stderr.write(
      `bench: ${target}: ${result.training.msPerStep.toFixed(1)} ms/step, ${Math.round(result.training.examplesPerSecond)} examples/s\n`,
    );
  } else {
    process.stderr.write(`bench: ${target}: not run (${(result.error ?? '').split('\n')[0]})\n`);
  }
  return result;
}

function runTfjsPeer(batchesFile: string): PeerResult {
  const script = fileURLToPath(new URL('./peers/tfjs-peer.js', import.meta.url));
  const child = spawnSync(process.execPath, [script, batchesFile], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const parsed = resultLine(child.stdout, PEER_RESULT_PREFIX);
  // the child wrote a PeerResult with JSON.stringify (tfjs-peer.ts)
  return parsed === null
    ? { peer: 'tfjs-wasm', label: 'TensorFlow.js (wasm)', error: childFailure(child.status, child.stderr) }
    : (parsed as PeerResult);
}

function reportPeer(result: PeerResult): void {
  if (result.training !== undefined) {
    process.stderr.write(
      `bench: ${result.label}: ${result.training.msPerStep.toFixed(1)} ms/step, ${Math.round(result.training.examplesPerSecond)} examples/s (${result.device ?? ''})\n`,
    );
  } else {
    process.stderr.write(
      `bench: ${result.label}: ${result.unavailable !== undefined ? 'not here' : 'failed'}: ${(result.unavailable ?? result.error ?? '').split('\n')[0]}\n`,
    );
  }
}

function runPeers(batchesFile: string, options: BenchArguments): PeerResult[] {
  process.stderr.write('bench: TensorFlow.js (wasm) ...\n');
  const tfjs = runTfjsPeer(batchesFile);
  reportPeer(tfjs);
  process.stderr.write('bench: PyTorch ...\n');
  const pytorch = runPytorchPeer(batchesFile, {
    python: options.python,
    threads: cpus().length,
    batch: options.batch,
    warmup: options.warmup,
  });
  reportPeer(pytorch);
  return [tfjs, pytorch];
}

/** The first step's losses: every target starts from the same parameters on the same batch, so they agree. */
function firstLosses(results: readonly BenchResult[], peers: readonly PeerResult[]): string {
  const entries = [
    ...results.map((r) => [r.target, r.training?.losses[0]] as const),
    ...peers.map((p) => [p.peer, p.training?.losses[0]] as const),
  ];
  return entries
    .filter(([, loss]) => loss !== undefined)
    .map(([name, loss]) => `${name} ${loss?.toFixed(5)}`)
    .join(', ');
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
  const forwarded = ['--batch', String(options.batch), '--kernel-reps', String(options.kernelReps), '--step', options.stepMode];
  if (!options.kernels) forwarded.push('--no-kernels');
  if (options.deviceInfo) forwarded.push('--device-info');
  const workDir = mkdtempSync(join(tmpdir(), 'lenet-bench-'));
  const batchesFile = join(workDir, 'batches.safetensors');
  let results: BenchResult[];
  let peers: PeerResult[] = [];
  try {
    writeBenchBatches(
      batchesFile,
      await drawBenchBatches({ batch: options.batch, warmup: options.warmup, steps: options.steps, seed: options.seed }),
    );
    const targets = [...(options.baseline ? ['backend-cpu'] : []), ...options.modes];
    results = targets.map((target) => runTarget(target, batchesFile, forwarded));
    if (options.peers) peers = runPeers(batchesFile, options);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const file: BenchFile = {
    date: new Date().toISOString(),
    machine,
    batch: options.batch,
    steps: options.steps,
    warmup: options.warmup,
    seed: options.seed,
    recipe: { ...BENCH_RECIPE },
    results,
    ...(options.peers ? { peers, ratios: peerRatios(results, peers) } : {}),
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(file, null, 2)}\n`);
  const lines = [
    `LeNet (d2l, sigmoid + avg-pool) training step on Fashion-MNIST, batch ${options.batch}, lr ${BENCH_RECIPE.lr}, median of ${options.steps} steps after ${options.warmup} warm-up`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    '',
    formatTrainingTable(results),
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
      'Peers: the same network, initial parameters and batches, in this run (vs: LeNet.ts ÷ peer, examples/s)',
      '',
      formatPeerTable(results, peers),
    );
    lines.push('', `first-step loss (same start, same batch): ${firstLosses(results, peers)}`);
  }
  if (options.deviceInfo) {
    for (const result of results) {
      lines.push('', `${result.target}: ${result.device ?? '—'} (${result.reason ?? result.error ?? ''})`);
      for (const [key, value] of Object.entries(result.deviceInfo ?? {})) lines.push(`  ${key}: ${String(value)}`);
    }
  }
  lines.push('', `results written to ${options.out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const failed = [...results.map((r) => [r.target, r.error] as const), ...peers.map((p) => [p.peer, p.error] as const)].filter(
    ([, error]) => error !== undefined,
  );
  if (failed.length > 0) {
    process.stderr.write(
      `bench: ${failed.length} of ${results.length + peers.length} targets failed: ${failed.map(([name]) => name).join(', ')}\n`,
    );
    return EXIT.unexpected;
  }
  return EXIT.ok;
}
