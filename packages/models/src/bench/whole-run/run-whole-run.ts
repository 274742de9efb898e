/**
 * `npm run bench:whole-run`: the same whole training run (d2l's LeNet recipe, every epoch evaluated)
 * in PyTorch and TensorFlow.js-wasm on this machine, beside LeNet.ts's recorded `train` run, written
 * as JSON and printed as the README's table. See `whole-run-arguments.ts` for the options.
 *
 * The peers start from the start file (`whole-run-start.ts`: LeNet.ts's initial parameters and
 * `train --seed`'s data order), each in its own process on the pinned cores, one after the other
 * (a whole run is minutes long: one round, no interleaving).
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROCESS_IO } from '../../cli/cli-io.js';
import { EXIT } from '../../cli/exit-codes.js';
import { reportFailure } from '../../cli/report-failure.js';
import { UsageError } from '../../cli/usage-error.js';
import { loadFashionMnist } from '../../data/fashion-mnist.js';
import type { ImageClassificationData } from '../../data/image-classification-data.js';
import { BENCH_RECIPE } from '../bench-network.js';
import { corePinning, type CorePinning } from '../core-pinning.js';
import { describeMachine } from '../machine.js';
import { readLenetRecordedRun } from './lenet-recorded-run.js';
import { runPytorchWholeRun, runTfjsWholeRun } from './run-whole-run-targets.js';
import { parseWholeRunArguments, wholeRunCommandLine, type WholeRunArguments } from './whole-run-arguments.js';
import { epochsSeconds, type WholeRunFile, type WholeRunResult, type WholeRunTarget } from './whole-run-file.js';
import { drawWholeRunStart, writeWholeRunStart } from './whole-run-start.js';
import { renderWholeRunTable } from './whole-run-table.js';

function report(result: WholeRunResult): void {
  const last = result.epochs?.at(-1);
  const why = (result.unavailable ?? result.error ?? '').split('\n')[0];
  process.stderr.write(
    last === undefined
      ? `whole-run: ${result.target}: ${result.unavailable === undefined ? 'not run' : 'not here'}: ${why}\n`
      : `whole-run: ${result.target}: ${result.epochs?.length} epoch${result.epochs?.length === 1 ? '' : 's'} in ${epochsSeconds(result).toFixed(1)} s, test acc ${last.testAcc.toFixed(3)}\n`,
  );
}

/** Trains the peers named in `options.targets` from a fresh start file. */
async function runPeers(
  peers: readonly WholeRunTarget[],
  options: WholeRunArguments,
  pinning: CorePinning,
  examples: { data: ImageClassificationData; trainExamples: number; testExamples: number },
): Promise<WholeRunResult[]> {
  const { data, trainExamples, testExamples } = examples;
  const workDir = mkdtempSync(join(tmpdir(), 'lenet-whole-run-'));
  const startFile = join(workDir, 'start.safetensors');
  try {
    const { epochs, batch, seed } = options;
    writeWholeRunStart(startFile, await drawWholeRunStart(data, { epochs, batch, seed, trainExamples, testExamples }));
    return peers.map((peer) => {
      process.stderr.write(`whole-run: ${peer}, ${epochs} epoch${epochs === 1 ? '' : 's'} ...\n`);
      const result =
        peer === 'pytorch'
          ? runPytorchWholeRun(startFile, { python: options.python, flushDenormal: options.flushDenormal, pinning })
          : runTfjsWholeRun(startFile, options.tfjsFilterGradient, pinning);
      report(result);
      return result;
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Runs the whole-run benchmark with `argv` (without node and the script).
 * @returns the exit code: 0 done (also `--help`), 1 a target failed, 2 bad options.
 */
export async function runWholeRun(argv: readonly string[]): Promise<number> {
  const usage = wholeRunCommandLine().helpInformation();
  let options: WholeRunArguments;
  let pinning: CorePinning;
  let lenet: WholeRunResult[];
  try {
    const parsed = parseWholeRunArguments(argv);
    if (parsed === 'help') {
      process.stdout.write(`${usage}\n`);
      return EXIT.ok;
    }
    options = parsed;
    pinning = corePinning(options.cores);
    lenet = options.lenetRun === null ? [] : [readLenetRecordedRun(options.lenetRun)];
    const recorded = lenet[0]?.epochs?.length;
    if (recorded !== undefined && recorded !== options.epochs)
      throw new UsageError(
        `--lenet-run ${options.lenetRun}: the recorded run has ${recorded} epochs, --epochs is ${options.epochs}`,
        '--epochs',
      );
  } catch (error) {
    return reportFailure('whole-run', error, PROCESS_IO, usage);
  }
  const peerTargets = options.targets.filter((target) => target !== 'lenet');
  // the examples per epoch: the peers' (the limits cut to the split), or the recorded run's
  const data = peerTargets.length === 0 ? null : loadFashionMnist();
  const trainExamples =
    data === null ? (lenet[0]?.epochs?.[0]?.examples ?? 0) : Math.min(options.limit ?? data.train.count, data.train.count);
  const testExamples = data === null ? null : Math.min(options.testLimit ?? data.test.count, data.test.count);
  const peers =
    data === null || testExamples === null ? [] : await runPeers(peerTargets, options, pinning, { data, trainExamples, testExamples });
  const file: WholeRunFile = {
    date: new Date().toISOString(),
    machine: describeMachine(pinning),
    recipe: {
      model: BENCH_RECIPE.model,
      dataset: BENCH_RECIPE.dataset,
      lr: BENCH_RECIPE.lr,
      batch: options.batch,
      epochs: options.epochs,
      seed: options.seed,
      trainExamples,
      ...(testExamples === null ? {} : { testExamples }),
      loss: BENCH_RECIPE.loss,
      init: BENCH_RECIPE.init,
    },
    results: [...lenet, ...peers],
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(file, null, 2)}\n`);
  process.stdout.write(`${renderWholeRunTable(file, options.out)}\n\nresults written to ${options.out}\n`);
  return file.results.some((result) => result.error !== undefined) ? EXIT.unexpected : EXIT.ok;
}
