/**
 * The run store: everything a training run keeps in its directory (`--out`), behind one object, so
 * that the training loop reads like d2l's `train_ch6` and only says *when* to save.
 *
 * ```ts
 * const run = openRun('runs/a', { resume: false });  // made, locked, checked writable; a resumed checkpoint read once
 * const settings = run.settingsFor(request);          // the lr on resume: --lr, else the checkpoint's, else the model's
 * await run.start({ settings, model, optimizer, epochs }); // resume: weights and momentum loaded; fresh: epoch 0 saved
 * for (…) { …; await run.save(metrics); }             // checkpoint, optimiser state, metrics.jsonl, curves.svg
 * run.release();
 * ```
 *
 * It owns what used to be spread over the command and the loop: the lock and the path checks
 * (`run-directory.ts`, which only this module uses), reading the checkpoint once, checking that a
 * resumed run keeps its settings, the learning rate on resume, and the order in which an epoch's
 * files are written so that a crash at any moment leaves a resumable run (see {@link RunStore.save}).
 * @module
 */
import { existsSync } from 'node:fs';
import { getBackend, type nn, type optim } from '@lenet/core';
import { describeSystemError, FileSystemError } from '../io/file-system-error.js';
import { OutputRefusedError } from '../io/output-file.js';
import { getModelSpec } from '../models/registry.js';
import { readCheckpoint, writeCheckpoint, type LoadedCheckpoint } from './checkpoint.js';
import type { CheckpointInfo, RunSettings } from './checkpoint-metadata.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { readOptimizerState, removeOtherOptimizerStates, writeOptimizerState } from './optimizer-state.js';
import { openRunDirectory, RunDirectoryBusyError, writeRunRecords, type LockOwner, type RunPaths } from './run-directory.js';

/** A problem with the run's set-up (nothing to resume, settings that differ): exit code 2. */
export class TrainingSetupError extends Error {
  /** @param message what is wrong and what to do */
  constructor(message: string) {
    super(message);
    this.name = 'TrainingSetupError';
  }
}

/** The settings a run is asked for; `lr` may be left out (the checkpoint's on resume, else the model's). */
export type RunRequest = Omit<RunSettings, 'lr'> & {
  /** The learning rate η; when left out, the checkpoint's on resume, else the model's default. */
  readonly lr?: number;
};

/** What a run trains, handed to {@link RunStore.start}. */
export interface RunContents {
  /** The run's settings, from {@link RunStore.settingsFor}. */
  readonly settings: RunSettings;
  /** The network, freshly initialised; a resumed run loads the checkpoint's weights into it. */
  readonly model: nn.Module;
  /** Its optimiser; a resumed run with momentum loads the momentum buffers into it. */
  readonly optimizer: optim.SGD;
  /** The epochs the run trains in all (the curves' horizontal axis). */
  readonly epochs: number;
}

/** An open run directory, held by this process until {@link RunStore.release}. */
export interface RunStore {
  /** Its files. */
  readonly paths: RunPaths;
  /** The owner of a stale lock removed on opening (a killed run), or null. */
  readonly staleOwner: LockOwner | null;
  /** Temporary files of killed writers removed on opening. */
  readonly sweptFiles: readonly string[];
  /** The checkpoint being resumed, read once when the run was opened; null for a fresh run. */
  readonly resumed: LoadedCheckpoint | null;
  /** The completed epochs: the checkpoint's, then one more per {@link RunStore.save}. */
  readonly history: readonly EpochMetrics[];
  /**
   * The run's settings: `request` with the learning rate chosen — the one asked for, else (resuming)
   * the checkpoint's, else the model's default (`defaultLr` in the registry).
   * @throws TrainingSetupError when resuming with other settings than the checkpoint's (the lr may change).
   */
  settingsFor(request: RunRequest): RunSettings;
  /**
   * Starts the run with `contents`: a resumed run loads the checkpoint's weights (and, with momentum,
   * the optimiser state of the same epoch); a fresh run saves the initial weights as epoch 0, the
   * last good weights should epoch 1 diverge.
   * @throws nn.StateDictMismatchError or CheckpointError when the checkpoint does not fit the model.
   */
  start(contents: RunContents): Promise<void>;
  /**
   * Records one more completed epoch and saves it, so that a crash at any moment leaves a resumable
   * run: the optimiser state goes to its own `optimizer-<e>.safetensors` first (the model file still
   * says e − 1, whose optimiser file is untouched), then `model.safetensors` is replaced atomically
   * (now e, and its optimiser file is there), and only then are the other optimiser files deleted and
   * `metrics.jsonl` and `curves.svg` rewritten. Nothing is written unless this process still holds
   * the lock.
   * @throws FileSystemError when a write fails (a full disk), saying which epoch is kept and how to
   *   go on; RunDirectoryBusyError when the lock was taken away.
   */
  save(metrics: EpochMetrics): Promise<void>;
  /** Gives the directory back (see `RunDirectory.release`). Safe to call twice. */
  release(): void;
}

/** The settings a resumed run must share with its checkpoint (the lr may change). */
const RESUME_KEYS: ReadonlyArray<keyof RunSettings> = [
  'model',
  'seed',
  'batchSize',
  'momentum',
  'dataset',
  'trainExamples',
  'testExamples',
];

