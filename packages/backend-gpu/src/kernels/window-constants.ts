/**
 * The constants every sliding-window kernel (convolution and pooling) is compiled with: the
 * fields of core's `WindowInfo` that the index arithmetic needs, all plain numbers so gpu.js
 * bakes them into the shader as literals.
 * @module
 */
import type { WindowInfo } from '@lenet/core';

/** Extents, strides and padding of one convolution or pooling, from core's `WindowInfo`. */
export interface WindowConstants {
  readonly batch: number;
  readonly inChannels: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padHeight: number;
  readonly padWidth: number;
}

/** Copies the numeric fields of `info` that the kernels read. */
export function windowConstants(info: WindowInfo): WindowConstants {
  return {
    batch: info.batch,
    inChannels: info.inChannels,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    outChannels: info.outChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    kernelHeight: info.kernelHeight,
    kernelWidth: info.kernelWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padHeight: info.padHeight,
    padWidth: info.padWidth,
  };
}
