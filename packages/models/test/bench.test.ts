/**
 * The benchmark's pure pieces (moved here from backend-gpu with the benchmark): its arguments, the
 * step summary, the training and peers tables with their ratios, and the results-file reader.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArguments } from '../src/bench/bench-arguments.js';
import { parseBenchFile } from '../src/bench/bench-file.js';
import { UsageError } from '../src/cli/usage-error.js';
import type { BenchResult } from '../src/bench/bench-result.js';
import { formatTrainingTable } from '../src/bench/format-bench.js';
import type { TrainingTiming } from '../src/bench/measure-backend.js';
import { formatPeerTable } from '../src/bench/peers/format-peers.js';
import { peerRatios } from '../src/bench/peers/peer-ratios.js';
import type { PeerResult } from '../src/bench/peers/peer-result.js';
import { median, summariseSteps } from '../src/bench/step-timing.js';

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
    });
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

  it('reports examples per second and the ratio to backend-cpu in the training table', () => {
    const table = formatTrainingTable([
      { target: 'backend-cpu', device: 'JS', training: { ...timing(2560), stepMode: 'eager' } },
      { target: 'webasm', device: 'WebAssembly (no GPU)', training: timing(640, [2.4237, 2.1]) },
      { target: 'webgpu', error: 'gpu.js mode "webgpu" is not available: no adapter' },
    ]);
    expect(table).toContain('| backend-cpu (eager) | JS | 2560.0 | 100 | 1.00× |');
    expect(table).toContain(
      '| gpu.js webasm (compiled) | WebAssembly (no GPU) | 640.0 | 400 | 4.00× | first step 1 ms; loss 2.4237 → 2.1000 |',
    );
    expect(table).toContain('| gpu.js webgpu | — | — | — | — | not run: gpu.js mode "webgpu" is not available: no adapter |');
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

  it('divides each LeNet.ts target by each peer that trained', () => {
    expect(peerRatios(results, peers)).toEqual([{ target: 'webasm', peer: 'tfjs-wasm', ratio: 0.5 }]);
    const twoPeers = [...peers.slice(0, 1), { peer: 'pytorch' as const, label: 'PyTorch 1.13 (CPU)', training: timing(50) }];
    expect(peerRatios(results, twoPeers).map((r) => [r.peer, r.ratio])).toEqual([
      ['tfjs-wasm', 0.5],
      ['pytorch', 0.1],
    ]);
  });

  it('prints one row per target and peer, a ratio column per measured peer, and why a peer is missing', () => {
    const table = formatPeerTable(results, peers).split('\n');
    expect(table[0]).toBe('| target | device | ms / step | examples / s | vs TensorFlow.js 4.22.0 (wasm) | loss, first → last step |');
    expect(table).toContain('| LeNet.ts gpu.js webasm, compiled | WebAssembly (no GPU) | 500.0 | 512 | 0.50× | 2.4000 → 2.3000 |');
    expect(table).toContain('| LeNet.ts gpu.js webgpu | — | — | — | — | not run: no adapter |');
    expect(table).toContain('| TensorFlow.js 4.22.0 (wasm) | WebAssembly SIMD, 1 thread | 250.0 | 1,024 | 1.00× | 2.4000 → 2.3000 |');
    expect(table).toContain('| PyTorch | — | — | — | — | not here: no Python here imports torch |');
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
    expect(parsed.peers?.[0].training?.msPerStep).toBe(50);
    expect(() => parseBenchFile({ ...file, peers: [{ peer: 'jax' }] }, 'bench.json')).toThrow(
      /peers\[0\]\.peer should be one of tfjs-wasm, pytorch, found "jax"/,
    );
    expect(() =>
      parseBenchFile({ ...file, results: [{ target: 'webasm', training: { ...timing(1), msPerStep: 'fast' } }] }, 'bench.json'),
    ).toThrow(/results\[0\]\.training: "msPerStep" should be a number/);
  });
});
