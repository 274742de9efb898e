/**
 * `npm run train -- [options]`: trains a LeNet-5 variant as d2l's `train_ch6` does.
 * @module
 */
import { join } from 'node:path';
import { dataChecksum } from '../data/data-checksum.js';
import { ProgressBar } from './progress-bar.js';
import { MODEL_NAMES } from '../models/registry.js';
import { formatCount } from '../summary/format-summary.js';
import { formatEpochLine } from '../training/epoch-metrics.js';
import { train } from '../training/train.js';
import { openRun, type RunStore } from '../training/run-store.js';
import { checkOnnxTarget, writeOnnxFile } from './export-onnx-file.js';
import { divergenceMessage } from '../training/training-outcome.js';
import { DivergenceWatch } from '../training/divergence-watch.js';
import { activateBackend, backendOption, checkBackend, describeBackend, gpuModeOption, wasmThreadsOption } from './backend-options.js';
import { println, type CliIo } from './cli-io.js';
import { choiceOption, flagOption, intOption, newCommand, numberOption, parseOrPrintHelp, stringOption } from './command-line.js';
import { dataDirOption, datasetOption, loadDataset } from './dataset-options.js';
import { EXIT } from './exit-codes.js';
import type { StepMode } from '../training/training-step.js';
import { reportFailure, verboseOption, wantsStackTrace } from './report-failure.js';
import { UsageError } from './usage-error.js';

const DESCRIPTION =
  "Train LeNet-5 on Fashion-MNIST as d2l's train_ch6 does: Xavier-uniform weights, SGD, cross-entropy. " +
  'Prints train loss, train accuracy, test accuracy and examples/sec per epoch; writes model.safetensors ' +
  '(PyTorch state_dict names, the checkpoint), metrics.jsonl and curves.svg into --out. ' +
  'Exit codes: 0 done, 2 bad input (options, data, a path that cannot be written, a run directory in use), 3 the loss diverged (NaN/∞), 130 interrupted (Ctrl-C), 143 stopped by SIGTERM (the last checkpoint kept, as after Ctrl-C).';

/** The train command's options, declared for {@link parseCommandLine}. */
export function trainCommandLine() {
  return newCommand('npm run train --', DESCRIPTION)
    .addOption(backendOption())
    .addOption(gpuModeOption())
    .addOption(wasmThreadsOption())
    .addOption(choiceOption('--model <name>', MODEL_NAMES, 'which network to train').default('lenet5'))
    .addOption(intOption('--epochs <int>', 'train until this many epochs are done', { min: 1 }).default(10))
    .addOption(
      numberOption(
        '--lr <number>',
        "SGD learning rate η (default: the model's, 0.9 for lenet5 as d2l, 0.1 for lenet5-modern, 0.001 for lenet5-classic; on --resume the checkpoint's)",
        { greaterThan: 0 },
      ),
    )
    .addOption(intOption('--batch-size <int>', 'examples per mini-batch', { min: 1 }).default(256))
    .addOption(numberOption('--momentum <number>', 'SGD momentum μ (0: plain SGD, as d2l)', { min: 0 }).default(0))
    .addOption(intOption('--seed <int>', 'seed of the initial weights and the data order', { min: 0, max: 0xffffffff }).default(1))
    .addOption(intOption('--limit <int>', 'use only the first N training examples (a quick run)', { min: 1 }))
    .addOption(intOption('--test-limit <int>', 'use only the first N test examples for the test accuracy', { min: 1 }))
    .addOption(datasetOption())
    .addOption(dataDirOption())
    .addOption(stringOption('--out <dir>', 'run directory for the checkpoint, metrics.jsonl and curves.svg (default runs/<model>-<time>)'))
    .addOption(flagOption('--resume', 'continue the run in --out from its last checkpoint (needs --out)'))
    .addOption(
      flagOption(
        '--compile',
        'run each training step compiled: fused kernels (convolution or matrix product + bias + activation, the loss gradient, the SGD update) and, in WebGPU mode, one submission per step; --no-compile runs it op by op, the readable eager path (same results within float32 rounding)',
      ).default(true),
    )
    .addOption(
      flagOption(
        '--onnx',
        'also write model.onnx (the ONNX model, as `npm run export` writes it) beside the checkpoint when the run completes',
      ),
    )
    .addOption(verboseOption());
}