function checkResumable(saved: RunSettings, asked: RunSettings, file: string): void {
  const differences = RESUME_KEYS.filter((key) => saved[key] !== asked[key]).map(
    (key) => `${key}: checkpoint ${String(saved[key])}, now ${String(asked[key])}`,
  );
  if (saved.dataChecksum !== undefined && asked.dataChecksum !== undefined && saved.dataChecksum !== asked.dataChecksum) {
    differences.push(
      `data: the ${asked.trainExamples} training and ${asked.testExamples} test examples differ from those the checkpoint was trained on (SHA-256 ${saved.dataChecksum.slice(0, 12)}…, now ${asked.dataChecksum.slice(0, 12)}…; another --data-dir?)`,
    );
  }
  if (differences.length > 0) {
    throw new TrainingSetupError(
      `${file}: cannot resume with different settings (${differences.join('; ')}); use the checkpoint's settings or another --out`,
    );
  }
}

/** "cannot save epoch 3 in runs/a: no space left… Epoch 2 is saved in …; free space and run with …" */
function saveFailure(paths: RunPaths, epoch: number, savedEpoch: number, error: Error): FileSystemError {
  const fresh = savedEpoch < 0;
  const problem = error instanceof OutputRefusedError ? `${error.path}: ${error.message}` : describeSystemError(error);
  return new FileSystemError({
    path: paths.dir,
    action: `cannot save epoch ${epoch} in`,
    problem,
    kept: fresh ? 'nothing was saved yet' : `epoch ${savedEpoch} is saved in ${paths.checkpoint}`,
    advice: fresh
      ? `free space (or fix the permissions) and run the command again`
      : `free space (or fix the permissions) and run with --out ${paths.dir} --resume`,
  });
}

/** The checkpoint to resume, read once; or a check that a fresh run does not overwrite one. */
function readResumed(paths: RunPaths, resume: boolean): LoadedCheckpoint | null {
  const exists = existsSync(paths.checkpoint);
  if (!resume) {
    if (exists)
      throw new TrainingSetupError(
        `${paths.dir} already holds a run (${paths.checkpoint}); pass --resume to continue it, or choose another --out`,
      );
    return null;
  }
  if (!exists) throw new TrainingSetupError(`nothing to resume: ${paths.checkpoint} does not exist; run without --resume to start`);
  return readCheckpoint(paths.checkpoint);
}

/**
 * Opens `dir` as this process's run: makes it (and its parents), takes its lock — which also proves
 * it can be written, before any data is loaded or any training starts — sweeps the temporary files
 * of killed runs, and, with `resume`, reads the checkpoint to continue.
 *
 * @throws FileSystemError when the directory cannot be made or written; RunDirectoryBusyError when a
 *   live process holds it; TrainingSetupError when resuming with no checkpoint, or starting afresh
 *   over one; CheckpointError when the checkpoint cannot be read. The directory is given back first.
 */
export function openRun(dir: string, options: { readonly resume: boolean }): RunStore {
  const directory = openRunDirectory(dir);
  const { paths } = directory;
  let resumed: LoadedCheckpoint | null;
  try {
    resumed = readResumed(paths, options.resume);
  } catch (error) {
    directory.release();
    throw error;
  }
  const history: EpochMetrics[] = resumed === null ? [] : [...resumed.info.history];
  let contents: RunContents | null = null;

  const write = async (run: RunContents): Promise<void> => {
    const { settings, model, optimizer } = run;
    const info: CheckpointInfo = { settings, epoch: history.length, history: [...history], backend: getBackend().name };
    directory.assertOwned();
    let savedEpoch = info.epoch - 1;
    try {
      if (settings.momentum > 0) await writeOptimizerState(paths.optimizer(info.epoch), optimizer, model, info.epoch);
      writeCheckpoint(paths.checkpoint, await model.stateDict(), info);
      savedEpoch = info.epoch;
      removeOtherOptimizerStates(paths.dir, settings.momentum > 0 ? info.epoch : null);
      writeRunRecords(paths, history, run.epochs);
    } catch (error) {
      if (error instanceof RunDirectoryBusyError || !(error instanceof Error)) throw error;
      throw saveFailure(paths, info.epoch, savedEpoch, error);
    }
  };

  return {
    paths,
    staleOwner: directory.staleOwner,
    sweptFiles: directory.sweptFiles,
    resumed,
    history,
    settingsFor: (request) => {
      const lr = request.lr ?? resumed?.info.settings.lr ?? getModelSpec(request.model).defaultLr;
      const settings: RunSettings = { ...request, lr };
      if (resumed !== null) checkResumable(resumed.info.settings, settings, paths.checkpoint);
      return settings;
    },
    start: async (run) => {
      contents = run;
      if (resumed === null) return write(run);
      run.model.loadStateDict(resumed.tensors, paths.checkpoint);
      if (run.settings.momentum > 0) readOptimizerState(paths.optimizer(resumed.info.epoch), run.optimizer, run.model, resumed.info.epoch);
    },
    save: async (metrics) => {
      if (contents === null) throw new Error('RunStore.save before start');
      history.push(metrics);
      await write(contents);
    },
    release: directory.release,
  };
}
