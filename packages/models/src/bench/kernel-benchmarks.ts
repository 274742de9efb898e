/**
 * The kernels the benchmark times one by one, at the sizes a batch of d2l's LeNet gives them.
 * @module
 */
import { computeConv2dInfo, computePool2dInfo, type Backend, type DataId, type Shape, type TensorInfo } from '@lenet/core';

/** One timed kernel call. */
export interface KernelBenchmark {
  /** e.g. `conv2d C1 [256,1,28,28]·[6,1,5,5]`. */
  readonly name: string;
  /** Input shapes (uploaded once, before timing). */
  readonly inputs: readonly Shape[];
  /** Indices of inputs that hold class labels (filled with class indices 0..9, not random values). */
  readonly labelInputs?: readonly number[];
  /** The call, on tensors of {@link inputs}. */
  readonly run: (backend: Backend, inputs: readonly TensorInfo[]) => DataId;
}

/** LeNet's kernels at batch `batch`, forward and backward. */
export function lenetKernelBenchmarks(batch: number): KernelBenchmark[] {
  const c1 = computeConv2dInfo([batch, 1, 28, 28], [6, 1, 5, 5], 1, 2);
  const s2 = computePool2dInfo(c1.outShape, 2);
  const c3 = computeConv2dInfo(s2.outShape, [16, 6, 5, 5], 1, 0);
  const s4 = computePool2dInfo(c3.outShape, 2);
  return [
    { name: 'conv2d C1', inputs: [c1.inShape, c1.filterShape], run: (b, [x, w]) => b.conv2d(x, w, c1) },
    { name: 'conv2dBackpropFilter C1', inputs: [c1.inShape, c1.outShape], run: (b, [x, dy]) => b.conv2dBackpropFilter(x, dy, c1) },
    { name: 'sigmoid C1 out', inputs: [c1.outShape], run: (b, [x]) => b.unary('sigmoid', x) },
    { name: 'add bias C1', inputs: [c1.outShape, [1, 6, 1, 1]], run: (b, [x, bias]) => b.binary('add', x, bias, c1.outShape) },
    { name: 'sumTo bias grad C1', inputs: [c1.outShape], run: (b, [dy]) => b.sumTo(dy, [1, 6, 1, 1]) },
    { name: 'avgPool2d S2', inputs: [s2.inShape], run: (b, [x]) => b.avgPool2d(x, s2) },
    { name: 'avgPool2dBackprop S2', inputs: [s2.outShape], run: (b, [dy]) => b.avgPool2dBackprop(dy, s2) },
    { name: 'conv2d C3', inputs: [c3.inShape, c3.filterShape], run: (b, [x, w]) => b.conv2d(x, w, c3) },
    { name: 'conv2dBackpropInput C3', inputs: [c3.outShape, c3.filterShape], run: (b, [dy, w]) => b.conv2dBackpropInput(dy, w, c3) },
    { name: 'conv2dBackpropFilter C3', inputs: [c3.inShape, c3.outShape], run: (b, [x, dy]) => b.conv2dBackpropFilter(x, dy, c3) },
    { name: 'avgPool2d S4', inputs: [s4.inShape], run: (b, [x]) => b.avgPool2d(x, s4) },
    {
      name: 'matmul F5 x·Wᵀ',
      inputs: [
        [batch, 400],
        [120, 400],
      ],
      run: (b, [x, w]) => b.matmul(x, w, false, true),
    },
    {
      name: 'matmul F5 dyᵀ·x',
      inputs: [
        [batch, 120],
        [batch, 400],
      ],
      run: (b, [dy, x]) => b.matmul(dy, x, true, false),
    },
    {
      name: 'matmul F5 dy·W',
      inputs: [
        [batch, 120],
        [120, 400],
      ],
      run: (b, [dy, w]) => b.matmul(dy, w, false, false),
    },
    {
      name: 'softmaxCrossEntropyGrad',
      inputs: [[batch, 10], [batch], [batch]],
      labelInputs: [1],
      run: (b, [x, y, d]) => b.softmaxCrossEntropyGrad(x, y, d),
    },
  ];
}