/**
 * The abort reason that says the stop was asked by SIGTERM (`controller.abort(STOP_REASON_SIGTERM)`):
 * the same orderly stop as Ctrl-C, reported as SIGTERM and ending with exit code 143.
 */
export const STOP_REASON_SIGTERM = 'SIGTERM';

/** Where a command may be told to stop (Ctrl-C, SIGTERM). */
export interface CommandContext {
  /** Output streams. */
  readonly io: CliIo;
  /**
   * Aborted on Ctrl-C or SIGTERM: training stops before the next step or evaluation batch. Its
   * reason is {@link STOP_REASON_SIGTERM} for SIGTERM (exit 143), anything else for Ctrl-C (130).
   */
  readonly signal?: AbortSignal;
  /** The clock for the default run directory's name; default `new Date()`. */
  readonly now?: () => Date;
}

/** `runs/lenet5-2026-11-27T18-30-05` */
export function defaultRunDirectory(model: string, now: Date): string {
  return join('runs', `${model}-${now.toISOString().slice(0, 19).replaceAll(':', '-')}`);
}

/** `--limit 100000 is more than the 60,000 training examples` when a limit was lowered to the split's size. */
function clampNote(flag: string, asked: number | undefined, available: number, split: string): string {
  return asked !== undefined && asked > available ? `${flag} ${asked} is more than the ${formatCount(available)} ${split} examples` : '';
}

/** Says on stderr what opening the run directory cleaned up after a killed run. */
function reportSweep(run: RunStore, io: CliIo): void {
  if (run.staleOwner !== null)
    println(io.stderr, `train: ${run.paths.lock} was left by process ${run.staleOwner.pid}, which is gone; taking the directory over`);
  if (run.sweptFiles.length > 0)
    println(io.stderr, `train: removed ${run.sweptFiles.length} temporary file(s) left by a killed run: ${run.sweptFiles.join(', ')}`);
}

/**
 * Runs the train command with `argv` (the arguments after the script) and returns its exit code; see
 * {@link EXIT}. Never throws for a foreseen problem: it prints the message and returns 2.
 * @example process.exitCode = await runTrainCommand(['--epochs', '1', '--limit', '2000'], { io: PROCESS_IO });
 */
