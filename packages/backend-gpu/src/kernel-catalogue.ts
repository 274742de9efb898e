/**
 * The one table of this package's kernels: each GPU.js kernel function by a short name (the
 * `Backend` op it serves, or the op for element-wise ones), with what it computes and a small
 * example call that makes the backend compile it. `GpuBackend` launches its kernels from this table,
 * and the kernel viewer (`npm run kernels -- conv2d --mode webgpu`) and the docs site show them.
 * Examples use LeNet's shapes at batch 1. webasm's batch-last convolutions (`kernels/webasm/`)
 * are not in the table: they are compiled in webasm only, which has no shader text to show.
 * @module
 */
import { computeConv2dInfo, computePool2dInfo, type DataId, type Shape, type TensorInfo } from '@lenet/core';
import type { GpuBackend } from './gpu-backend.js';
import { reluGradKernel, sigmoidGradKernel, tanhGradKernel } from './kernels/activation-grad.js';
import { avgPool2dBackpropKernel, avgPool2dKernel } from './kernels/avg-pool2d.js';
import { addKernel, divKernel, mulKernel, subKernel } from './kernels/binary.js';
import { classificationMetricsKernel } from './kernels/classification-metrics.js';
import { conv2dKernel } from './kernels/conv2d.js';
import { conv2dBackpropFilterKernel, sumPartsKernel } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './kernels/conv2d-backprop-input.js';
import {
  affineKernel,
  copyKernel,
  expKernel,
  fillKernel,
  logKernel,
  negKernel,
  reluKernel,
  sigmoidKernel,
  sqrtKernel,
  squareKernel,
  tanhKernel,
} from './kernels/elementwise.js';
import { fusedConv2dKernel } from './kernels/fused-conv2d.js';
import { fusedMatmulKernel } from './kernels/fused-matmul.js';
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

/** What the viewer needs of a kernel function. */
export interface KernelSourceFunction {
  /** The function's name, e.g. `conv2dKernel`. */
  readonly name: string;
  /** Its JavaScript source, which gpu.js parses. */
  toString(): string;
}

/** One kernel of the table. */
export interface CatalogueEntry<K extends KernelSourceFunction = KernelSourceFunction> {
  /** The kernel function gpu.js translates (its `name` and `toString()` are what the viewer shows). */
  readonly kernel: K;
  /** What it computes, in one line. */
  readonly summary: string;
  /** Runs it once on example data; returns every buffer it made, for the caller to dispose. */
  readonly example: (backend: GpuBackend) => DataId[];
}

const C1 = computeConv2dInfo([1, 1, 28, 28], [6, 1, 5, 5], 1, 2);
const S2 = computePool2dInfo([1, 6, 28, 28], 2);

/** Example shapes used by several entries. */
const SMALL: Shape = [6, 10];
const C1_MAPS: Shape = [1, 6, 28, 28];
const C1_BIAS: Shape = [1, 6, 1, 1];
const C1_FILTER: Shape = [6, 1, 5, 5];
const F5_INPUT: Shape = [1, 400];
const F5_WEIGHT: Shape = [120, 400];
/** The filter gradient of 64 one-channel slices, enough for the GPU backend to split it into parts that `sumParts` adds. */
const SLICES: Shape = [64, 28, 28];

function tensorOf(backend: GpuBackend, made: DataId[], shape: Shape, value = 0.5): TensorInfo {
  const size = shape.reduce((a, b) => a * b, 1);
  const dataId = backend.upload(
    Float32Array.from({ length: size }, (_, i) => value * Math.sin(i + 1)),
    shape,
  );
  made.push(dataId);
  return { dataId, shape };
}

function withInputs(shapes: Shape[], run: (backend: GpuBackend, inputs: TensorInfo[]) => DataId): (backend: GpuBackend) => DataId[] {
  return (backend) => {
    const made: DataId[] = [];
    const inputs = shapes.map((shape) => tensorOf(backend, made, shape));
    made.push(run(backend, inputs));
    return made;
  };
}

/** Logits `[4,10]` and their labels, for the loss kernels' examples. */
function withLogitsAndLabels(
  run: (backend: GpuBackend, logits: TensorInfo, labels: TensorInfo, made: DataId[]) => DataId,
): (backend: GpuBackend) => DataId[] {
  return (backend) => {
    const made: DataId[] = [];
    const logits = tensorOf(backend, made, [4, 10]);
    const labels = backend.upload(Float32Array.of(3, 0, 9, 1), [4]);
    made.push(labels);
    made.push(run(backend, logits, { dataId: labels, shape: [4] }, made));
    return made;
  };
}

/**
 * The kernels by short name (the name of the core kernel, or of the op for element-wise ones), each
 * with its own function type, so that `GpuBackend` launches it with the constants it declares.
 */
