/**
 * The ops whose kernels depend on how a layout lays tensors out for the threads: the convolutions,
 * the matrix product and average pooling. `GpuBackend` takes one set when it is made (`layout-for-mode.ts`) and
 * calls it for every op, with no branch on the mode: the NCHW kernels of `kernels/` for every
 * mode (`nchw.ts`), or in webasm the batch-last kernels that put examples on the SIMD lanes
 * (`batch-last.ts`), whose pooling runs on a grid over NCHW. Both sets take core's arguments and return a buffer in core's NCHW layout.
 * @module
 */
import type { DataId, FusedActivation, GradientEpilogue, TensorInfo, WindowInfo } from '@lenet/core';

/** What a matrix product does after the sum: a fused bias and activation, a gradient epilogue, or neither. */
export interface MatmulFinish {
  readonly fused?: { readonly bias: TensorInfo | null; readonly activation: FusedActivation };
  readonly gradient?: GradientEpilogue;
}

/** The layout-dependent ops, with the signatures of core's kernels. */
export interface LayoutKernels {
  /** f(conv2d(x, w) + bias); the plain convolution with no bias and `identity`. */
  conv2d(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: FusedActivation, info: WindowInfo): DataId;
  /** ∂L/∂x of the convolution. */
  conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, info: WindowInfo): DataId;
  /** ∂L/∂w of the convolution, with `epilogue` applied to the total. */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: WindowInfo, epilogue: GradientEpilogue | undefined): DataId;
  /** Average pooling. */
  avgPool2d(x: TensorInfo, info: WindowInfo): DataId;
  /** ∂L/∂x of average pooling, with `epilogue` applied to it. */
  avgPool2dBackprop(dy: TensorInfo, info: WindowInfo, epilogue: GradientEpilogue | undefined): DataId;
  /** op(a)·op(b), then `finish`. */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, finish: MatmulFinish): DataId;
}
