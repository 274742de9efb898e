/**
 * `@lenet/backend-cpu`: a readable CPU backend. Every kernel is the textbook formula over
 * `Float32Array`, with loops named after the formula's symbols; it is the reference the other
 * backends are tested against.
 *
 * @example
 * import { setBackend } from '@lenet/core';
 * import { CpuBackend } from '@lenet/backend-cpu';
 * setBackend(new CpuBackend());
 * @module
 */
export { CpuBackend } from './cpu-backend.js';
export { Array4 } from './kernels/array4.js';
export { activationGrad } from './kernels/activation-grad.js';
export { avgPool2d, avgPool2dBackprop } from './kernels/avg-pool2d.js';
export { binary } from './kernels/binary.js';
export { broadcastStrides, coordinatesOf, positionOf } from './kernels/broadcast-index.js';
export { conv2d } from './kernels/conv2d.js';
export { conv2dBackpropFilter } from './kernels/conv2d-backprop-filter.js';
export { conv2dBackpropInput } from './kernels/conv2d-backprop-input.js';
export { affine, fill, unary } from './kernels/elementwise.js';
export { matmul } from './kernels/matmul.js';
export { maxPool2d, maxPool2dBackprop } from './kernels/max-pool2d.js';
export { broadcastTo, sumTo } from './kernels/reduce.js';
export { logSoftmax, rowLogSumExp, rowMax, softmax } from './kernels/softmax.js';
export { softmaxCrossEntropy, softmaxCrossEntropyGrad } from './kernels/softmax-cross-entropy.js';
