/**
 * The network every target of the benchmark trains, and how it starts: `lenet5` (d2l's LeNet,
 * sigmoid + average pooling) initialised exactly as `train` does it (PyTorch's default layers, then
 * d2l's Xavier-uniform weights), from a seed. The peers get these initial values through the batches
 * file, so every target starts from the same parameters.
 * @module
 */
import type { nn } from '@lenet/core';
import { initialModel } from '../training/initial-model.js';

/** The recipe: d2l's `train_ch6` for LeNet on Fashion-MNIST. */
export const BENCH_RECIPE = {
  model: 'lenet5',
  dataset: 'fashion-mnist',
  /** SGD without momentum, d2l's learning rate for LeNet. */
  lr: 0.9,
  loss: 'cross-entropy (mean over the batch)',
  init: 'Xavier uniform weights, PyTorch default biases',
} as const;

/** LeNet on the current backend, initialised from `seed` as `train --seed` does. */
export function benchNetwork(seed: number): nn.Sequential {
  return initialModel({ model: BENCH_RECIPE.model, seed });
}
