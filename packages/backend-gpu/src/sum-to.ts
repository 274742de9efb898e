/**
 * Summing a tensor down to a smaller shape (core's `sumTo`, a bias gradient), with an optional
 * gradient epilogue: the one reduction both layouts (`layouts/`) and `GpuBackend` launch.
 * @module
 */
import { sizeOf, type DataId, type GradientEpilogue, type Shape, type TensorInfo } from '@lenet/core';
import type { KernelLauncher } from './kernel-launcher.js';
import { sumToConstants, sumToKernel } from './kernels/reduce.js';
import { toRank4 } from './rank4.js';

/**
 * Sums `x` to `outShape` (rank ≤ 4). A big sum into few outputs (a convolution's bias gradient:
 * [256,6,28,28] → 6 sums of 200,704) would leave a GPU with a handful of threads, so with fewer
 * than `minimumThreads` outputs the inner axes are summed first, one thread per (leading index,
 * output), then the leading axis, which takes the epilogue.
 */
export function launchSumTo(
  launcher: KernelLauncher,
  x: TensorInfo,
  outShape: Shape,
  epilogue: GradientEpilogue | undefined,
  minimumThreads: number,
): DataId {
  const xDims = toRank4(x.shape, 'sumTo');
  const out = toRank4(outShape, 'sumTo');
  const outSize = sizeOf(outShape);
  if (out[0] === 1 && xDims[0] > 1 && outSize < minimumThreads && sizeOf(x.shape) / outSize > 4 * xDims[0]) {
    const innerShape: Shape = [xDims[0], out[1], out[2], out[3]];
    const inner = sumRank4(launcher, x, xDims, innerShape, undefined);
    const total = sumRank4(launcher, { dataId: inner, shape: innerShape }, innerShape, out, epilogue);
    launcher.dispose(inner);
    return total;
  }
  return sumRank4(launcher, x, xDims, out, epilogue);
}

function sumRank4(
  launcher: KernelLauncher,
  x: TensorInfo,
  xDims: readonly number[],
  out: readonly number[],
  epilogue: GradientEpilogue | undefined,
): DataId {
  return launcher.launchWithEpilogue(sumToKernel, sumToConstants(xDims, out), sizeOf(out), [x], epilogue);
}
