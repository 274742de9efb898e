/**
 * `npm run train -- [options]`: trains a LeNet-5 variant as d2l's `train_ch6` does.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatUsage, parseArgs } from '../cli-support/args.js';
import { ProgressBar } from '../cli-support/progress-bar.js';
import { getModelSpec, MODEL_NAMES, type ModelName } from '../models/registry.js';
import { formatCount } from '../summary/format-summary.js';
import { readCheckpoint, type RunSettings } from '../training/checkpoint.js';
import { formatEpochLine } from '../training/epoch-metrics.js';
import { train } from '../training/train.js';
import { divergenceMessage } from '../training/training-outcome.js';
import { activateBackend, BACKEND_OPTION_SPECS, describeBackend } from './backend-options.js';
import { println, type CliIo } from './cli-io.js';
import { DATASET_OPTION_SPECS, loadDataset } from './dataset-options.js';
import { EXIT } from './exit-codes.js';
import { reportFailure } from './report-failure.js';

/** The options of the train command. */
export const TRAIN_OPTION_SPECS = {
  ...BACKEND_OPTION_SPECS,
  model: { type: 'choice', choices: MODEL_NAMES, default: 'lenet5', help: 'which network to train' },
  epochs: { type: 'int', min: 1, default: 10, help: 'train until this many epochs are done' },
  lr: {
    type: 'number',
    greaterThan: 0,
    help: "SGD learning rate η (default: the model's, 0.9 for lenet5 as d2l, 0.1 for lenet5-modern, 0.001 for lenet5-classic; on --resume the checkpoint's)",
  },
  batchSize: { type: 'int', min: 1, default: 256, help: 'examples per mini-batch' },
  momentum: { type: 'number', min: 0, default: 0, help: 'SGD momentum μ (0: plain SGD, as d2l)' },
  seed: { type: 'int', min: 0, max: 0xffffffff, default: 1, help: 'seed of the initial weights and the data order' },
  limit: { type: 'int', min: 1, help: 'use only the first N training examples (a quick run)' },
  testLimit: { type: 'int', min: 1, help: 'use only the first N test examples for the test accuracy' },
  ...DATASET_OPTION_SPECS,
  out: { type: 'string', valueName: '<dir>', help: 'run directory for the checkpoint, metrics.jsonl and curves.svg (default runs/<model>-<time>)' },
  resume: { type: 'boolean', help: 'continue the run in --out from its last checkpoint' },
} as const;

const DESCRIPTION =
  'Train LeNet-5 on Fashion-MNIST as d2l\'s train_ch6 does: Xavier-uniform weights, SGD, cross-entropy. ' +
  'Prints train loss, train accuracy, test accuracy and examples/sec per epoch; writes model.safetensors ' +
  '(PyTorch state_dict names, the checkpoint), metrics.jsonl and curves.svg into --out. ' +
  'Exit codes: 0 done, 2 bad input, 3 the loss diverged (NaN/∞), 130 interrupted.';

/** Where a command may be told to stop (Ctrl-C). */
export interface CommandContext {
  /** Output streams. */
  readonly io: CliIo;
  /** Aborted on Ctrl-C: training stops before the next step. */
  readonly signal?: AbortSignal;
  /** The clock for the default run directory's name; default `new Date()`. */
  readonly now?: () => Date;
}

/** `runs/lenet5-2026-11-27T18-30-05` */
export function defaultRunDirectory(model: string, now: Date): string {
  return join('runs', `${model}-${now.toISOString().slice(0, 19).replaceAll(':', '-')}`);
}

/**
 * The learning rate of a run: `--lr` if given; else, when resuming, the checkpoint's; else the
 * model's default (`defaultLr` in the registry).
 */
function chooseLearningRate(given: number | undefined, model: ModelName, resume: boolean, checkpointPath: string): number {
  if (given !== undefined) return given;
  if (resume && existsSync(checkpointPath)) return readCheckpoint(checkpointPath).info.settings.lr;
  return getModelSpec(model).defaultLr;
}

/**
 * Runs the train command with `argv` (the arguments after the script) and returns its exit code; see
 * {@link EXIT}. Never throws for a foreseen problem: it prints the message and returns 2.
 * @example process.exitCode = await runTrainCommand(['--epochs', '1', '--limit', '2000'], { io: PROCESS_IO });
 */
