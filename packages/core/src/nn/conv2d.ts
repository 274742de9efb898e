/**
 * `nn.Conv2d`: a convolution layer, formula (1) plus a bias per output channel.
 * @module
 */
import { pytorchDefault } from '../init/pytorch-default.js';
import { add } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import type { Rng } from '../random/rng.js';
import type { Shape } from '../shape/shape.js';
import { computeConv2dInfo, toPair, type PairLike } from '../shape/window-info.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Conv2d}. */
export interface Conv2dLayerOptions {
  /** Where the initial weights come from (PyTorch's default initialisation, see `init.pytorchDefault`). */
  readonly rng: Rng;
  /** Step between windows, `[height, width]` or one number. Default 1. */
  readonly stride?: PairLike;
  /** Zeros added on each side, `[height, width]` or one number. Default 0. */
  readonly padding?: PairLike;
  /** Whether to add a learnable bias per output channel. Default true. */
  readonly bias?: boolean;
}

/**
 * A 2-D convolution layer (PyTorch's `nn.Conv2d`): formula (1), then a bias per output channel,
 *
 * ```text
 *   z[n,k](x,y) = b[k] + Σ_c Σ_{u,v} a[n,c](x·sh + u − ph, y·sw + v − pw) · w[k,c](u,v)
 * ```
 *
 * computed as `conv2d(x, weight) + bias.reshape([1,K,1,1])` (broadcast over batch, height, width).
 *
 * Shapes: x `[N,C,H,W]` → `[N,K,outH,outW]`, outH = ⌊(H + 2·ph − kh)/sh⌋ + 1 (likewise outW).
 * Parameters: `weight` `[K,C,kh,kw]` (PyTorch's layout, the stored `w_rot`), `bias` `[K]`;
 * initialised as PyTorch does, from U(−1/√(C·kh·kw), 1/√(C·kh·kw)).
 *
 * @example
 * const c1 = new nn.Conv2d(1, 6, 5, { padding: 2, rng }); // LeNet's C1: [N,1,28,28] → [N,6,28,28]
 */
export class Conv2d extends Module {
  /** The filters `[outChannels, inChannels, kernelHeight, kernelWidth]`. */
  readonly weight: Parameter;
  /** One bias per output channel `[outChannels]`, or null when built with `bias: false`. */
  readonly bias: Parameter | null;
  /** C, the channels of the input. */
  readonly inChannels: number;
  /** K, the number of filters (channels of the output). */
  readonly outChannels: number;
  /** `[kh, kw]` */
  readonly kernelSize: readonly [number, number];
  /** `[sh, sw]` */
  readonly stride: readonly [number, number];
  /** `[ph, pw]` */
  readonly padding: readonly [number, number];

  /**
   * @param kernelSize `[kh, kw]` or one number for both
   * @throws RangeError when a channel count or kernel extent is not a positive integer.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: PairLike, options: Conv2dLayerOptions) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = toPair(kernelSize);
    this.stride = toPair(options.stride ?? 1);
    this.padding = toPair(options.padding ?? 0);
    const context = `in ${inChannels}, out ${outChannels}, kernel [${this.kernelSize.join(',')}], stride [${this.stride.join(',')}], padding [${this.padding.join(',')}]`;
    const checks: Array<[string, number, number]> = [
      ['inChannels', inChannels, 1],
      ['outChannels', outChannels, 1],
      ['kernel height', this.kernelSize[0], 1],
      ['kernel width', this.kernelSize[1], 1],
      ['stride (height)', this.stride[0], 1],
      ['stride (width)', this.stride[1], 1],
      ['padding (height)', this.padding[0], 0],
      ['padding (width)', this.padding[1], 0],
    ];
    for (const [what, value, min] of checks) {
      if (!Number.isInteger(value) || value < min) {
        throw new RangeError(`Conv2d: ${what} must be an integer ≥ ${min}, got ${value} (${context})`);
      }
    }
    this.weight = this.registerParameter('weight', Parameter.zeros([outChannels, inChannels, ...this.kernelSize]));
    this.bias = (options.bias ?? true) ? this.registerParameter('bias', Parameter.zeros([outChannels])) : null;
    pytorchDefault(this.weight, this.bias, options.rng);
    this.nameParameters();
  }

  /** x `[N,C,H,W]` → conv2d(x, weight) + bias `[N,K,outH,outW]`. */
  forward(x: Tensor): Tensor {
    const z = conv2d(x, this.weight, { stride: this.stride, padding: this.padding });
    return this.bias === null ? z : add(z, this.bias.reshape([1, this.outChannels, 1, 1]));
  }

  /**
   * Output shape, parameters K·C·kh·kw (+ K) and connections outH·outW·K·(C·kh·kw + 1), per example
   * (LeCun's count: C1 of LeNet-5 has 28·28·6·26 = 122,304).
   */
  describe(inputShape: Shape): LayerDescription {
    const info = computeConv2dInfo(inputShape, this.weight.shape, this.stride, this.padding, 'Conv2d');
    const [kh, kw] = this.kernelSize;
    const hasBias = this.bias !== null ? 1 : 0;
    const inputsPerUnit = this.inChannels * kh * kw + hasBias;
    return {
      outputShape: info.outShape,
      parameters: this.outChannels * this.inChannels * kh * kw + hasBias * this.outChannels,
      connections: info.outHeight * info.outWidth * this.outChannels * inputsPerUnit,
    };
  }

  protected override extraRepr(): string {
    const pair = ([a, b]: readonly [number, number]): string => `(${a}, ${b})`;
    const bias = this.bias === null ? ', bias=False' : '';
    return `${this.inChannels}, ${this.outChannels}, kernel_size=${pair(this.kernelSize)}, stride=${pair(this.stride)}, padding=${pair(this.padding)}${bias}`;
  }
}
