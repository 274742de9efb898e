/**
 * The convolutions as webasm runs them: the inputs moved to the batch-last layout `[C,H,W,N]`, the
 * kernel of `kernels/batch-last/` run on a grid whose x axis is the example (four examples per
 * SIMD quad), the result moved back to NCHW. Why this is faster is in `kernels/batch-last/layout.ts`;
 * the figures are in the package README. The other modes run the NCHW kernels.
 * @module
 */
import type { DataId, FusedActivation, GradientEpilogue, Shape, TensorInfo, WindowInfo } from '@lenet/core';
import { windowExtents } from '@lenet/core';
import { conv2dBatchLastKernel } from './kernels/batch-last/conv2d.js';
import { conv2dBackpropFilterBatchLastKernel } from './kernels/batch-last/conv2d-backprop-filter.js';
import { conv2dBackpropInputBatchLastKernel } from './kernels/batch-last/conv2d-backprop-input.js';
import { fromBatchLastKernel, toBatchLastKernel } from './kernels/batch-last/layout.js';
import { epilogueConstants } from './kernels/epilogue.js';
import type { KernelFunction, KernelThreads } from './runtime/kernel-runner.js';

/** What these convolutions need of the backend. */
export interface KernelLauncher {
  /** Runs a kernel over `threads` and registers its output. */
  launch<C extends object>(
    kernel: KernelFunction<C>,
    constants: C,
    threads: KernelThreads,
    inputs: readonly (TensorInfo | number)[],
  ): DataId;
  /** Frees a buffer. */
  dispose(dataId: DataId): void;
  /** The backend's `sumTo`. */
  sumTo(x: TensorInfo, outShape: Shape, epilogue?: GradientEpilogue): DataId;
}

/** `f(conv2d(x, w) + bias)`, or the plain convolution (no bias, identity). */
export function conv2dBatchLast(
  launcher: KernelLauncher,
  x: TensorInfo,
  w: TensorInfo,
  bias: TensorInfo | null,
  activation: FusedActivation,
  info: WindowInfo,
): DataId {
  const a = toBatchLast(launcher, x);
  const constants = { ...windowExtents(info), ...epilogueConstants(bias, activation) };
  const grid: KernelThreads = [info.batch, info.outHeight * info.outWidth, info.outChannels];
  const out = launcher.launch(conv2dBatchLastKernel, constants, grid, [a, w, bias ?? w]);
  launcher.dispose(a.dataId);
  return fromBatchLast(launcher, out, info.outShape);
}

/** ∂L/∂x of the convolution. */
export function conv2dBackpropInputBatchLast(launcher: KernelLauncher, dy: TensorInfo, w: TensorInfo, info: WindowInfo): DataId {
  const dz = toBatchLast(launcher, dy);
  const grid: KernelThreads = [info.batch, info.inHeight * info.inWidth, info.inChannels];
  const out = launcher.launch(conv2dBackpropInputBatchLastKernel, windowExtents(info), grid, [dz, w]);
  launcher.dispose(dz.dataId);
  return fromBatchLast(launcher, out, info.inShape);
}

/** ∂L/∂w of the convolution: one sum per (example, filter element), then the sum over the examples, which takes `epilogue`. */
export function conv2dBackpropFilterBatchLast(
  launcher: KernelLauncher,
  x: TensorInfo,
  dy: TensorInfo,
  info: WindowInfo,
  epilogue: GradientEpilogue | undefined,
): DataId {
  const a = toBatchLast(launcher, x);
  const dz = toBatchLast(launcher, dy);
  const filterElements = info.outChannels * info.inChannels * info.kernelHeight * info.kernelWidth;
  const grid: KernelThreads = [info.batch, info.kernelHeight * info.kernelWidth, info.outChannels * info.inChannels];
  const perExample = launcher.launch(conv2dBackpropFilterBatchLastKernel, windowExtents(info), grid, [a, dz]);
  launcher.dispose(a.dataId);
  launcher.dispose(dz.dataId);
  const total = launcher.sumTo({ dataId: perExample, shape: [filterElements, info.batch] }, [filterElements, 1], epilogue);
  launcher.dispose(perExample);
  return total;
}

/** An NCHW tensor `[N, C, H, W]` as a new batch-last one `[C, H, W, N]`. */
function toBatchLast(launcher: KernelLauncher, t: TensorInfo): TensorInfo {
  const [batch, ...example] = t.shape;
  const exampleSize = example.reduce((a, b) => a * b, 1);
  const dataId = launcher.launch(toBatchLastKernel, { batch, exampleSize }, [batch, exampleSize, 1], [t]);
  return { dataId, shape: [...example, batch] };
}

/** A batch-last result (freed here) as an NCHW tensor of `shape`. */
function fromBatchLast(launcher: KernelLauncher, dataId: DataId, shape: Shape): DataId {
  const [batch, ...example] = shape;
  const exampleSize = example.reduce((a, b) => a * b, 1);
  const out = launcher.launch(
    fromBatchLastKernel,
    { batch, exampleSize },
    [exampleSize, batch, 1],
    [{ dataId, shape: [...example, batch] }],
  );
  launcher.dispose(dataId);
  return out;
}
