/**
 * The batch-last kernel set (`layout-kernels.ts`), how webasm runs the convolutions, the matrix product and
 * average pooling: on grids whose x axis is the SIMD lane
 * axis of gpu.js's WebAssembly (`kernels/webasm/transpose.ts` says why). The convolutions move
 * their inputs to the batch-last layout `[C,H,W,N]`, run there and move the result back to NCHW;
 * the matrix product transposes a b it reads transposed. The other modes run the kernels of
 * `kernels/` directly. The figures are in the package README.
 * @module
 */
import type { DataId, FusedActivation, GradientEpilogue, Shape, TensorInfo, WindowInfo } from '@lenet/core';
import { windowExtents } from '@lenet/core';
import type { KernelLauncher } from '../kernel-launcher.js';
import { epilogueConstants } from '../kernels/epilogue.js';
import { gradientEpilogueArguments, gradientEpilogueConstants } from '../kernels/gradient-epilogue.js';
import { avgPool2dBackpropRowsKernel, avgPool2dRowsKernel } from '../kernels/webasm/avg-pool2d.js';
import { conv2dBatchLastKernel } from '../kernels/webasm/conv2d.js';
import { conv2dBackpropFilterBatchLastKernel, filterGradientRowBlocks } from '../kernels/webasm/conv2d-backprop-filter.js';
import { conv2dBackpropInputBatchLastKernel } from '../kernels/webasm/conv2d-backprop-input.js';
import { matmulRowsKernel } from '../kernels/webasm/matmul.js';
import { sumBlockedExamplesKernel } from '../kernels/webasm/sum-blocked-examples.js';
import { pixelMajorKernel, transposeKernel } from '../kernels/webasm/transpose.js';
import { unblockKernel } from '../kernels/webasm/unblock.js';
import type { KernelThreads } from '../runtime/kernel-runner.js';
import type { LayoutKernels, MatmulFinish } from './layout-kernels.js';

/** The batch-last kernel set: each op moves its inputs to the lanes' layout, runs there, and moves the result back. */
export class BatchLastKernels implements LayoutKernels {
  /** @param launcher runs the kernels */
  constructor(private readonly launcher: KernelLauncher) {}

  /** `f(conv2d(x, w) + bias)`, or the plain convolution (no bias, identity). */
  conv2d(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: FusedActivation, info: WindowInfo): DataId {
    const { launcher } = this;
    const a = toBatchLast(launcher, x);
    const grid: KernelThreads = [info.batch, info.outHeight * info.outWidth, Math.ceil(info.outChannels / 4), 4];
    const out = launcher.launch(conv2dBatchLastKernel, windowExtents(info), grid, [a, w]);
    launcher.dispose(a.dataId);
    return fromBlocks(launcher, out, info.outShape, bias, activation);
  }

