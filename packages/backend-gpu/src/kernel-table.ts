/**
 * The one table of this package's kernels: each GPU.js kernel function by a short name (the
 * `Backend` op it serves), with what it computes. `GpuBackend` and the layouts launch these
 * functions; the kernel viewer (`npm run kernels -- conv2d --mode webgpu`, `cli/`) and the docs
 * site list them. webasm's batch-last kernels (`kernels/webasm/`) are not in the table: they run in
 * webasm only, which has no shader text to show.
 * @module
 */
import { activationGradKernel, activationKernel } from './kernels/activations.js';
import { avgPool2dBackpropKernel, avgPool2dKernel } from './kernels/avg-pool2d.js';
import { addKernel, divKernel, mulKernel, subKernel } from './kernels/binary.js';
import { classificationMetricsKernel } from './kernels/classification-metrics.js';
import { conv2dKernel } from './kernels/conv2d.js';
import { conv2dBackpropFilterKernel, sumPartsKernel } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './kernels/conv2d-backprop-input.js';
import { affineKernel, copyKernel, expKernel, fillKernel, logKernel, negKernel, sqrtKernel, squareKernel } from './kernels/elementwise.js';
import type { KernelSourceFunction } from './kernels/kernel-splice.js';
import { matmulKernel } from './kernels/matmul.js';
import { maxPool2dBackpropKernel, maxPool2dKernel } from './kernels/max-pool2d.js';
import { broadcastToKernel, sumToKernel } from './kernels/reduce.js';
import { sgdUpdateKernel } from './kernels/sgd-update.js';
import { logSoftmaxKernel, softmaxKernel } from './kernels/softmax.js';
import {
  softmaxCrossEntropyGradKernel,
  softmaxCrossEntropyKernel,
  softmaxCrossEntropyMeanGradKernel,
} from './kernels/softmax-cross-entropy.js';

/** One kernel of the table. */
export interface KernelEntry<K extends KernelSourceFunction = KernelSourceFunction> {
  /** The kernel function gpu.js translates (its `name` and source are what the viewer shows). */
  readonly kernel: K;
  /** What it computes, in one line. */
  readonly summary: string;
}

/**
 * The kernels by short name, each with its own function type, so that a launch passes the
 * constants it declares.
 */
export const KERNELS = {
  conv2d: { kernel: conv2dKernel, summary: 'formulas (1) and (2): convolution, bias and activation, one thread per output' },
  conv2dBackpropInput: { kernel: conv2dBackpropInputKernel, summary: '∂L/∂a: full convolution with the rotated filter' },
  conv2dBackpropFilter: { kernel: conv2dBackpropFilterKernel, summary: '∂L/∂w: correlation of input and dy, per batch slice' },
  sumParts: { kernel: sumPartsKernel, summary: 'adds the per-slice filter gradients' },
  avgPool2d: { kernel: avgPool2dKernel, summary: 'mean over each window' },
  avgPool2dBackprop: { kernel: avgPool2dBackpropKernel, summary: 'spreads dy evenly over each window' },
  maxPool2d: { kernel: maxPool2dKernel, summary: 'max over each window' },
  maxPool2dBackprop: { kernel: maxPool2dBackpropKernel, summary: 'routes dy to each window’s arg-max' },
  matmul: { kernel: matmulKernel, summary: 'op(a)·op(b), then bias and activation or a gradient epilogue' },
  add: { kernel: addKernel, summary: 'a + b with broadcasting (bias add)' },
  sub: { kernel: subKernel, summary: 'a − b with broadcasting' },
  mul: { kernel: mulKernel, summary: 'a · b with broadcasting' },
  div: { kernel: divKernel, summary: 'a / b with broadcasting' },
  neg: { kernel: negKernel, summary: '−x' },
  exp: { kernel: expKernel, summary: 'eˣ' },
  log: { kernel: logKernel, summary: 'ln x' },
  sqrt: { kernel: sqrtKernel, summary: '√x' },
  square: { kernel: squareKernel, summary: 'x²' },
  activation: { kernel: activationKernel, summary: 'f(x) for an activation of core (sigmoid, tanh, relu, …)' },
  activationGrad: { kernel: activationGradKernel, summary: 'dx = dy·f′ for an activation of core' },
  affine: { kernel: affineKernel, summary: 'x·scale + shift' },
  fill: { kernel: fillKernel, summary: 'a constant tensor' },
  copy: { kernel: copyKernel, summary: 'upload: host values into a device buffer' },
  sumTo: { kernel: sumToKernel, summary: 'sums broadcast axes away (bias gradient)' },
  broadcastTo: { kernel: broadcastToKernel, summary: 'repeats size-1 axes' },
  softmax: { kernel: softmaxKernel, summary: 'softmax along the last axis, stable' },
  logSoftmax: { kernel: logSoftmaxKernel, summary: 'log-softmax along the last axis, stable' },
  softmaxCrossEntropy: { kernel: softmaxCrossEntropyKernel, summary: 'per-example loss −log softmax(x)[label]' },
  softmaxCrossEntropyGrad: { kernel: softmaxCrossEntropyGradKernel, summary: 'd logits = dLoss·(softmax − one-hot)' },
  softmaxCrossEntropyMeanGrad: {
    kernel: softmaxCrossEntropyMeanGradKernel,
    summary: 'the seed of backpropagation: (softmax − one-hot)/N',
  },
  classificationMetrics: { kernel: classificationMetricsKernel, summary: 'running [Σ loss, correct predictions] on the device' },
  sgdUpdate: { kernel: sgdUpdateKernel, summary: 'w − lr·g, one parameter' },
} as const satisfies Record<string, KernelEntry>;

/** A kernel's short name in {@link KERNELS}. */
export type KernelName = keyof typeof KERNELS;

/** The names {@link KERNELS} knows, sorted. */
export function kernelNames(): KernelName[] {
  return Object.keys(KERNELS).filter(isKernelName).sort();
}

/** Whether `name` names a kernel of {@link KERNELS}. */
export function isKernelName(name: string): name is KernelName {
  return Object.hasOwn(KERNELS, name);
}
