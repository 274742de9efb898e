/**
 * Layers (PyTorch's `torch.nn`): {@link Module}, {@link Parameter}, {@link Sequential} and the layers
 * of LeNet — {@link Conv2d}, {@link Linear}, {@link AvgPool2d}, {@link MaxPool2d}, {@link Sigmoid},
 * {@link Tanh}, {@link ReLU}, {@link SiLU}, {@link Flatten}.
 * @module
 */
export { Activation, Sigmoid, Tanh, ReLU, SiLU } from './activations.js';
export { Conv2d, type Conv2dLayerOptions } from './conv2d.js';
export type { LayerDescription } from './describe.js';
export { Flatten } from './flatten.js';
export {
  fuse,
  runFused,
  type FoldedPoolStage,
  type FusedConv2dStage,
  type FusedLinearStage,
  type FusedStage,
  type FusionPlan,
  type RunFusedOptions,
  type UnfusedStage,
} from './fuse.js';
export { Linear, type LinearOptions } from './linear.js';
export { Module, type BufferOptions } from './module.js';
export { Parameter } from './parameter.js';
export { AvgPool2d, MaxPool2d, Pool2d } from './pooling.js';
export { Sequential, type LayerTrace } from './sequential.js';
export { readStateDict, StateDictMismatchError, writeStateDict, type StateDict, type StateEntry } from './state-dict.js';
