/**
 * The benchmark's command line.
 *
 *   npm run bench                                   # backend-cpu and every gpu.js mode that runs here
 *   npm run bench -- --modes webgpu --device-info   # only WebGPU (for a lent GPU machine)
 *   npm run bench -- --batch 256 --steps 5 --out runs/bench.json
 * @module
 */
import { isConcreteGpuMode, type ConcreteGpuMode } from '../mode.js';

/** What to measure. */
export interface BenchArguments {
  /** gpu.js modes to measure, each in its own process. */
  readonly modes: readonly ConcreteGpuMode[];
  /** Whether to measure backend-cpu too (the baseline of the ratio column). */
  readonly baseline: boolean;
  readonly batch: number;
  readonly steps: number;
  readonly kernelReps: number;
  /** Where to write the JSON results. */
  readonly out: string;
  /** Print the adapter, its limits and how the mode was chosen. */
  readonly deviceInfo: boolean;
  /** Skip the per-kernel timings (training step only). */
  readonly kernels: boolean;
}

/** The usage text. */
export const BENCH_USAGE =
  'usage: bench [--modes webgpu,headlessgl,webasm,cpu] [--no-baseline] [--batch 256] [--steps 5] [--kernel-reps 5] [--no-kernels] [--out runs/bench-results.json] [--device-info]';

function positiveInteger(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new Error(`bench: ${flag} needs a positive integer, got ${String(value)}\n${BENCH_USAGE}`);
  }
  return parsed;
}

/** Parses `argv` (without node and the script). Only `--modes` given means no baseline unless `--baseline`. */
export function parseBenchArguments(argv: readonly string[]): BenchArguments {
  let modes: ConcreteGpuMode[] = ['webgpu', 'headlessgl', 'webasm', 'cpu'];
  let baseline: boolean | null = null;
  let batch = 256;
  let steps = 5;
  let kernelReps = 5;
  let out = 'runs/bench-results.json';
  let deviceInfo = false;
  let kernels = true;
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
      default:
        throw new Error(`bench: unknown option ${argv[i]}\n${BENCH_USAGE}`);
    }
  }
  return { modes, baseline: baseline ?? !modesGiven, batch, steps, kernelReps, out, deviceInfo, kernels };
}
