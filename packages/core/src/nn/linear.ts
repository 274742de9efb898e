/**
 * `nn.Linear`: a fully connected layer.
 * @module
 */
import { pytorchDefault } from '../init/pytorch-default.js';
import { add } from '../ops/arithmetic.js';
import { matmul } from '../ops/matmul.js';
import type { Rng } from '../random/rng.js';
import { formatShape, type Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Where the initial weights come from (PyTorch's default initialisation, see `init.pytorchDefault`). */
  readonly rng: Rng;
  /** Whether to add a learnable bias. Default true. */
  readonly bias?: boolean;
}

/**
 * A fully connected layer (PyTorch's `nn.Linear`):
 *
 * ```text
 *   y = x · Wᵀ + b,   y[n,j] = b[j] + Σ_i x[n,i] · W[j,i]
 * ```
 *
 * Shapes: x `[N, in]` → y `[N, out]`. Parameters: `weight` `[out, in]` (PyTorch's layout, so the
 * product uses Wᵀ), `bias` `[out]`; initialised as PyTorch does, from U(−1/√in, 1/√in).
 *
 * @example
 * const f6 = new nn.Linear(120, 84, { rng }); // LeNet's F6: [N,120] → [N,84], 10,164 parameters
 */
export class Linear extends Module {
  /** W `[outFeatures, inFeatures]`. */
  readonly weight: Parameter;
  /** b `[outFeatures]`, or null when built with `bias: false`. */
  readonly bias: Parameter | null;
  /** The size of each input row. */
  readonly inFeatures: number;
  /** The size of each output row. */
  readonly outFeatures: number;

  /** @throws RangeError when a feature count is not a positive integer. */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions) {
    super();
    for (const [what, value] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`Linear: ${what} must be a positive integer, got ${value} (in ${inFeatures}, out ${outFeatures})`);
      }
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = this.registerParameter('weight', Parameter.zeros([outFeatures, inFeatures]));
    this.bias = (options.bias ?? true) ? this.registerParameter('bias', Parameter.zeros([outFeatures])) : null;
    pytorchDefault(this.weight, this.bias, options.rng);
    this.nameParameters();
  }

  /** x `[N, in]` → x · Wᵀ + b `[N, out]`. */
  forward(x: Tensor): Tensor {
    this.describe(x.shape); // a clear error for a wrong input shape
    const y = matmul(x, this.weight, { transposeB: true });
    return this.bias === null ? y : add(y, this.bias);
  }

  /** Output `[N, out]`, parameters out·in (+ out), connections out·(in + 1) per example (LeCun's count). */
  describe(inputShape: Shape): LayerDescription {
    if (inputShape.length !== 2 || inputShape[1] !== this.inFeatures) {
      throw new RangeError(
        `Linear(${this.inFeatures}, ${this.outFeatures}): input has shape ${formatShape(inputShape)} but must be ` +
          `[batch, ${this.inFeatures}]${inputShape.length > 2 ? '; add a Flatten() before it' : ''}`,
      );
    }
    const hasBias = this.bias !== null ? 1 : 0;
    return {
      outputShape: [inputShape[0], this.outFeatures],
      parameters: this.outFeatures * this.inFeatures + hasBias * this.outFeatures,
      connections: this.outFeatures * (this.inFeatures + hasBias),
    };
  }

  protected override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias === null ? 'False' : 'True'}`;
  }
}