export async function runTrainCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { io } = context;
  const usage = formatUsage('npm run train --', DESCRIPTION, TRAIN_OPTION_SPECS);
  let close = (): void => undefined;
  try {
    const parsed = parseArgs(TRAIN_OPTION_SPECS, argv);
    if (parsed.help) {
      println(io.stdout, usage);
      return EXIT.ok;
    }
    const options = parsed.options;
    const data = await loadDataset(options.dataset, options.dataDir);
    const active = await activateBackend(options.backend, options.gpuMode, options.wasmThreads);
    close = active.close;
    const outDir = options.out ?? defaultRunDirectory(options.model, (context.now ?? (() => new Date()))());
    const settings: RunSettings = {
      model: options.model,
      seed: options.seed,
      batchSize: options.batchSize,
      lr: chooseLearningRate(options.lr, options.model, options.resume, join(outDir, 'model.safetensors')),
      momentum: options.momentum,
      dataset: data.name,
      trainExamples: Math.min(options.limit ?? data.train.count, data.train.count),
      testExamples: Math.min(options.testLimit ?? data.test.count, data.test.count),
    };
    println(io.stdout, `train ${settings.model} on ${data.name}: ${formatCount(settings.trainExamples)} training and ${formatCount(settings.testExamples)} test examples`);
    println(io.stdout, describeBackend(active));
    println(io.stdout, `lr ${settings.lr}, batch size ${settings.batchSize}, momentum ${settings.momentum}, epochs ${options.epochs}, seed ${settings.seed}, out ${outDir}`);
    let bar: ProgressBar | null = null;
    const outcome = await train({
      settings,
      epochs: options.epochs,
      data,
      outDir,
      resume: options.resume,
      signal: context.signal,
      events: {
        onStart: (start) => {
          println(io.stdout, `${formatCount(start.parameters)} parameters, ${start.stepsPerEpoch} steps per epoch` + (start.resumed ? `, resuming at epoch ${start.firstEpoch}` : ''));
          if (start.firstEpoch > start.epochs) println(io.stdout, `nothing to do: the checkpoint already has ${start.firstEpoch - 1} epochs; raise --epochs to train more`);
        },
        onEpochStart: (epoch, steps) => {
          bar = new ProgressBar({ label: `epoch ${epoch}/${options.epochs}`, total: steps, stream: io.stderr });
        },
        onStep: (step) => {
          bar?.update(step.step, `loss ${step.trainLoss.toFixed(3)} acc ${step.trainAcc.toFixed(3)}`);
        },
        onEpoch: (metrics) => {
          bar?.finish();
          bar = null;
          println(io.stdout, formatEpochLine(metrics, options.epochs));
        },
      },
    });
    if (outcome.status === 'diverged') {
      println(io.stderr, `\ntrain: ${divergenceMessage(outcome, join(outDir, 'model.safetensors'))}`);
      return EXIT.diverged;
    }
    if (outcome.status === 'interrupted') {
      println(io.stderr, `\ntrain: interrupted in epoch ${outcome.epoch} after ${outcome.step} steps; the checkpoint of epoch ${outcome.history.length} is in ${join(outDir, 'model.safetensors')}. Continue with --out ${outDir} --resume`);
      return EXIT.interrupted;
    }
    const last = outcome.history.at(-1);
    if (last !== undefined) {
      // d2l's closing lines: the last epoch's figures, then examples/sec over all training time.
      const examples = outcome.history.reduce((total, epoch) => total + epoch.examples, 0);
      const seconds = outcome.history.reduce((total, epoch) => total + epoch.trainSeconds, 0);
      println(io.stdout, `loss ${last.trainLoss.toFixed(3)}, train acc ${last.trainAcc.toFixed(3)}, test acc ${last.testAcc.toFixed(3)}`);
      println(io.stdout, `${(examples / seconds).toFixed(1)} examples/sec on ${active.kind === 'cpu' ? 'cpu' : `gpu.js ${active.mode}`}`);
    }
    println(io.stdout, `wrote ${join(outDir, 'model.safetensors')}, metrics.jsonl and curves.svg`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure('train', error, io, usage);
  } finally {
    close();
  }
}
