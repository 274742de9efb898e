/**
 * A small example call for every kernel of the table (`kernel-table.ts`) that makes a backend
 * compile it, for the kernel viewer and the docs site. Examples use LeNet's shapes at batch 1.
 * @module
 */
import { computeConv2dInfo, computePool2dInfo, type DataId, type Shape, type TensorInfo } from '@lenet/core';
import type { GpuBackend } from '../gpu-backend.js';
import type { KernelName } from '../kernel-table.js';

/** Runs a kernel once on example data; returns every buffer it made, for the caller to dispose. */
export type KernelExample = (backend: GpuBackend) => DataId[];

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

function withInputs(shapes: Shape[], run: (backend: GpuBackend, inputs: TensorInfo[]) => DataId): KernelExample {
  return (backend) => {
    const made: DataId[] = [];
    const inputs = shapes.map((shape) => tensorOf(backend, made, shape));
    made.push(run(backend, inputs));
    return made;
  };
}

/** Logits `[4,10]` and their labels, for the loss kernels' examples. */
function withLogitsAndLabels(run: (backend: GpuBackend, logits: TensorInfo, labels: TensorInfo, made: DataId[]) => DataId): KernelExample {
  return (backend) => {
    const made: DataId[] = [];
    const logits = tensorOf(backend, made, [4, 10]);
    const labels = backend.upload(Float32Array.of(3, 0, 9, 1), [4]);
    made.push(labels);
    made.push(run(backend, logits, { dataId: labels, shape: [4] }, made));
    return made;
  };
}

/** One example per kernel of the table (a missing one is a compile error). */
export const KERNEL_EXAMPLES: { readonly [K in KernelName]: KernelExample } = {
  conv2d: withInputs([C1.inShape, C1.filterShape, [6]], (b, [x, w, bias]) => b.fusedConv2d(x, w, bias, 'sigmoid', C1)),
  conv2dBackpropInput: withInputs([C1.outShape, C1.filterShape], (b, [dy, w]) => b.conv2dBackpropInput(dy, w, C1)),
  conv2dBackpropFilter: withInputs([C1.inShape, C1.outShape], (b, [x, dy]) => b.conv2dBackpropFilter(x, dy, C1)),
  sumParts: withInputs([SLICES, SLICES], (b, [x, dy]) =>
    b.conv2dBackpropFilter(
      { dataId: x.dataId, shape: [64, 1, 28, 28] },
      { dataId: dy.dataId, shape: [64, 1, 28, 28] },
      computeConv2dInfo([64, 1, 28, 28], [1, 1, 1, 1], 1, 0),
    ),
  ),
  avgPool2d: withInputs([S2.inShape], (b, [x]) => b.avgPool2d(x, S2)),
  avgPool2dBackprop: withInputs([S2.outShape], (b, [dy]) => b.avgPool2dBackprop(dy, S2)),
  maxPool2d: withInputs([S2.inShape], (b, [x]) => b.maxPool2d(x, S2)),
  maxPool2dBackprop: withInputs([S2.outShape, S2.inShape], (b, [dy, x]) => b.maxPool2dBackprop(dy, x, S2)),
  matmul: withInputs([F5_INPUT, F5_WEIGHT, [120]], (b, [x, w, bias]) => b.fusedMatmul(x, w, bias, 'sigmoid', false, true)),
  add: withInputs([C1_MAPS, C1_BIAS], (b, [x, y]) => b.binary('add', x, y, [1, 6, 28, 28])),
  sub: withInputs([[4, 10], [10]], (b, [x, y]) => b.binary('sub', x, y, [4, 10])),
  mul: withInputs([[4, 10], [10]], (b, [x, y]) => b.binary('mul', x, y, [4, 10])),
  div: withInputs([[4, 10], [10]], (b, [x, y]) => b.binary('div', x, y, [4, 10])),
  neg: withInputs([SMALL], (b, [x]) => b.unary('neg', x)),
  exp: withInputs([SMALL], (b, [x]) => b.unary('exp', x)),
  log: withInputs([SMALL], (b, [x]) => b.unary('log', x)),
  sqrt: withInputs([SMALL], (b, [x]) => b.unary('sqrt', x)),
  square: withInputs([SMALL], (b, [x]) => b.unary('square', x)),
  activation: withInputs([C1_MAPS], (b, [x]) => b.unary('sigmoid', x)),
  activationGrad: withInputs([SMALL, SMALL], (b, [y, dy]) => b.activationGrad('sigmoid', y, dy)),
  affine: withInputs([SMALL], (b, [x]) => b.affine(x, 0.5, 1)),
  fill: (b) => [b.fill(SMALL, 0.25)],
  copy: withInputs([SMALL], (b, [x]) => b.affine(x, 1, 0)),
  sumTo: withInputs([C1_MAPS], (b, [x]) => b.sumTo(x, [1, 6, 1, 1])),
  broadcastTo: withInputs([C1_BIAS], (b, [x]) => b.broadcastTo(x, [2, 6, 28, 28])),
  softmax: withInputs([[4, 10]], (b, [x]) => b.softmax(x)),
  logSoftmax: withInputs([[4, 10]], (b, [x]) => b.logSoftmax(x)),
  softmaxCrossEntropy: withLogitsAndLabels((b, logits, labels) => b.softmaxCrossEntropy(logits, labels)),
  softmaxCrossEntropyGrad: withLogitsAndLabels((b, logits, labels, made) =>
    b.softmaxCrossEntropyGrad(logits, labels, tensorOf(b, made, [4])),
  ),
  softmaxCrossEntropyMeanGrad: withLogitsAndLabels((b, logits, labels) => b.softmaxCrossEntropyMeanGrad(logits, labels)),
  classificationMetrics: withLogitsAndLabels((b, logits, labels, made) =>
    b.classificationMetrics(logits, labels, tensorOf(b, made, [2], 0)),
  ),
  sgdUpdate: withInputs([C1_FILTER, C1_FILTER], (b, [w, g]) => b.sgdUpdate(w, g, 0.9)),
};
