/**
 * The whole-run benchmark's command line.
 *
 *   npm run bench:whole-run -- --target all --cores 2 --out packages/models/bench-results/whole-runs/2-cores-no-gpu.json
 *   npm run bench:whole-run -- --target tfjs-wasm --epochs 1 --limit 2048      # a quick try
 *   npm run bench:whole-run -- --target all --lenet-run packages/models/runs-recorded/<run>   # LeNet.ts's run beside them
 * @module
 */
import { Option } from '@commander-js/extra-typings';
import { choiceOption, flagOption, intOption, newCommand, parseCommandLine, stringOption } from '../../cli/command-line.js';
import { UsageError } from '../../cli/usage-error.js';
import {
  FASTEST_FILTER_GRADIENT,
  FILTER_GRADIENT_FORMULATIONS,
  type FilterGradientFormulation,
} from '../peers/tfjs-conv2d-backprop-filter.js';
import { WHOLE_RUN_TARGETS, type WholeRunTarget } from './whole-run-file.js';

/** What to run. */
export interface WholeRunArguments {
  /** In this order: LeNet.ts's recorded run (read), then the peers (trained, one after the other). */
  readonly targets: readonly WholeRunTarget[];
  readonly epochs: number;
  readonly batch: number;
  readonly seed: number;
  /** Only the first N training examples per epoch; null: all 60,000. */
  readonly limit: number | null;
  /** Only the first N test examples; null: all 10,000. */
  readonly testLimit: number | null;
  /** Pin every process to this many cores, with as many threads; null: every core, unpinned. */
  readonly cores: number | null;
  readonly out: string;
  readonly python: string | null;
  /** PyTorch with `torch.set_flush_denormal(True)` (default off: PyTorch's default). */
  readonly flushDenormal: boolean;
  readonly tfjsFilterGradient: FilterGradientFormulation;
  /** The folder of LeNet.ts's recorded run (its metrics.jsonl); needed by the `lenet` target. */
  readonly lenetRun: string | null;
}

const DESCRIPTION =
  "Train d2l's LeNet recipe (sigmoid, average pooling, Xavier-uniform init, SGD lr 0.9, batch 256, cross-entropy) for " +
  'whole epochs of Fashion-MNIST in PyTorch and TensorFlow.js-wasm, from the initial parameters and in the data order of ' +
  '`npm run train --seed S`, evaluating the test accuracy after every epoch; record wall time, time and examples/s per ' +
  "epoch, loss and accuracies, threads, cores, versions and the machine as JSON in --out, beside LeNet.ts's recorded run " +
  '(--lenet-run). Exit codes: 0 done, 1 a target failed, 2 bad options.';

/** `all` or a comma-separated list → the targets in {@link WHOLE_RUN_TARGETS}' order. */
function parseTargets(text: string): WholeRunTarget[] | 'all' {
  if (text === 'all') return 'all';
  const listed = text.split(',').filter((name) => name !== '');
  const unknown = listed.filter((name) => !WHOLE_RUN_TARGETS.some((target) => target === name));
  if (listed.length === 0 || unknown.length > 0)
    throw new UsageError(
      `--target takes all or a comma-separated list of ${WHOLE_RUN_TARGETS.join(', ')}; got ${unknown.join(',') || 'nothing'}`,
      '--target',
    );
  return WHOLE_RUN_TARGETS.filter((target) => listed.includes(target));
}

/** The options, declared for {@link parseCommandLine}. */
export function wholeRunCommandLine() {
  return newCommand('npm run bench:whole-run --', DESCRIPTION)
    .addOption(
      new Option('--target <list>', 'all (pytorch, tfjs-wasm, and lenet when --lenet-run is given) or a list of lenet, tfjs-wasm, pytorch')
        .argParser(parseTargets)
        .default<WholeRunTarget[] | 'all'>('all'),
    )
    .addOption(intOption('--epochs <int>', 'epochs to train', { min: 1 }).default(10))
    .addOption(intOption('--batch <int>', 'examples per step', { min: 1 }).default(256))
    .addOption(
      intOption('--seed <int>', 'the seed of the initial weights and the data order, as train --seed', { min: 0, max: 0xffffffff }).default(
        1,
      ),
    )
    .addOption(intOption('--limit <int>', 'use only the first N training examples (a quick try)', { min: 1 }))
    .addOption(intOption('--test-limit <int>', 'use only the first N test examples for the test accuracy', { min: 1 }))
    .addOption(intOption('--cores <int>', 'pin every process to cores 0..N-1 (taskset) with N threads (PyTorch)', { min: 1 }))
    .addOption(stringOption('--out <file>', 'where to write the JSON results').default('runs/whole-run.json'))
    .addOption(stringOption('--python <command>', 'the Python interpreter for PyTorch (default: the first python3 that imports torch)'))
    .addOption(flagOption('--flush-denormal', 'PyTorch with torch.set_flush_denormal(True) (recorded either way)'))
    .addOption(
      choiceOption(
        '--tfjs-filter-gradient <formulation>',
        FILTER_GRADIENT_FORMULATIONS,
        "TensorFlow.js's filter gradient: conv (Conv2D on transposed tensors) or im2col (+ BatchMatMul)",
      ).default(FASTEST_FILTER_GRADIENT),
    )
    .addOption(
      stringOption('--lenet-run <folder>', "a folder LeNet.ts's train wrote (metrics.jsonl, train.log): its run goes beside the peers"),
    );
}

/**
 * Parses `argv` (without node and the script).
 * @returns the arguments, or `'help'` for `--help`.
 * @throws UsageError for an unknown option, a bad value, or the `lenet` target without `--lenet-run`.
 */
export function parseWholeRunArguments(argv: readonly string[]): WholeRunArguments | 'help' {
  const options = parseCommandLine(wholeRunCommandLine(), argv);
  if (options === 'help') return options;
  const lenetRun = options.lenetRun ?? null;
  const targets = options.target === 'all' ? WHOLE_RUN_TARGETS.filter((target) => target !== 'lenet' || lenetRun !== null) : options.target;
  if (targets.includes('lenet') && lenetRun === null)
    throw new UsageError('--target lenet reads a recorded train run: name its folder with --lenet-run <folder>', '--target');
  if (!targets.includes('lenet') && lenetRun !== null)
    throw new UsageError(`--lenet-run is read only by the lenet target; add lenet to --target (${targets.join(',')})`, '--lenet-run');
  return {
    targets,
    epochs: options.epochs,
    batch: options.batch,
    seed: options.seed,
    limit: options.limit ?? null,
    testLimit: options.testLimit ?? null,
    cores: options.cores ?? null,
    out: options.out,
    python: options.python ?? null,
    flushDenormal: options.flushDenormal,
    tfjsFilterGradient: options.tfjsFilterGradient,
    lenetRun,
  };
}