export async function runTrainCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { io } = context;
  const commandLine = trainCommandLine();
  const usage = commandLine.helpInformation();
  let close = (): void => undefined;
  let run: RunStore | undefined;
  try {
    const options = parseOrPrintHelp(commandLine, argv, io.stdout);
    if (options === null) return EXIT.ok;
    checkBackend(options.backend, options.gpuMode);
    if (options.resume && options.out === undefined) {
      throw new UsageError(
        '--resume needs --out <dir>: the run directory to continue (the default name has the current time in it)',
        '--resume',
      );
    }
    const outDir = options.out ?? defaultRunDirectory(options.model, (context.now ?? (() => new Date()))());
    run = openRun(outDir, { resume: options.resume });
    reportSweep(run, io);
    const onnxFile = join(outDir, 'model.onnx');
    if (options.onnx) checkOnnxTarget(onnxFile);
    const data = await loadDataset(options.dataset, options.dataDir);
    const active = await activateBackend(options.backend, options.gpuMode, options.wasmThreads);
    close = active.close;
    const trainExamples = Math.min(options.limit ?? data.train.count, data.train.count);
    const testExamples = Math.min(options.testLimit ?? data.test.count, data.test.count);
    const settings = run.settingsFor({
      model: options.model,
      seed: options.seed,
      batchSize: options.batchSize,
      lr: options.lr,
      momentum: options.momentum,
      dataset: data.name,
      trainExamples,
      testExamples,
      dataChecksum: dataChecksum(data, trainExamples, testExamples),
    });
    const clamped = [
      clampNote('--limit', options.limit, data.train.count, 'training'),
      clampNote('--test-limit', options.testLimit, data.test.count, 'test'),
    ].filter((note) => note !== '');
    println(
      io.stdout,
      `train ${settings.model} on ${data.name}: ${formatCount(settings.trainExamples)} training and ${formatCount(settings.testExamples)} test examples${clamped.length > 0 ? ` (${clamped.join('; ')})` : ''}`,
    );
    println(io.stdout, describeBackend(active));
    const stepMode: StepMode = options.compile ? 'compiled' : 'eager';
    println(
      io.stdout,
      `lr ${settings.lr}, batch size ${settings.batchSize}, momentum ${settings.momentum}, epochs ${options.epochs}, seed ${settings.seed}, step ${stepMode === 'compiled' ? 'compiled (fused kernels)' : 'eager (op by op)'}, out ${outDir}`,
    );
    const divergence = new DivergenceWatch();
    let bar: ProgressBar | null = null;
    const outcome = await train({
      settings,
      epochs: options.epochs,
      data,
      outDir,
      resume: options.resume,
      run,
      stepMode,
      signal: context.signal,
      events: {
        onStart: (start) => {
          println(
            io.stdout,
            `${formatCount(start.parameters)} parameters, ${start.stepsPerEpoch} steps per epoch${start.resumed ? `, resuming at epoch ${start.firstEpoch}` : ''}`,
          );
          if (start.firstEpoch > start.epochs)
            println(io.stdout, `nothing to do: the checkpoint already has ${start.firstEpoch - 1} epochs; raise --epochs to train more`);
        },
        onEpochStart: (epoch, steps) => {
          bar = new ProgressBar({ label: `epoch ${epoch}/${options.epochs}`, total: steps, stream: io.stderr });
        },
        onStep: (step) => {
          divergence.observeStep(step.loss);
          bar?.update(step.step, `loss ${step.trainLoss.toFixed(3)} acc ${step.trainAcc.toFixed(3)}`);
        },
        onEvaluationStart: (epoch, examples) => {
          bar?.finish();
          bar = null;
          println(io.stderr, `epoch ${epoch}: evaluating on ${formatCount(examples)} test examples…`);
        },
        onEpoch: (metrics) => {
          bar?.finish();
          bar = null;
          println(io.stdout, formatEpochLine(metrics, options.epochs));
          const warning = divergence.checkEpoch(metrics.trainLoss, settings.lr);
          if (warning !== null) println(io.stderr, `train: warning: ${warning}`);
        },
      },
    });
    const checkpoint = join(outDir, 'model.safetensors'); // as the run store names it (RunPaths.checkpoint)
    if (outcome.status === 'diverged') {
      println(io.stderr, `\ntrain: ${divergenceMessage(outcome, checkpoint)}`);
      return EXIT.diverged;
    }
    if (outcome.status === 'interrupted') {
      const terminated = context.signal?.reason === STOP_REASON_SIGTERM;
      const where =
        outcome.duringEvaluation === true ? `during the evaluation after its ${outcome.step} steps` : `after ${outcome.step} steps`;
      println(
        io.stderr,
        `\ntrain: ${terminated ? 'stopped by SIGTERM' : 'interrupted'} in epoch ${outcome.epoch} ${where}; the checkpoint of epoch ${outcome.history.length} is in ${checkpoint}. Continue with --out ${outDir} --resume`,
      );
      return terminated ? EXIT.terminated : EXIT.interrupted;
    }
    const last = outcome.history.at(-1);
    if (last !== undefined) {
      // d2l's closing lines: the last epoch's figures, then examples/sec over all training time.
      const examples = outcome.history.reduce((total, epoch) => total + epoch.examples, 0);
      const seconds = outcome.history.reduce((total, epoch) => total + epoch.trainSeconds, 0);
      println(io.stdout, `loss ${last.trainLoss.toFixed(3)}, train acc ${last.trainAcc.toFixed(3)}, test acc ${last.testAcc.toFixed(3)}`);
      println(io.stdout, `${(examples / seconds).toFixed(1)} examples/sec on ${active.kind === 'cpu' ? 'cpu' : `gpu.js ${active.mode}`}`);
    }
    if (options.onnx) await writeOnnxFile({ checkpoint, onnx: onnxFile });
    println(io.stdout, `wrote ${checkpoint}, metrics.jsonl${options.onnx ? ', curves.svg and model.onnx' : ' and curves.svg'}`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure('train', error, io, usage, wantsStackTrace(argv));
  } finally {
    close();
    run?.release();
  }
}
