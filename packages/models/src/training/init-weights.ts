/**
 * d2l's `init_weights`, applied before training.
 * @module
 */
import { init, nn, type Rng } from '@lenet/core';
import { MaskedConv2d } from '../models/layers/masked-conv2d.js';

/**
 * Re-initialises every `Linear` and `Conv2d` weight of `model` with Xavier uniform,
 * U(−a, a), a = √(6 / (fan_in + fan_out)), as d2l's `train_ch6` does before training:
 *
 * ```python
 * def init_weights(m):
 *     if type(m) == nn.Linear or type(m) == nn.Conv2d:
 *         nn.init.xavier_uniform_(m.weight)
 * net.apply(init_weights)
 * ```
 *
 * Biases keep PyTorch's default initialisation from when the layer was built, U(−1/√fan_in, 1/√fan_in),
 * exactly as in d2l. Layers are visited depth-first in `state_dict` order and each weight draws from
 * `rng` in turn, so the result depends only on the seed. A {@link MaskedConv2d} (LeNet-5's C3) gets
 * Xavier too and then its masked weights set back to 0. Other layers (LeNet-5's subsampling layers)
 * keep their own initialisation.
 */
export function initWeights(model: nn.Module, rng: Rng): void {
  if (model instanceof nn.Linear || model instanceof nn.Conv2d) {
    init.xavierUniform(model.weight, rng);
    if (model instanceof MaskedConv2d) model.applyMask();
  }
  for (const [, child] of model.children()) initWeights(child, rng);
}
