/**
 * The SGD momentum buffers of a run, saved next to the model checkpoint when momentum > 0, one file
 * per epoch (`optimizer-<epoch>.safetensors`) until the model checkpoint of that epoch is on disk.
 * @module
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { optim, nn } from '@lenet/core';
import { SafetensorsError, type SafetensorsContents, type TensorData } from '../io/safetensors.js';
import { readSafetensors, writeSafetensors } from '../io/safetensors-file.js';
import { CheckpointError } from './checkpoint-metadata.js';

/**
 * Writes the momentum buffer v of each parameter as `momentum.<parameter name>` into `path`
 * (atomically), stamped with `epoch` so a resumed run can check it matches the model checkpoint.
 */
export async function writeOptimizerState(path: string, optimizer: optim.SGD, model: nn.Module, epoch: number): Promise<void> {
  const state = await optimizer.stateDict();
  const names = model.namedParameters().map(([name]) => name);
  const tensors = new Map<string, TensorData>();
  state.momentumBuffers.forEach((buffer, index) => {
    if (buffer !== null) tensors.set(`momentum.${names[index]}`, { shape: [...optimizer.params[index].shape], data: buffer });
  });
  writeSafetensors(path, tensors, { epoch: String(epoch), momentum: String(optimizer.momentum) });
}

/**
 * Restores the momentum buffers written by {@link writeOptimizerState}.
 * @throws CheckpointError when the file is missing, unreadable, or from another epoch than `epoch`.
 */
export function readOptimizerState(path: string, optimizer: optim.SGD, model: nn.Module, epoch: number): void {
  if (!existsSync(path)) throw new CheckpointError(path, `the optimiser state (momentum buffers) of epoch ${epoch} is missing`);
  let contents: SafetensorsContents;
  try {
    contents = readSafetensors(path);
  } catch (cause) {
    if (cause instanceof SafetensorsError) throw new CheckpointError(path, `unreadable optimiser state: ${cause.message}`, { cause });
    throw cause;
  }
  if (contents.metadata.epoch !== String(epoch)) {
    throw new CheckpointError(
      path,
      `the optimiser state is from epoch ${contents.metadata.epoch ?? '?'} but the model checkpoint from epoch ${epoch}`,
    );
  }
  const names = model.namedParameters().map(([name]) => name);
  optimizer.loadStateDict({ momentumBuffers: names.map((name) => contents.tensors.get(`momentum.${name}`)?.data ?? null) });
}

/** `optimizer-<epoch>.safetensors`, the names {@link removeOtherOptimizerStates} looks for. */
const OPTIMIZER_STATE_FILE = /^optimizer-(\d+)\.safetensors$/;

/**
 * Deletes every `optimizer-<e>.safetensors` in `dir` whose e is not `keepEpoch` (all of them when
 * `keepEpoch` is null: a run without momentum). Called once the model checkpoint of `keepEpoch` is
 * on disk: the optimiser state of that epoch is then the only one a resume can use, and the older
 * ones (and any of a later epoch left by a crash before its model file was written) are stale.
 */
export function removeOtherOptimizerStates(dir: string, keepEpoch: number | null): void {
  for (const name of readdirSync(dir)) {
    const match = OPTIMIZER_STATE_FILE.exec(name);
    if (match !== null && Number(match[1]) !== keepEpoch) rmSync(join(dir, name), { force: true });
  }
}
