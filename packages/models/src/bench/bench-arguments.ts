/**
 * The benchmark's command line.
 *
 *   npm run bench                                   # backend-cpu and every gpu.js mode that runs here
 *   npm run bench -- --modes webgpu --device-info   # only WebGPU (for a lent GPU machine)
 *   npm run bench -- --batch 256 --steps 5 --out runs/bench.json
 *   npm run bench -- --peers                        # and TensorFlow.js (wasm) and PyTorch, same batches
 *   npm run bench -- --step eager                   # the gpu.js modes op by op instead of compiled
 * @module
 */
import { isConcreteGpuMode, type ConcreteGpuMode } from '@lenet/backend-gpu';
import type { StepMode } from '../training/training-step.js';

/** What to measure. */
export interface BenchArguments {
  /** gpu.js modes to measure, each in its own process. */
  readonly modes: readonly ConcreteGpuMode[];
  /** Whether to measure backend-cpu too (the baseline of the ratio column). */
  readonly baseline: boolean;
  readonly batch: number;
  /** Timed training steps (the median is reported). */
  readonly steps: number;
  /** Untimed training steps before them (the first one's time is reported as `firstStepMs`). */
  readonly warmup: number;
  readonly kernelReps: number;
  /** Measure the peers too: TensorFlow.js (wasm) and PyTorch, on the same batches. */
  readonly peers: boolean;
  /** The Python interpreter for the PyTorch peer; null: the first of `python3`, the system's python3 that imports torch. */
  readonly python: string | null;
  /** The seed of the network's initial weights and of the batches' order. */
  readonly seed: number;
  /** Where to write the JSON results. */
  readonly out: string;
  /** Print the adapter, its limits and how the mode was chosen. */
  readonly deviceInfo: boolean;
  /** Skip the per-kernel timings (training step only). */
  readonly kernels: boolean;
  /** How the gpu.js targets run a training step (backend-cpu always runs eagerly). Default `compiled`. */
  readonly stepMode: StepMode;
}

/** The usage text. */
export const BENCH_USAGE =
  'usage: bench [--modes webgpu,headlessgl,webasm,cpu] [--no-baseline] [--batch 256] [--steps 5] [--warmup 1] [--kernel-reps 5] [--no-kernels] [--out runs/bench-results.json] [--device-info] [--step compiled|eager] [--peers] [--python python3] [--seed 1]';

function integerAtLeast(minimum: number, flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) {
    const wanted = minimum === 1 ? 'a positive integer' : `an integer ≥ ${minimum}`;
    throw new Error(`bench: ${flag} needs ${wanted}, got ${String(value)}\n${BENCH_USAGE}`);
  }
  return parsed;
}

function positiveInteger(flag: string, value: string | undefined): number {
  return integerAtLeast(1, flag, value);
}

/** Parses `argv` (without node and the script). Only `--modes` given means no baseline unless `--baseline`. */
export function parseBenchArguments(argv: readonly string[]): BenchArguments {
  let modes: ConcreteGpuMode[] = ['webgpu', 'headlessgl', 'webasm', 'cpu'];
  let baseline: boolean | null = null;
  let batch = 256;
  let steps = 5;
  let warmup = 1;
  let kernelReps = 5;
  let peers = false;
  let python: string | null = null;
  let seed = 1;
  let out = 'runs/bench-results.json';
  let deviceInfo = false;
  let kernels = true;
  let stepMode: StepMode = 'compiled';
  let modesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--modes': {
        const listed = (value() ?? '').split(',').filter((mode) => mode !== '');
        const unknown = listed.filter((mode) => !isConcreteGpuMode(mode));
        if (listed.length === 0 || unknown.length > 0) {
          throw new Error(`bench: --modes takes a comma-separated list of webgpu, headlessgl, webasm, cpu, webgl2, webgl; got ${listed.join(',') || 'nothing'}\n${BENCH_USAGE}`);
        }
        modes = listed.filter(isConcreteGpuMode);
        modesGiven = true;
        break;
      }
      case '--baseline':
        baseline = true;
        break;
      case '--no-baseline':
        baseline = false;
        break;
      case '--batch':
        batch = positiveInteger(flag, value());
        break;
      case '--steps':
        steps = positiveInteger(flag, value());
        break;
      case '--warmup':
        warmup = positiveInteger(flag, value());
        break;
      case '--peers':
        peers = true;
        break;
      case '--python': {
        const command = value();
        if (command === undefined || command === '') throw new Error(`bench: --python needs an interpreter, e.g. python3\n${BENCH_USAGE}`);
        python = command;
        break;
      }
      case '--seed':
        seed = integerAtLeast(0, flag, value());
        break;
      case '--kernel-reps':
        kernelReps = positiveInteger(flag, value());
        break;
      case '--out':
        out = value() ?? out;
        break;
      case '--device-info':
        deviceInfo = true;
        break;
      case '--no-kernels':
        kernels = false;
        break;
      case '--step': {
        const chosen = value();
        if (chosen !== 'eager' && chosen !== 'compiled') throw new Error(`bench: --step must be eager or compiled, got ${String(chosen)}\n${BENCH_USAGE}`);
        stepMode = chosen;
        break;
      }
      default:
        throw new Error(`bench: unknown option ${argv[i]}\n${BENCH_USAGE}`);
    }
  }
  return { modes, baseline: baseline ?? !modesGiven, batch, steps, warmup, kernelReps, peers, python, seed, out, deviceInfo, kernels, stepMode };
}
