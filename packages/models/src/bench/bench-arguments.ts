/**
 * The benchmark's command line.
 *
 *   npm run bench                                   # backend-cpu and every gpu.js mode that runs here
 *   npm run bench -- --modes webgpu --device-info   # only WebGPU (for a lent GPU machine)
 *   npm run bench -- --batch 256 --steps 5 --out runs/bench.json
 *   npm run bench -- --peers                        # and TensorFlow.js (wasm) and PyTorch, same batches
 *   npm run bench -- --step eager                   # the gpu.js modes op by op instead of compiled
 *   npm run bench -- --peers --cores 1 --rounds 5   # every process pinned to one core, 5 interleaved rounds
 * @module
 */
import { isConcreteGpuMode, type ConcreteGpuMode } from '@lenet/backend-gpu';
import { Option } from '@commander-js/extra-typings';
import { choiceOption, flagOption, intOption, newCommand, parseCommandLine, stringOption } from '../cli/command-line.js';
import { UsageError } from '../cli/usage-error.js';
import type { StepMode } from '../training/training-step.js';
import {
  FASTEST_FILTER_GRADIENT,
  FILTER_GRADIENT_FORMULATIONS,
  type FilterGradientFormulation,
} from './peers/tfjs-conv2d-backprop-filter.js';

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
  /** Interleaved rounds: every target runs once per round (min, median and max are reported). */
  readonly rounds: number;
  /** Pin every process to this many cores, with as many threads; null: every core, unpinned. */
  readonly cores: number | null;
  /** How the TensorFlow.js peer computes its filter gradient (default: the faster). */
  readonly tfjsFilterGradient: FilterGradientFormulation;
}

const DESCRIPTION =
  'Time a training step of LeNet (d2l, batch 256 by default) and each of its kernels on backend-cpu and on every ' +
  'requested gpu.js mode, each in its own process, on the same batches; print Markdown tables with the ratio to ' +
  'backend-cpu and write every figure as JSON to --out. With --peers, TensorFlow.js (wasm) and PyTorch train the same ' +
  'network from the same parameters on the same batches. Exit codes: 0 done, 1 a target failed, 2 bad options.';

/** The modes measured when `--modes` is not given: the four that run in CI. */
const DEFAULT_MODES: readonly ConcreteGpuMode[] = ['webgpu', 'headlessgl', 'webasm', 'cpu'];

/** `webasm,cpu` → the modes; a UsageError names an unknown one. */
function parseModes(text: string): ConcreteGpuMode[] {
  const listed = text.split(',').filter((mode) => mode !== '');
  if (listed.length === 0 || listed.some((mode) => !isConcreteGpuMode(mode))) {
    throw new UsageError(
      `--modes takes a comma-separated list of webgpu, headlessgl, webasm, cpu, webgl2, webgl; got ${listed.join(',') || 'nothing'}`,
      '--modes',
    );
  }
  return listed.filter(isConcreteGpuMode);
}

/** The benchmark's options, declared for {@link parseCommandLine}. */
export function benchCommandLine() {
  return newCommand('npm run bench --', DESCRIPTION)
    .addOption(
      new Option('--modes <list>', 'comma-separated gpu.js modes to measure, each in its own process')
        .argParser(parseModes)
        .default(DEFAULT_MODES),
    )
    .addOption(
      new Option(
        '--baseline',
        'measure backend-cpu too, the baseline of the ratio column (default: on unless --modes is given; --no-baseline turns it off)',
      ),
    )
    .addOption(intOption('--batch <int>', 'examples per training step', { min: 1 }).default(256))
    .addOption(intOption('--steps <int>', 'timed training steps (the median is reported)', { min: 1 }).default(5))
    .addOption(intOption('--warmup <int>', 'untimed training steps before them', { min: 1 }).default(1))
    .addOption(intOption('--kernel-reps <int>', 'repetitions of each kernel timing', { min: 1 }).default(5))
    .addOption(flagOption('--kernels', 'time each LeNet kernel too').default(true))
    .addOption(stringOption('--out <file>', 'where to write the JSON results').default('runs/bench-results.json'))
    .addOption(flagOption('--device-info', 'print the adapter, its limits and how the mode was chosen'))
    .addOption(
      choiceOption(
        '--step <mode>',
        ['compiled', 'eager'],
        'how the gpu.js targets run a training step (backend-cpu always runs eagerly)',
      ).default('compiled'),
    )
    .addOption(flagOption('--peers', 'measure TensorFlow.js (wasm) and PyTorch too, on the same batches'))
    .addOption(
      stringOption('--python <command>', 'the Python interpreter for the PyTorch peer (default: the first python3 that imports torch)'),
    )
    .addOption(intOption('--seed <int>', "the seed of the network's initial weights and of the batches' order", { min: 0 }).default(1))
    .addOption(
      intOption('--rounds <int>', 'interleaved rounds: every target runs once per round (min, median and max reported)', {
        min: 1,
      }).default(3),
    )
    .addOption(
      intOption('--cores <int>', 'pin every process to cores 0..N-1 (taskset) with N threads: webasm pool, PyTorch, llvmpipe', {
        min: 1,
      }),
    )
    .addOption(
      choiceOption(
        '--tfjs-filter-gradient <formulation>',
        FILTER_GRADIENT_FORMULATIONS,
        "the TensorFlow.js peer's filter gradient: conv (Conv2D on transposed tensors) or im2col (+ BatchMatMul)",
      ).default(FASTEST_FILTER_GRADIENT),
    );
}

/**
 * Parses `argv` (without node and the script). Only `--modes` given means no baseline unless `--baseline`.
 * @returns the arguments, or `'help'` for `--help`.
 * @throws UsageError for an unknown option or a bad value.
 */
export function parseBenchArguments(argv: readonly string[]): BenchArguments | 'help' {
  const options = parseCommandLine(benchCommandLine(), argv);
  if (options === 'help') return options;
  const modesGiven = argv.some((arg) => arg === '--modes' || arg.startsWith('--modes='));
  return {
    modes: options.modes,
    baseline: options.baseline ?? !modesGiven,
    batch: options.batch,
    steps: options.steps,
    warmup: options.warmup,
    kernelReps: options.kernelReps,
    peers: options.peers,
    python: options.python ?? null,
    seed: options.seed,
    out: options.out,
    deviceInfo: options.deviceInfo,
    kernels: options.kernels,
    stepMode: options.step,
    rounds: options.rounds,
    cores: options.cores ?? null,
    tfjsFilterGradient: options.tfjsFilterGradient,
  };
}
