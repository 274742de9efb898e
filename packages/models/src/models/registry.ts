/**
 * The models the CLIs know, by name.
 * @module
 */
import type { nn, Rng, Shape } from '@lenet/core';
import { LENET5_CLASSIC_LAYER_NAMES, lenet5Classic } from './lenet5-classic.js';
import { lenet5Modern } from './lenet5-modern.js';
import { lenet5 } from './lenet5.js';

/** The names of the models, as `--model` takes them. */
export const MODEL_NAMES = ['lenet5', 'lenet5-modern', 'lenet5-classic'] as const;

/** One of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** What the registry knows about a model. */
export interface ModelSpec {
  /** Its name, e.g. `lenet5`. */
  readonly name: ModelName;
  /** One line for `--help` and the README. */
  readonly description: string;
  /** The shape of one input example, `[channels, height, width]`: `[1, 28, 28]` for all three. */
  readonly exampleShape: Shape;
  /**
   * The learning rate `train` uses when `--lr` is not given: d2l's 0.9 for `lenet5`; ReLU units die at
   * 0.9, so 0.1 for `lenet5-modern`; the RBF output's squared distances give gradients two orders of
   * magnitude larger than a softmax over logits, so 0.001 for `lenet5-classic`.
   */
  readonly defaultLr: number;
  /** Builds the network, drawing its initial weights from `rng`. */
  readonly build: (rng: Rng) => nn.Sequential;
  /** Names of some layers by their index (the paper's C1, S2, …), shown by `summary`. */
  readonly layerNames: Readonly<Record<string, string>>;
}

/** The paper's layer names at their indices in d2l's Sequential (shared by lenet5 and lenet5-modern). */
const D2L_LAYER_NAMES: Readonly<Record<string, string>> = {
  '0': 'C1',
  '2': 'S2',
  '3': 'C3',
  '5': 'S4',
  '7': 'C5',
  '9': 'F6',
  '11': 'OUTPUT',
};

const SPECS: Readonly<Record<ModelName, ModelSpec>> = {
  lenet5: {
    name: 'lenet5',
    description: "d2l's LeNet-5: sigmoid, average pooling, 400→120→84→10 (61,706 parameters)",
    exampleShape: [1, 28, 28],
    defaultLr: 0.9,
    build: lenet5,
    layerNames: D2L_LAYER_NAMES,
  },
  'lenet5-modern': {
    name: 'lenet5-modern',
    description: 'the same shape with ReLU and max pooling',
    exampleShape: [1, 28, 28],
    defaultLr: 0.1,
    build: lenet5Modern,
    layerNames: D2L_LAYER_NAMES,
  },
  'lenet5-classic': {
    name: 'lenet5-classic',
    description: 'LeCun 1998: 32x32 input, scaled tanh, trainable subsampling, C3 table, RBF output (60,000 parameters)',
    exampleShape: [1, 28, 28],
    defaultLr: 0.001,
    build: lenet5Classic,
    layerNames: LENET5_CLASSIC_LAYER_NAMES,
  },
};

/** An unknown model name; the message lists the valid ones. The CLIs exit with code 2. */
export class UnknownModelError extends Error {
  /** The name that was asked for. */
  readonly modelName: string;

  /** @param modelName the name that is not in the registry */
  constructor(modelName: string) {
    super(`unknown model '${modelName}': choose one of ${MODEL_NAMES.join(', ')}`);
    this.name = 'UnknownModelError';
    this.modelName = modelName;
  }
}

/** Whether `name` is one of {@link MODEL_NAMES}. */
export function isModelName(name: string): name is ModelName {
  return MODEL_NAMES.some((known) => known === name);
}

/**
 * The spec of the model called `name`.
 * @throws UnknownModelError naming the valid models.
 * @example getModelSpec('lenet5').build(new Rng(0)).numParameters() // 61706
 */
export function getModelSpec(name: string): ModelSpec {
  if (!isModelName(name)) throw new UnknownModelError(name);
  return SPECS[name];
}
