/**
 * One SGD training step of a classifier, as the benchmark times it and the parity test runs it:
 * loss = crossEntropy(net(images), labels); loss.backward(); SGD update; wait for the loss value.
 * @module
 */
import { crossEntropy, tidy, type nn, type optim, type Tensor } from '@lenet/core';

/**
 * Runs one step and resolves to the loss. Awaiting the loss is what makes a GPU backend finish
 * the step's work, so the time of this call is the step's time.
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
  return value;
}