export const KERNEL_TABLE = {
  conv2d: {
    kernel: conv2dKernel,
    summary: 'formula (1): the convolution, one thread per output',
    example: withInputs([C1.inShape, C1.filterShape], (b, [x, w]) => b.conv2d(x, w, C1)),
  },
  conv2dBackpropInput: {
    kernel: conv2dBackpropInputKernel,
    summary: '∂L/∂a: full convolution with the rotated filter',
    example: withInputs([C1.outShape, C1.filterShape], (b, [dy, w]) => b.conv2dBackpropInput(dy, w, C1)),
  },
  conv2dBackpropFilter: {
    kernel: conv2dBackpropFilterKernel,
    summary: '∂L/∂w: correlation of input and dy, per batch slice',
    example: withInputs([C1.inShape, C1.outShape], (b, [x, dy]) => b.conv2dBackpropFilter(x, dy, C1)),
  },
  sumParts: {
    kernel: sumPartsKernel,
    summary: 'adds the per-slice filter gradients',
    example: withInputs([SLICES, SLICES], (b, [x, dy]) =>
      b.conv2dBackpropFilter(
        { dataId: x.dataId, shape: [64, 1, 28, 28] },
        { dataId: dy.dataId, shape: [64, 1, 28, 28] },
        computeConv2dInfo([64, 1, 28, 28], [1, 1, 1, 1], 1, 0),
      ),
    ),
  },
  avgPool2d: {
    kernel: avgPool2dKernel,
    summary: 'mean over each window',
    example: withInputs([S2.inShape], (b, [x]) => b.avgPool2d(x, S2)),
  },
  avgPool2dBackprop: {
    kernel: avgPool2dBackpropKernel,
    summary: 'spreads dy evenly over each window',
    example: withInputs([S2.outShape], (b, [dy]) => b.avgPool2dBackprop(dy, S2)),
  },
  maxPool2d: {
    kernel: maxPool2dKernel,
    summary: 'max over each window',
    example: withInputs([S2.inShape], (b, [x]) => b.maxPool2d(x, S2)),
  },
  maxPool2dBackprop: {
    kernel: maxPool2dBackpropKernel,
    summary: 'routes dy to each window’s arg-max',
    example: withInputs([S2.outShape, S2.inShape], (b, [dy, x]) => b.maxPool2dBackprop(dy, x, S2)),
  },
  matmul: {
    kernel: matmulKernel,
    summary: 'out = op(a)·op(b), F5: [1,400]·[120,400]ᵀ',
    example: withInputs([F5_INPUT, F5_WEIGHT], (b, [x, w]) => b.matmul(x, w, false, true)),
  },
  add: {
    kernel: addKernel,
    summary: 'a + b with broadcasting (bias add)',
    example: withInputs([C1_MAPS, C1_BIAS], (b, [x, y]) => b.binary('add', x, y, [1, 6, 28, 28])),
  },
  sub: {
    kernel: subKernel,
    summary: 'a − b with broadcasting',
    example: withInputs([[4, 10], [10]], (b, [x, y]) => b.binary('sub', x, y, [4, 10])),
  },
  mul: {
    kernel: mulKernel,
    summary: 'a · b with broadcasting',
    example: withInputs([[4, 10], [10]], (b, [x, y]) => b.binary('mul', x, y, [4, 10])),
  },
  div: {
    kernel: divKernel,
    summary: 'a / b with broadcasting',
    example: withInputs([[4, 10], [10]], (b, [x, y]) => b.binary('div', x, y, [4, 10])),
  },
  neg: { kernel: negKernel, summary: '−x', example: withInputs([[6, 10]], (b, [x]) => b.unary('neg', x)) },
  exp: { kernel: expKernel, summary: 'eˣ', example: withInputs([[6, 10]], (b, [x]) => b.unary('exp', x)) },
  log: { kernel: logKernel, summary: 'ln x', example: withInputs([[6, 10]], (b, [x]) => b.unary('log', x)) },
  sqrt: { kernel: sqrtKernel, summary: '√x', example: withInputs([[6, 10]], (b, [x]) => b.unary('sqrt', x)) },
  square: { kernel: squareKernel, summary: 'x²', example: withInputs([[6, 10]], (b, [x]) => b.unary('square', x)) },
  sigmoid: {
    kernel: sigmoidKernel,
    summary: 'σ(x), overflow-free',
    example: withInputs([[1, 6, 28, 28]], (b, [x]) => b.unary('sigmoid', x)),
  },
  tanh: { kernel: tanhKernel, summary: 'tanh x, overflow-free', example: withInputs([[6, 10]], (b, [x]) => b.unary('tanh', x)) },
  relu: { kernel: reluKernel, summary: 'max(0, x)', example: withInputs([[6, 10]], (b, [x]) => b.unary('relu', x)) },
  affine: { kernel: affineKernel, summary: 'x·scale + shift', example: withInputs([[6, 10]], (b, [x]) => b.affine(x, 0.5, 1)) },
  fill: { kernel: fillKernel, summary: 'a constant tensor', example: (b) => [b.fill([6, 10], 0.25)] },
  copy: {
    kernel: copyKernel,
    summary: 'upload: host values into a device buffer',
    example: withInputs([[6, 10]], (b, [x]) => b.affine(x, 1, 0)),
  },
  sigmoidGrad: {
    kernel: sigmoidGradKernel,
    summary: 'dx = dy·y·(1 − y)',
    example: withInputs([SMALL, SMALL], (b, [y, dy]) => b.activationGrad('sigmoid', y, dy)),
  },
  tanhGrad: {
    kernel: tanhGradKernel,
    summary: 'dx = dy·(1 − y²)',
    example: withInputs([SMALL, SMALL], (b, [y, dy]) => b.activationGrad('tanh', y, dy)),
  },
  reluGrad: {
    kernel: reluGradKernel,
    summary: 'dx = dy·[x > 0]',
    example: withInputs([SMALL, SMALL], (b, [x, dy]) => b.activationGrad('relu', x, dy)),
  },
  sumTo: {
    kernel: sumToKernel,
    summary: 'sums broadcast axes away (bias gradient)',
    example: withInputs([[1, 6, 28, 28]], (b, [x]) => b.sumTo(x, [1, 6, 1, 1])),
  },
  broadcastTo: {
    kernel: broadcastToKernel,
    summary: 'repeats size-1 axes',
    example: withInputs([[1, 6, 1, 1]], (b, [x]) => b.broadcastTo(x, [2, 6, 28, 28])),
  },
  softmax: {
    kernel: softmaxKernel,
    summary: 'softmax along the last axis, stable',
    example: withInputs([[4, 10]], (b, [x]) => b.softmax(x)),
  },
  logSoftmax: {
    kernel: logSoftmaxKernel,
    summary: 'log-softmax along the last axis, stable',
    example: withInputs([[4, 10]], (b, [x]) => b.logSoftmax(x)),
  },
  softmaxCrossEntropy: {
    kernel: softmaxCrossEntropyKernel,
    summary: 'per-example loss −log softmax(x)[label]',
    example: withLogitsAndLabels((b, logits, labels) => b.softmaxCrossEntropy(logits, labels)),
  },
  softmaxCrossEntropyGrad: {
    kernel: softmaxCrossEntropyGradKernel,
    summary: 'd logits = dLoss·(softmax − one-hot)',
    example: withLogitsAndLabels((b, logits, labels, made) => b.softmaxCrossEntropyGrad(logits, labels, tensorOf(b, made, [4]))),
  },
  softmaxCrossEntropyMeanGrad: {
    kernel: softmaxCrossEntropyMeanGradKernel,
    summary: 'the seed of backpropagation: (softmax − one-hot)/N',
    example: withLogitsAndLabels((b, logits, labels) => b.softmaxCrossEntropyMeanGrad(logits, labels)),
  },
  classificationMetrics: {
    kernel: classificationMetricsKernel,
    summary: 'running [Σ loss, correct predictions] on the device',
    example: withLogitsAndLabels((b, logits, labels, made) => b.classificationMetrics(logits, labels, tensorOf(b, made, [2], 0))),
  },
  fusedConv2d: {
    kernel: fusedConv2dKernel,
    summary: 'formulas (1) and (2): convolution + bias + activation',
    example: withInputs([C1.inShape, C1.filterShape, [6]], (b, [x, w, bias]) => b.fusedConv2d(x, w, bias, 'sigmoid', C1)),
  },
  fusedMatmul: {
    kernel: fusedMatmulKernel,
    summary: 'matrix product + bias + activation, F5: σ([1,400]·[120,400]ᵀ + b)',
    example: withInputs([[1, 400], [120, 400], [120]], (b, [x, w, bias]) => b.fusedMatmul(x, w, bias, 'sigmoid', false, true)),
  },
  sgdUpdate: {
    kernel: sgdUpdateKernel,
    summary: 'w − lr·g, one parameter',
    example: withInputs([C1_FILTER, C1_FILTER], (b, [w, g]) => b.sgdUpdate(w, g, 0.9)),
  },
} as const satisfies Record<string, CatalogueEntry>;

/** A kernel's short name in {@link KERNEL_CATALOGUE}. */
export type KernelName = keyof typeof KERNEL_TABLE;

/** Every kernel of this package by its short name: what the viewer and the docs list. */
export const KERNEL_CATALOGUE: Readonly<Record<KernelName, CatalogueEntry>> = KERNEL_TABLE;

/** The names {@link KERNEL_CATALOGUE} knows, sorted. */
export function catalogueNames(): KernelName[] {
  return Object.keys(KERNEL_CATALOGUE).filter(isKernelName).sort();
}

/** Whether `name` names a kernel of {@link KERNEL_CATALOGUE}. */
export function isKernelName(name: string): name is KernelName {
  return Object.hasOwn(KERNEL_CATALOGUE, name);
}
