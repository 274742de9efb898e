/**
 * The CPU kernels, one idea per file, each the textbook formula over `Float32Array`s with loops named
 * after the formula's symbols. `CpuBackend` only looks up buffers and calls these; they are
 * exported (as `kernels`) so that the docs can show them and a learner can call them directly.
 *
 * @example
 * import { computeConv2dInfo } from '@lenet/core';
 * import { kernels } from '@lenet/backend-cpu';
 * const info = computeConv2dInfo([1, 1, 3, 3], [1, 1, 2, 2], 1, 0);
 * kernels.conv2d(Float32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8), Float32Array.of(0, 1, 2, 3), info);
 * // Float32Array [19, 25, 37, 43]
 * @module
 */
export { ACTIVATION_FORMULAS, activationGrad, type ActivationFormulas } from './activations.js';
export { Array4 } from './array4.js';
export { avgPool2d, avgPool2dBackprop } from './avg-pool2d.js';
export { binary } from './binary.js';
export { coordinatesOf, positionOf } from './broadcast-index.js';
export { classificationMetrics } from './classification-metrics.js';
export { conv2d } from './conv2d.js';
export { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
export { conv2dBackpropInput } from './conv2d-backprop-input.js';
export { affine, fill, unary } from './elementwise.js';
export { epilogue } from './epilogue.js';
export { fusedConv2d } from './fused-conv2d.js';
export { fusedMatmul } from './fused-matmul.js';
export { gradientEpilogue, type ActivationGradValues, type GradientEpilogueValues, type SgdUpdateValues } from './gradient-epilogue.js';
export { matmul } from './matmul.js';
export { maxPool2d, maxPool2dBackprop } from './max-pool2d.js';
export { broadcastTo, sumTo } from './reduce.js';
export { sgdUpdate } from './sgd-update.js';
export { logSoftmax, rowLogSumExp, rowMax, softmax } from './softmax.js';
export { softmaxCrossEntropy, softmaxCrossEntropyGrad, softmaxCrossEntropyMeanGrad } from './softmax-cross-entropy.js';
