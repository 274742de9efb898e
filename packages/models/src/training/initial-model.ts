/**
 * The network a run starts from.
 * @module
 */
import { Rng, type nn } from '@lenet/core';
import { getModelSpec, type ModelName } from '../models/registry.js';
import { initWeights } from './init-weights.js';

/**
 * A fresh `model` from `seed`, as every run starts it (the `train` command, the Playground, the
 * benchmark, the step plan): the layers built with PyTorch's default initialisation from
 * `rng.derive('layers')`, then every Conv2d/Linear weight Xavier-uniform from `rng.derive('xavier')`
 * (d2l's `net.apply(init_weights)`, see {@link initWeights}). The same seed gives the same weights
 * on every backend.
 * @example initialModel({ model: 'lenet5', seed: 1 }).parameters().length // 10
 */
export function initialModel(settings: { readonly model: ModelName; readonly seed: number }): nn.Sequential {
  const rng = new Rng(settings.seed);
  const model = getModelSpec(settings.model).build(rng.derive('layers'));
  initWeights(model, rng.derive('xavier'));
  return model;
}
