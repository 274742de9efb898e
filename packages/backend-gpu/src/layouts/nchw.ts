/**
 * The convolutions and the matrix product in core's NCHW layout, one flat output element per
 * thread (`layout.ts`): the kernels of `kernels/`, which every mode runs.
 * @module
 */
import {
  sizeOf,
  windowExtents,
  type DataId,
  type FusedActivation,
  type GradientEpilogue,
  type TensorInfo,
  type WindowInfo,
} from '@lenet/core';
import type { KernelLauncher } from '../kernel-launcher.js';
import { avgPool2dBackpropKernel, avgPool2dKernel } from '../kernels/avg-pool2d.js';
import { conv2dKernel } from '../kernels/conv2d.js';
import { conv2dBackpropFilterKernel, filterGradientSplit, sumPartsKernel } from '../kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from '../kernels/conv2d-backprop-input.js';
import { epilogueConstants } from '../kernels/epilogue.js';
import { matmulConstants, matmulKernel } from '../kernels/matmul.js';
import type { LayoutKernels, MatmulFinish } from './layout-kernels.js';

/** The NCHW kernel set. */
export class NchwKernels implements LayoutKernels {
  /**
   * @param launcher runs the kernels
   * @param minimumThreads how many threads a long reduction is split into at least (the filter gradient's batch slices)
   */
  constructor(
    private readonly launcher: KernelLauncher,
    private readonly minimumThreads: number,
  ) {}

  conv2d(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: FusedActivation, info: WindowInfo): DataId {
    const constants = { ...windowExtents(info), ...epilogueConstants(bias, activation) };
    return this.launcher.launch(conv2dKernel, constants, sizeOf(info.outShape), [x, w, bias ?? w]);
  }

  avgPool2d(x: TensorInfo, info: WindowInfo): DataId {
    return this.launcher.launch(avgPool2dKernel, windowExtents(info), sizeOf(info.outShape), [x]);
  }

  avgPool2dBackprop(dy: TensorInfo, info: WindowInfo, epilogue: GradientEpilogue | undefined): DataId {
    return this.launcher.launchWithEpilogue(avgPool2dBackpropKernel, windowExtents(info), sizeOf(info.inShape), [dy], epilogue);
  }

  conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, info: WindowInfo): DataId {
    return this.launcher.launch(conv2dBackpropInputKernel, windowExtents(info), sizeOf(info.inShape), [dy, w]);
  }

  /** One sum per batch slice and filter element, then (with several slices) their total, which takes the epilogue. */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: WindowInfo, epilogue: GradientEpilogue | undefined): DataId {
    const filterSize = sizeOf(info.filterShape);
    const { batchChunk, parts } = filterGradientSplit(info, this.minimumThreads);
    const constants = { ...windowExtents(info), batchChunk };
    if (parts === 1) return this.launcher.launchWithEpilogue(conv2dBackpropFilterKernel, constants, filterSize, [x, dy], epilogue);
    const partial = this.launcher.launchWithEpilogue(conv2dBackpropFilterKernel, constants, parts * filterSize, [x, dy], undefined);
    const partials = { dataId: partial, shape: [parts, filterSize] };
    const total = this.launcher.launchWithEpilogue(sumPartsKernel, { parts, partLength: filterSize }, filterSize, [partials], epilogue);
    this.launcher.dispose(partial);
    return total;
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, finish: MatmulFinish): DataId {
    const { rows, constants } = matmulConstants(a, b, transposeA, transposeB);
    const bias = finish.fused?.bias ?? null;
    const withEpilogue = { ...constants, ...epilogueConstants(bias, finish.fused?.activation ?? 'identity') };
    return this.launcher.launchWithEpilogue(matmulKernel, withEpilogue, rows * constants.outColumns, [a, b, bias ?? b], finish.gradient);
  }
}
