/**
 * One SGD training step of a classifier, as the parity test runs it (the benchmark, now in
 * @lenet/models, has its own copy in `src/bench/train-step.ts`; this one goes with the parity test's rewrite):
 * loss = crossEntropy(net(images), labels); loss.backward(); SGD update; wait for the loss value.
 * @module
 */
import { crossEntropy, tidy, type nn, type optim, type Tensor } from '@lenet/core';
import { GpuBackend } from '../../src/gpu-backend.js';

/**
 * Runs one step and resolves to the loss once all of the step's work is done (the loss, and on a
 * gpu.js backend everything queued, the parameter updates included), so the time of this call is
 * the step's time.
 */
export async function trainStep(net: nn.Module, optimizer: optim.SGD, images: Tensor, labels: Tensor): Promise<number> {
  optimizer.zeroGrad();
  const loss = tidy(() => {
    const value = crossEntropy(net.call(images), labels);
    value.backward();
    return value;
  });
  optimizer.step();
  const value = await loss.item();
  loss.dispose();
  if (images.backend instanceof GpuBackend) {
    // the parameter updates do not feed the loss: wait for them too
    await images.backend.flush();
  }
  return value;
}
