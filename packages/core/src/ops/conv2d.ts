/**
 * Convolution, formula (1) of the notes:
 *
 *   z[l](x,y) = Σ_{u=0..p} Σ_{v=0..q} a[l−1](x+u, y+v) · w_rot[l,k](u,v)
 *
 * summed over input channels, with stride and zero padding. The filter is stored as `w_rot`
 * (PyTorch's `[out, in, kh, kw]`), so this is a cross-correlation, as in every framework.
 *
 * Gradients, each one kernel:
 * - ∂L/∂a = the "full" convolution of dy with w rotated by 180° (`conv2dBackpropInput`);
 * - ∂L/∂w_rot = the correlation of a with dy (`conv2dBackpropFilter`).
 * @module
 */
import { record } from '../autograd/record.js';
import { computeConv2dInfo, type PairLike } from '../shape/window-info.js';
import { Tensor } from '../tensor/tensor.js';
import { checkInputs } from './checks.js';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step between windows, `[height, width]` or one number. Default 1. */
  readonly stride?: PairLike;
  /** Zeros added on each side, `[height, width]` or one number. Default 0. */
  readonly padding?: PairLike;
}

/**
 * x `[N,C,H,W]` ⋆ w `[K,C,kh,kw]` → `[N,K,outH,outW]`, outH = ⌊(H + 2·ph − kh)/sh⌋ + 1. No bias:
 * `nn.Conv2d` adds it with broadcasting.
 * @example conv2d(images, w, { padding: 2 }) // [256,1,28,28] ⋆ [6,1,5,5] → [256,6,28,28]
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  checkInputs('conv2d', x, w);
  const info = computeConv2dInfo(x.shape, w.shape, options.stride ?? 1, options.padding ?? 0);
  const backend = x.backend;
  return record('conv2d', [x, w], backend.conv2d(x, w, info), info.outShape, (dy) => [
    x.requiresGrad ? new Tensor(backend.conv2dBackpropInput(dy, w, info), x.shape, backend) : null,
    w.requiresGrad ? new Tensor(backend.conv2dBackpropFilter(x, dy, info), w.shape, backend) : null,
  ]);
}
