/**
 * `@lenet/core`: tensors, define-by-run autograd, the backend interface, layers, initialisation,
 * losses, optimisers and data loading.
 * @module
 */
export type { ActivationOp, Backend, BinaryOp, DataId, Kernels, TensorInfo, UnaryOp } from './backend/backend.js';
export { formatShape, shapesEqual, sizeOf, stridesOf, type Shape } from './shape/shape.js';
export { broadcastShapes, expandRank } from './shape/broadcast.js';
export { computeConv2dInfo, computePool2dInfo, toPair, type PairLike, type WindowInfo } from './shape/window-info.js';
