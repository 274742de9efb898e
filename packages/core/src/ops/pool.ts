/**
 * Pooling: the `downsample` of formula (3), a[l](x,y) = downsample((1)), each window of a feature map
 * replaced by one number.
 * - average pooling (d2l's LeNet): the mean; its gradient spreads dy evenly over the window;
 * - max pooling (modern nets): the maximum; its gradient goes to the arg-max only.
 * @module
 */
import { record } from '../autograd/record.js';
import type { ActivationOp } from './activations.js';
import { computePool2dInfo, type PairLike } from '../shape/window-info.js';
import { Tensor } from '../tensor/tensor.js';
import { checkInputs } from './checks.js';
import { checkFoldable } from './fused-activation.js';

/** Options of the pooling ops. */
export interface Pool2dOptions {
  /** Window `[height, width]` or one number. */
  readonly kernelSize: PairLike;
  /** Step between windows; default the window size (non-overlapping, as PyTorch). */
  readonly stride?: PairLike;
  /** Zeros added on each side (at most half the window). Default 0. */
  readonly padding?: PairLike;
}

/** Options of {@link avgPool2d}: the window's, and the activation gradient its backward pass may fold in. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /**
   * The activation that produced the input (the convolution before, in the compiled training step):
   * the backward pass then returns ∂L/∂z of that layer, f′ folded into `avgPool2dBackprop`
   * (see `FusedBackwardOptions.inputActivation`).
   */
  readonly inputActivation?: ActivationOp;
}

/**
 * The mean of each window: `[N,C,H,W]` → `[N,C,outH,outW]`.
 * @example avgPool2d(x, { kernelSize: 2 }) // [256,6,28,28] → [256,6,14,14]
 */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  checkInputs('avgPool2d', x);
  const info = computePool2dInfo(x.shape, options.kernelSize, options.stride ?? options.kernelSize, options.padding ?? 0, 'avgPool2d');
  if (options.inputActivation !== undefined) checkFoldable('avgPool2d', 'inputActivation', options.inputActivation);
  const backend = x.backend;
  const epilogue =
    options.inputActivation === undefined ? undefined : { kind: 'activationGrad' as const, op: options.inputActivation, input: x };
  return record('avgPool2d', [x], backend.avgPool2d(x, info), info.outShape, (dy) => [
    new Tensor(backend.avgPool2dBackprop(dy, info, epilogue), x.shape, backend),
  ]);
}

/** The maximum of each window: `[N,C,H,W]` → `[N,C,outH,outW]`. */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  checkInputs('maxPool2d', x);
  const info = computePool2dInfo(x.shape, options.kernelSize, options.stride ?? options.kernelSize, options.padding ?? 0, 'maxPool2d');
  const backend = x.backend;
  return record('maxPool2d', [x], backend.maxPool2d(x, info), info.outShape, (dy) => [
    new Tensor(backend.maxPool2dBackprop(dy, x, info), x.shape, backend),
  ]);
}
