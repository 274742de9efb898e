/**
 * `nn.Flatten`: from feature maps to the vectors a fully connected layer takes.
 * @module
 */
import { flatten } from '../ops/reshape.js';
import { formatShape, sizeOf, type Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import { Module } from './module.js';

/**
 * Merges every axis after the batch into one (PyTorch's `nn.Flatten()` with its defaults):
 *
 * ```text
 *   `[N, C, H, W]` → `[N, C·H·W]`,   y[n, (c·H + h)·W + w] = x[n, c, h, w]
 * ```
 *
 * (row-major, so the data does not move). No parameters. In LeNet: `[N,16,5,5]` → `[N,400]`.
 */
export class Flatten extends Module {
  /** `[N, ...]` → `[N, product of the rest]`. */
  forward(x: Tensor): Tensor {
    this.describe(x.shape);
    return flatten(x, 1);
  }

  /** Output `[N, product of the other extents]`, 0 parameters, 0 connections. */
  describe(inputShape: Shape): LayerDescription {
    if (inputShape.length < 1) {
      throw new RangeError(`Flatten: input has shape ${formatShape(inputShape)} but needs at least a batch axis [N, ...]`);
    }
    return { outputShape: [inputShape[0], sizeOf(inputShape.slice(1))], parameters: 0, connections: 0 };
  }

  protected override extraRepr(): string {
    return 'start_dim=1, end_dim=-1';
  }
}
