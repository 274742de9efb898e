/**
 * One SGD training step of a classifier, as the benchmark times it:
 * loss = crossEntropy(net(images), labels); loss.backward(); SGD update; wait for the loss value.
 * @module
 */
import { crossEntropy, tidy, type nn, type optim, type Tensor } from '@lenet/core';
import { GpuBackend } from '@lenet/backend-gpu';

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