  /** ∂L/∂x of the convolution. */
  conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, info: WindowInfo): DataId {
    const { launcher } = this;
    const dz = toBatchLast(launcher, dy);
    const grid: KernelThreads = [info.batch, info.inHeight * info.inWidth, Math.ceil(info.inChannels / 4), 4];
    const out = launcher.launch(conv2dBackpropInputBatchLastKernel, windowExtents(info), grid, [dz, w]);
    launcher.dispose(dz.dataId);
    return fromBlocks(launcher, out, info.inShape, null, 'identity');
  }

  /**
   * ∂L/∂w of the convolution: one sum per (example, block of output rows, filter element) of four
   * filters, then the sum over the examples and blocks, which takes `epilogue`.
   */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: WindowInfo, epilogue: GradientEpilogue | undefined): DataId {
    const { launcher } = this;
    const a = toBatchLast(launcher, x);
    const dz = toPixelMajor(launcher, dy);
    const blocks = filterGradientRowBlocks(info);
    const filterArea = info.kernelHeight * info.kernelWidth;
    const filterBlocks = Math.ceil(info.outChannels / 4);
    const grid: KernelThreads = [info.batch, blocks.rowBlocks * filterArea, filterBlocks * info.inChannels, 4];
    const perExample = launcher.launch(conv2dBackpropFilterBatchLastKernel, { ...windowExtents(info), ...blocks }, grid, [a, dz]);
    launcher.dispose(a.dataId);
    launcher.dispose(dz.dataId);
    const sumConstants = { batch: info.batch, inChannels: info.inChannels, rowBlocks: blocks.rowBlocks, filterArea };
    const blockedShape = [filterBlocks, info.inChannels, blocks.rowBlocks, filterArea, info.batch, 4];
    const total = launcher.launchWithEpilogue(
      sumBlockedExamplesKernel,
      sumConstants,
      info.outChannels * info.inChannels * filterArea,
      [{ dataId: perExample, shape: blockedShape }],
      epilogue,
    );
    launcher.dispose(perExample);
    return total;
  }

  /** Average pooling on a grid over NCHW, the column on the lanes (`kernels/webasm/avg-pool2d.ts`). */
  avgPool2d(x: TensorInfo, info: WindowInfo): DataId {
    const grid: KernelThreads = [info.outWidth, info.outHeight, info.batch * info.inChannels];
    return this.launcher.launch(avgPool2dRowsKernel, windowExtents(info), grid, [x]);
  }

  /** ∂L/∂x of average pooling on a grid over NCHW, the column on the lanes, then `epilogue`. */
  avgPool2dBackprop(dy: TensorInfo, info: WindowInfo, epilogue: GradientEpilogue | undefined): DataId {
    const grid: KernelThreads = [info.inWidth, info.inHeight, info.batch * info.inChannels];
    return this.launcher.launchWithEpilogue(avgPool2dBackpropRowsKernel, windowExtents(info), grid, [dy], epilogue);
  }

  /**
   * op(a)·op(b) `[m, n]`, then f(· + bias) (`fused`) or a gradient epilogue: one thread per output,
   * the output column on the lanes; a b read transposed is transposed first.
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, finish: MatmulFinish): DataId {
    const { launcher } = this;
    const [aRows, aCols] = a.shape;
    const stored = transposeB ? transpose(launcher, b) : b;
    const [inner, outColumns] = stored.shape;
    const constants = {
      inner,
      outColumns,
      aRowStride: transposeA ? 1 : aCols,
      aColStride: transposeA ? aCols : 1,
      ...epilogueConstants(finish.fused?.bias ?? null, finish.fused?.activation ?? 'identity'),
      ...gradientEpilogueConstants(finish.gradient),
    };
    const rows = transposeA ? aCols : aRows;
    const [other, lr] = gradientEpilogueArguments(finish.gradient, stored);
    const out = launcher.launch(matmulRowsKernel, constants, [outColumns, rows, 1], [a, stored, finish.fused?.bias ?? stored, other, lr]);
    if (stored !== b) launcher.dispose(stored.dataId);
    return out;
  }
}

/** A `[rows, columns]` matrix as a new `[columns, rows]` one. */
function transpose(launcher: KernelLauncher, m: TensorInfo): TensorInfo {
  const [rows, columns] = m.shape;
  const dataId = launcher.launch(transposeKernel, { rows, columns }, [rows, columns, 1], [m]);
  return { dataId, shape: [columns, rows] };
}

/** An NCHW tensor `[N, C, H, W]` as a new batch-last one `[C, H, W, N]`. */
function toBatchLast(launcher: KernelLauncher, t: TensorInfo): TensorInfo {
  const [batch, ...example] = t.shape;
  const exampleSize = example.reduce((x, y) => x * y, 1);
  const transposed = transpose(launcher, { dataId: t.dataId, shape: [batch, exampleSize] });
  return { dataId: transposed.dataId, shape: [...example, batch] };
}

/** An NCHW tensor `[N, C, H, W]` as a new pixel-major one `[H, W, C, N]` (`kernels/webasm/transpose.ts`). */
function toPixelMajor(launcher: KernelLauncher, t: TensorInfo): TensorInfo {
  const [batch, channels, ...image] = t.shape;
  const pixels = image.reduce((x, y) => x * y, 1);
  const dataId = launcher.launch(pixelMajorKernel, { channels, pixels }, [batch, channels, pixels], [t]);
  return { dataId, shape: [...image, channels, batch] };
}

/**
 * A blocked batch-last result (freed here, `kernels/webasm/unblock.ts`) as an NCHW tensor of
 * `shape` `[N, K, H, W]`, with f(· + bias) on the way.
 */
function fromBlocks(launcher: KernelLauncher, dataId: DataId, shape: Shape, bias: TensorInfo | null, activation: FusedActivation): DataId {
  const [batch, channels, ...image] = shape;
  const pixels = image.reduce((x, y) => x * y, 1);
  const blocks: TensorInfo = { dataId, shape: [Math.ceil(channels / 4), pixels, batch, 4] };
  const constants = { batch, channels, pixels, ...epilogueConstants(bias, activation) };
  const out = launcher.launch(unblockKernel, constants, [channels * pixels, batch, 1], [blocks, bias ?? blocks]);
  launcher.dispose(dataId);
  return out;
}
