/**
 * The benchmark's pure pieces (moved here from backend-gpu with the benchmark): its arguments, the
 * step summary, the rounds, the core pinning, the first-step loss check, the training and peers
 * tables with their ratios and cores, and the results-file reader.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArguments } from '../src/bench/bench-arguments.js';
import { coresOfRun, parseBenchFile } from '../src/bench/bench-file.js';
import { pinnedCommand } from '../src/bench/core-pinning.js';
import { benchProblems, firstLossDisagreements } from '../src/bench/first-step-losses.js';
import type { ProcessCpu } from '../src/bench/process-cpu.js';
import { combineRounds } from '../src/bench/rounds.js';
import { UsageError } from '../src/cli/usage-error.js';
import type { BenchResult } from '../src/bench/bench-result.js';
import { formatTrainingTable } from '../src/bench/format-bench.js';
import type { TrainingTiming } from '../src/bench/measure-backend.js';
import { formatPeerTable } from '../src/bench/peers/format-peers.js';
import { peerRatios } from '../src/bench/peers/peer-ratios.js';
import type { PeerResult } from '../src/bench/peers/peer-result.js';
import { median, summariseSteps } from '../src/bench/step-timing.js';

const cpu = (cores: number, threads: number | null): ProcessCpu => ({ cores, pinned: true, threads, threading: 'test' });

const timing = (msPerStep: number, losses: number[] = [2.4, 2.3]): TrainingTiming => ({
  batch: 256,
  firstStepMs: 1,
  msPerStep,
  examplesPerSecond: 256_000 / msPerStep,
  stepsMs: [msPerStep],
  warmupSteps: 1,
  losses,
  liveBuffers: [22, 22],
  stepMode: 'compiled',
});

describe('the benchmark', () => {
  it('defaults to backend-cpu plus the four CI modes at batch 256, and only WebGPU with --modes webgpu', () => {
    expect(parseBenchArguments([])).toMatchObject({
      modes: ['webgpu', 'headlessgl', 'webasm', 'cpu'],
      baseline: true,
      batch: 256,
      steps: 5,
      warmup: 1,
      peers: false,
      python: null,
      seed: 1,
      rounds: 3,
      cores: null,
      tfjsFilterGradient: 'conv',
    });
    expect(parseBenchArguments(['--cores', '1', '--rounds', '5', '--tfjs-filter-gradient', 'im2col'])).toMatchObject({
      cores: 1,
      rounds: 5,
      tfjsFilterGradient: 'im2col',
    });
    expect(() => parseBenchArguments(['--cores', '0'])).toThrow('--cores must be an integer ≥ 1, got 0');
    expect(() => parseBenchArguments(['--rounds', '0'])).toThrow('--rounds must be an integer ≥ 1, got 0');
    expect(() => parseBenchArguments(['--tfjs-filter-gradient', 'fft'])).toThrow(
      "--tfjs-filter-gradient must be one of conv, im2col; got 'fft'",
    );
    expect(parseBenchArguments(['--modes', 'webgpu', '--device-info'])).toMatchObject({
      modes: ['webgpu'],
      baseline: false,
      deviceInfo: true,
    });
    expect(parseBenchArguments(['--modes=webasm,cpu', '--baseline', '--batch=64'])).toMatchObject({
      modes: ['webasm', 'cpu'],
      baseline: true,
      batch: 64,
    });
    expect(parseBenchArguments(['--peers', '--warmup', '3', '--python', 'python3.11', '--seed', '0'])).toMatchObject({
      peers: true,
      warmup: 3,
      python: 'python3.11',
      seed: 0,
      stepMode: 'compiled',
    });
    expect(parseBenchArguments(['--step', 'eager'])).toMatchObject({ stepMode: 'eager' });
    expect(parseBenchArguments(['--no-kernels', '--modes', 'webgpu', '--baseline=false'])).toMatchObject({
      kernels: false,
      baseline: false,
    });
    expect(parseBenchArguments(['--help'])).toBe('help');
    expect(() => parseBenchArguments(['--step', 'jit'])).toThrow(
      new UsageError("--step must be one of compiled, eager; got 'jit'", '--step'),
    );
    expect(() => parseBenchArguments(['--modes', 'cuda'])).toThrow('--modes takes a comma-separated list');
    expect(() => parseBenchArguments(['--steps', '0'])).toThrow('--steps must be an integer ≥ 1, got 0');
    expect(() => parseBenchArguments(['--seed', '-1'])).toThrow('--seed must be an integer ≥ 0, got -1');
    expect(() => parseBenchArguments(['--python'])).toThrow("option '--python <command>' argument missing");
  });

  it("reports each backend's cores and threads, examples per second, the rounds and the ratio to backend-cpu", () => {
    const table = formatTrainingTable(
      [
        { target: 'backend-cpu', device: 'JS', cpu: cpu(1, 1), training: { ...timing(2560), stepMode: 'eager' } },
        {
          target: 'webasm',
          device: 'WebAssembly (no GPU)',
          cpu: cpu(2, 2),
          training: timing(640, [2.4237, 2.1]),
          rounds: { min: 380, median: 400, max: 410, examplesPerSecond: [410, 380, 400] },
        },
        { target: 'webgpu', error: 'gpu.js mode "webgpu" is not available: no adapter' },
      ],
      2,
    ).split('\n');
    expect(table[0]).toBe(
      '| backend | device | cores, threads | ms / step | examples / s (median round) | examples / s, min–max | vs backend-cpu, 2 cores | notes |',
    );
    expect(table).toContain(
      '| backend-cpu (eager) | JS | 1 core (pinned), 1 thread | 2560.0 | 100 | 1 round | 1.00× | first step 1 ms; loss 2.4000 → 2.3000 |',
    );
    expect(table).toContain(
      '| gpu.js webasm (compiled) | WebAssembly (no GPU) | 2 cores (pinned), 2 threads | 640.0 | 400 | 380–410 (3 rounds) | 4.00× | first step 1 ms; loss 2.4237 → 2.1000 |',
    );
    expect(table).toContain('| gpu.js webgpu | — | — | — | — | — | — | not run: gpu.js mode "webgpu" is not available: no adapter |');
  });
});

describe('rounds and cores', () => {
  it('stands for a target by its median round, with the spread of every round, and fails with a failed round', () => {
    const rounds = [{ training: timing(500) }, { training: timing(400) }, { training: timing(1000) }];
    const combined = combineRounds(rounds);
    expect(combined.training).toBe(rounds[0].training); // 512 ex/s, between 256 and 640
    expect(combined.rounds).toEqual({ min: 256, median: 512, max: 640, examplesPerSecond: [512, 640, 256] });
    const broken = combineRounds([{ training: timing(500) }, { error: 'lost the device' }, { training: timing(400) }]);
    expect(broken).toEqual({ error: 'lost the device' });
    expect(() => combineRounds([])).toThrow('no rounds');
  });

  it('pins a child to cores 0..N-1 with taskset, and leaves it alone without --cores', () => {
    expect(pinnedCommand({ cores: 1, pinned: true }, 'node', ['a.js'])).toEqual(['taskset', ['-c', '0', 'node', 'a.js']]);
    expect(pinnedCommand({ cores: 4, pinned: true }, 'python3', ['p.py', '--threads', '4'])).toEqual([
      'taskset',
      ['-c', '0-3', 'python3', 'p.py', '--threads', '4'],
    ]);
    expect(pinnedCommand({ cores: 2, pinned: false }, 'node', ['a.js'])).toEqual(['node', ['a.js']]);
  });
});

describe('the first-step loss check', () => {
  const lenet: BenchResult[] = [
    { target: 'webasm', training: timing(500, [2.40944, 2.3]) },
    { target: 'webgpu', training: timing(500, [2.40946, 2.3]) },
  ];
  const peer = (first: number): PeerResult => ({ peer: 'pytorch', label: 'PyTorch', training: timing(50, [first, 2.3]) });

  it('passes peers within 1e-4 of every LeNet.ts target', () => {
    expect(firstLossDisagreements(lenet, [peer(2.40949)])).toEqual([]);
    expect(benchProblems(lenet, [peer(2.40949)])).toEqual([]);
  });

  it('names a peer more than 1e-4 away, and a NaN loss, and fails the run with them', () => {
    expect(firstLossDisagreements(lenet, [peer(2.40958)])).toEqual([
      'pytorch 2.40958 differs from webasm 2.40944 by 1.4e-4 (> 0.0001)',
      'pytorch 2.40958 differs from webgpu 2.40946 by 1.2e-4 (> 0.0001)',
    ]);
    expect(firstLossDisagreements(lenet.slice(0, 1), [peer(Number.NaN)])).toEqual([
      'pytorch NaN differs from webasm 2.40944 by NaN (> 0.0001)',
    ]);
    expect(benchProblems(lenet, [peer(2.5)])).toEqual([
      expect.stringMatching(
        /^the first-step losses disagree by more than 0\.0001, so the peers did not train the same network: pytorch 2\.50000 differs from webasm/,
      ),
    ]);
    expect(benchProblems([{ target: 'webgpu', error: 'no adapter' }], [])).toEqual(['1 of 1 targets failed: webgpu']);
  });
});
describe('step timings', () => {
  it('takes the median of the steps after the warm-up, and examples/s at that median', () => {
    const summary = summariseSteps(256, 2, [900, 800, 130, 100, 120, 5000], [1, 2, 3, 4, 5, 6]);
    expect(summary.firstStepMs).toBe(900);
    expect(summary.stepsMs).toEqual([130, 100, 120, 5000]);
    expect(summary.msPerStep).toBe(130); // upper middle of 100, 120, 130, 5000
    expect(summary.examplesPerSecond).toBeCloseTo(256_000 / 130, 9);
    expect(median([3, 1, 2])).toBe(2);
    expect(() => summariseSteps(256, 2, [1, 2], [])).toThrow(/need more than the 2 warm-up steps/);
  });
});

describe('peers', () => {
  const results: BenchResult[] = [
    { target: 'webasm', device: 'WebAssembly (no GPU)', training: timing(500) }, // 512 ex/s
    { target: 'webgpu', error: 'no adapter' },
  ];
  const peers: PeerResult[] = [
    { peer: 'tfjs-wasm', label: 'TensorFlow.js 4.22.0 (wasm)', device: 'WebAssembly SIMD, 1 thread', training: timing(250) }, // 1024 ex/s
    { peer: 'pytorch', label: 'PyTorch', unavailable: 'no Python here imports torch' },
  ];

  it('divides each LeNet.ts target by each peer that trained, round by round, with the cores both ran on', () => {
    expect(peerRatios(results, peers)).toEqual([{ target: 'webasm', peer: 'tfjs-wasm', ratio: 0.5, min: 0.5, max: 0.5, cores: null }]);
    const twoPeers = [...peers.slice(0, 1), { peer: 'pytorch' as const, label: 'PyTorch 1.13 (CPU)', training: timing(50) }];
    expect(peerRatios(results, twoPeers).map((r) => [r.peer, r.ratio])).toEqual([
      ['tfjs-wasm', 0.5],
      ['pytorch', 0.1],
    ]);
    // rounds: 500/1000, 600/1000, 400/500 → median 0.6, min 0.5, max 0.8, on the 1 core both ran on
    const inRounds = peerRatios(
      [{ ...results[0], cpu: cpu(1, 1), rounds: { min: 400, median: 500, max: 600, examplesPerSecond: [500, 600, 400] } }],
      [{ ...peers[0], cpu: cpu(1, 1), rounds: { min: 500, median: 1000, max: 1000, examplesPerSecond: [1000, 1000, 500] } }],
    );
    expect(inRounds).toEqual([{ target: 'webasm', peer: 'tfjs-wasm', ratio: 0.6, min: 0.5, max: 0.8, cores: 1 }]);
  });

  it('prints one row per target and peer with cores and threads, a ratio column per measured peer naming the cores, and why a peer is missing', () => {
    const table = formatPeerTable(results, peers, 2).split('\n');
    expect(table[0]).toBe(
      '| target | device | cores, threads | ms / step | examples / s (median round) | examples / s, min–max | vs TensorFlow.js 4.22.0 (wasm), 2 cores | loss, first → last step |',
    );
    expect(table).toContain(
      '| LeNet.ts gpu.js webasm, compiled | WebAssembly (no GPU) | — | 500.0 | 512 | 1 round | 0.50× | 2.4000 → 2.3000 |',
    );
    expect(table).toContain('| LeNet.ts gpu.js webgpu | — | — | — | — | — | — | not run: no adapter |');
    expect(table).toContain(
      '| TensorFlow.js 4.22.0 (wasm) | WebAssembly SIMD, 1 thread | — | 250.0 | 1,024 | 1 round | 1.00× | 2.4000 → 2.3000 |',
    );
    expect(table).toContain('| PyTorch | — | — | — | — | — | — | not here: no Python here imports torch |');
    const inRounds = formatPeerTable(
      [{ ...results[0], cpu: cpu(1, 1), rounds: { min: 400, median: 500, max: 600, examplesPerSecond: [500, 600, 400] } }],
      [{ ...peers[0], cpu: cpu(1, 1), rounds: { min: 500, median: 1000, max: 1000, examplesPerSecond: [1000, 1000, 500] } }],
      1,
    ).split('\n');
    expect(inRounds[0]).toContain('| vs TensorFlow.js 4.22.0 (wasm), 1 core |');
    expect(inRounds).toContain(
      '| LeNet.ts gpu.js webasm, compiled | WebAssembly (no GPU) | 1 core (pinned), 1 thread | 500.0 | 512 | 400–600 (3 rounds) | 0.60× (0.50×–0.80×) | 2.4000 → 2.3000 |',
    );
  });
});

describe('the results file', () => {
  it('reads back what the benchmark writes, peers included, and names a wrong field', () => {
    const file = {
      date: '2026-12-01T10:00:00Z',
      machine: { cpu: 'AMD EPYC', cores: 2 },
      batch: 256,
      steps: 5,
      warmup: 1,
      results: [{ target: 'webasm', device: 'wasm', training: timing(500) }],
      peers: [{ peer: 'pytorch', label: 'PyTorch', training: timing(50) }],
    };
    const parsed = parseBenchFile(JSON.parse(JSON.stringify(file)), 'bench.json');
    expect(parsed.results[0].training?.examplesPerSecond).toBe(512);
    // a file from before rounds and --cores: one round, on every core of the machine
    expect(parsed.rounds).toBeUndefined();
    expect(parsed.results[0].cpu).toBeUndefined();
    expect(coresOfRun(parsed)).toBe(2);
    const rounds = { min: 400, median: 512, max: 600, examplesPerSecond: [512, 400, 600] };
    const pinned = parseBenchFile(
      {
        ...file,
        rounds: 3,
        machine: { ...file.machine, coresUsed: 1 },
        results: [{ ...file.results[0], cpu: cpu(1, 1), rounds }],
        peers: [{ ...file.peers[0], cpu: cpu(1, null), rounds }],
      },
      'bench.json',
    );
    expect(pinned.rounds).toBe(3);
    expect(coresOfRun(pinned)).toBe(1);
    expect(pinned.results[0].cpu).toEqual(cpu(1, 1));
    expect(pinned.results[0].rounds).toEqual(rounds);
    expect(pinned.peers?.[0].cpu).toEqual(cpu(1, null));
    expect(() =>
      parseBenchFile({ ...file, results: [{ ...file.results[0], rounds: { ...rounds, examplesPerSecond: [] } }] }, 'b.json'),
    ).toThrow(/results\[0\]\.rounds: "examplesPerSecond" should be a non-empty array of numbers/);
    expect(parsed.peers?.[0].training?.msPerStep).toBe(50);
    expect(() => parseBenchFile({ ...file, peers: [{ peer: 'jax' }] }, 'bench.json')).toThrow(
      /peers\[0\]\.peer should be one of tfjs-wasm, pytorch, found "jax"/,
    );
    expect(() =>
      parseBenchFile({ ...file, results: [{ target: 'webasm', training: { ...timing(1), msPerStep: 'fast' } }] }, 'bench.json'),
    ).toThrow(/results\[0\]\.training: "msPerStep" should be a number/);
  });
});
