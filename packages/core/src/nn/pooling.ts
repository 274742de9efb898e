/**
 * `nn.AvgPool2d` and `nn.MaxPool2d`: the `downsample` of formula (3).
 * @module
 */
import { avgPool2d, maxPool2d, type Pool2dOptions } from '../ops/pool.js';
import type { Shape } from '../shape/shape.js';
import { computePool2dInfo, toPair, type PairLike } from '../shape/window-info.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import { Module } from './module.js';

/**
 * What the two pooling layers share: the window geometry, the output shape and the counts
 * (see {@link AvgPool2d} and {@link MaxPool2d}).
 */
export abstract class Pool2d extends Module {
  /** `[kh, kw]` */
  readonly kernelSize: readonly [number, number];
  /** `[sh, sw]`, by default the window (non-overlapping windows). */
  readonly stride: readonly [number, number];
  /** `[ph, pw]` */
  readonly padding: readonly [number, number];

  /**
   * Stores the geometry and checks it at once (a window larger than its padded input, or padding
   * beyond half the window, is an error here rather than at the first forward pass).
   * @param stride default `kernelSize` (non-overlapping windows, as PyTorch)
   * @param padding cells added on each side, at most half the window: zeros that count in the mean
   *   for average pooling, ignored cells for max pooling
   */
  constructor(kernelSize: PairLike, stride: PairLike = kernelSize, padding: PairLike = 0) {
    super();
    this.kernelSize = toPair(kernelSize);
    this.stride = toPair(stride);
    this.padding = toPair(padding);
    this.describe([1, 1, this.kernelSize[0], this.kernelSize[1]]);
  }

  /** The window as the pooling ops take it. */
  protected get window(): Pool2dOptions {
    return { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding };
  }

  /**
   * Output `[N,C,outH,outW]`, no parameters, and outH·outW·C·kh·kw connections per example (each
   * output reads kh·kw inputs; LeCun's trainable S2 counts one more, its bias).
   */
  describe(inputShape: Shape): LayerDescription {
    const info = computePool2dInfo(inputShape, this.kernelSize, this.stride, this.padding, this.constructor.name);
    return {
      outputShape: info.outShape,
      parameters: 0,
      connections: info.outHeight * info.outWidth * info.outChannels * info.kernelHeight * info.kernelWidth,
    };
  }

  protected override extraRepr(): string {
    const show = ([a, b]: readonly [number, number]): string => (a === b ? `${a}` : `(${a}, ${b})`);
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/**
 * Average pooling (PyTorch's `nn.AvgPool2d`, d2l's LeNet): each window of each channel is replaced by
 * its mean,
 *
 * ```text
 *   a[n,c](x,y) = (1 / (kh·kw)) · Σ_{u<kh, v<kw} z[n,c](x·sh + u − ph, y·sw + v − pw)
 * ```
 *
 * Shapes: `[N,C,H,W]` → `[N,C,outH,outW]`, outH = ⌊(H + 2·ph − kh)/sh⌋ + 1. No parameters.
 * @example new nn.AvgPool2d(2) // LeNet's S2: [N,6,28,28] → [N,6,14,14]
 */
export class AvgPool2d extends Pool2d {
  /** `[N,C,H,W]` → the mean of each window `[N,C,outH,outW]`. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.window);
  }
}

/**
 * Max pooling (PyTorch's `nn.MaxPool2d`): each window of each channel is replaced by its maximum,
 *
 * ```text
 *   a[n,c](x,y) = max_{u<kh, v<kw} z[n,c](x·sh + u − ph, y·sw + v − pw)
 * ```
 *
 * Shapes: `[N,C,H,W]` → `[N,C,outH,outW]`, outH = ⌊(H + 2·ph − kh)/sh⌋ + 1. No parameters.
 * @example new nn.MaxPool2d(2) // [N,6,28,28] → [N,6,14,14]
 */
export class MaxPool2d extends Pool2d {
  /** `[N,C,H,W]` → the maximum of each window `[N,C,outH,outW]`. */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.window);
  }
}
