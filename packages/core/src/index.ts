/**
 * `@lenet/core`: tensors, define-by-run autograd, the backend interface, layers, initialisation,
 * losses, optimisers and data loading.
 * @module
 */
export type {
  ActivationGradEpilogue,
  ActivationOp,
  Backend,
  BinaryOp,
  DataId,
  FusedActivation,
  GradientEpilogue,
  Kernels,
  SgdUpdateEpilogue,
  TensorInfo,
  UnaryOp,
} from './backend/backend.js';
export { formatShape, shapesEqual, sizeOf, stridesOf, type Shape } from './shape/shape.js';
export { broadcastShapes, broadcastStrides, expandRank } from './shape/broadcast.js';
export {
  computeConv2dInfo,
  computePool2dInfo,
  toPair,
  windowExtents,
  type PairLike,
  type WindowExtents,
  type WindowInfo,
} from './shape/window-info.js';

export { getBackend, setBackend } from './engine/engine.js';
export { dispose, keep, noGrad, tidy, tidyAsync } from './engine/memory.js';
export { Tensor, type BackwardFn, type GraphNode, type TensorOptions } from './tensor/tensor.js';
export { full, ones, scalar, tensor, zeros } from './tensor/creation.js';
export { topologicalOrder } from './autograd/backward.js';
export { toDot } from './autograd/graph-dot.js';

export { add, div, mul, sub } from './ops/arithmetic.js';
export { affine, exp, log, neg, sqrt, square } from './ops/unary-math.js';
export {
  ACTIVATION_OPS,
  ACTIVATIONS,
  FUSED_ACTIVATIONS,
  gradientReadsOutput,
  relu,
  sigmoid,
  silu,
  tanh,
  type ActivationDefinition,
} from './ops/activations.js';
export { matmul, type MatmulOptions } from './ops/matmul.js';
export { broadcastTo, mean, sum, sumTo } from './ops/reduce.js';
export { flatten, reshape } from './ops/reshape.js';
export { conv2d, type Conv2dOptions } from './ops/conv2d.js';
export { avgPool2d, maxPool2d, type AvgPool2dOptions, type Pool2dOptions } from './ops/pool.js';
export { accumulateClassificationMetrics, crossEntropy, crossEntropyGrad, logSoftmax, softmax } from './ops/softmax.js';
export type { FoldedUpdate, FusedBackwardOptions } from './ops/fused-backward.js';
export { fusedConv2d, type FusedConv2dOptions } from './ops/fused-conv2d.js';
export { fusedMatmul, type FusedMatmulOptions } from './ops/fused-matmul.js';

export * as nn from './nn/index.js';
export * as init from './init/index.js';
export * as optim from './optim/index.js';
export { ArrayDataset, DataLoader, type DataLoaderOptions, type Dataset } from './data/index.js';
export { Rng } from './random/index.js';
