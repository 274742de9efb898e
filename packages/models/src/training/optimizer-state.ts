/**
 * The SGD momentum buffers of a run, saved next to the model checkpoint when momentum > 0.
 * @module
 */
import { existsSync } from 'node:fs';
import type { optim, nn } from '@lenet/core';
import { readSafetensors, SafetensorsError, writeSafetensors, type TensorData } from '../io/safetensors.js';
import { CheckpointError } from './checkpoint.js';

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
  let contents;
  try {
    contents = readSafetensors(path);
  } catch (cause) {
    if (cause instanceof SafetensorsError) throw new CheckpointError(path, `unreadable optimiser state: ${cause.message}`, { cause });
    throw cause;
  }
  if (contents.metadata.epoch !== String(epoch)) {
    throw new CheckpointError(path, `the optimiser state is from epoch ${contents.metadata.epoch ?? '?'} but the model checkpoint from epoch ${epoch}`);
  }
  const names = model.namedParameters().map(([name]) => name);
  optimizer.loadStateDict({ momentumBuffers: names.map((name) => contents.tensors.get(`momentum.${name}`)?.data ?? null) });
}
