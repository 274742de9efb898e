/**
 * One SGD training step as the benchmark times it: `TrainingStep` (the same code `train` runs, eager
 * or compiled), then a wait for the step's loss and, on a gpu.js backend, for everything queued
 * (the parameter updates included), so the time of this call is the whole step's. Every target,
 * the peers included, waits for its loss after each step, so their times compare alike.
 * @module
 */
import { GpuBackend } from '@lenet/backend-gpu';
import { zeros, type Tensor } from '@lenet/core';
import type { TrainingStep } from '../training/training-step.js';

/** Runs one step of `step` on a batch and resolves to its mean loss once all of its work is done. */
export async function trainStep(step: TrainingStep, images: Tensor, labels: Tensor): Promise<number> {
  const start = zeros([2], { backend: images.backend });
  const sums = step.run(images, labels, start);
  start.dispose();
  const [lossSum] = await sums.data();
  sums.dispose();
  if (images.backend instanceof GpuBackend) {
    // the parameter updates do not feed the loss: wait for them too
    await images.backend.flush();
  }
  return lossSum / images.shape[0];
}
