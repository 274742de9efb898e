/**
 * LeNet-5's trainable subsampling layers S2 and S4.
 * @module
 */
import { avgPool2d, computePool2dInfo, formatShape, nn, type Rng, type Shape, type Tensor } from '@lenet/core';
import { lecunUniform } from './lecun-uniform.js';

/** The window of a subsampling unit: 2×2, non-overlapping. */
const WINDOW = 2;

/**
 * A trainable subsampling layer (LeCun et al. 1998, S2 and S4): each unit adds the four inputs of its
 * 2×2 window, multiplies the sum by a coefficient and adds a bias, both learned, one pair per map:
 *
 * ```text
 * y[n,c](i,j) = α[c] · Σ_{u,v ∈ {0,1}} x[n,c](2i+u, 2j+v) + β[c]
 * ```
 *
 * computed as α · 4·avgPool2d(x) + β on core ops. The squashing (`ScaledTanh`) is a separate layer.
 *
 * Shapes: `[N,C,H,W]` → `[N,C,⌊H/2⌋,⌊W/2⌋]`. Parameters: `coefficient` α `[C]`, `bias` β `[C]` — 2·C
 * (S2: 12, S4: 32). Connections: 5 per output unit (4 inputs and the bias) — S2: 14·14·6·5 = 5,880.
 * Initialised as in the paper from U(−2.4/4, 2.4/4) (a unit has 4 inputs).
 *
 * @example new Subsampling(6, { rng }).call(c1) // [N,6,28,28] → [N,6,14,14]
 */
export class Subsampling extends nn.Module {
  /** α, one coefficient per map `[C]`. */
  readonly coefficient: nn.Parameter;
  /** β, one bias per map `[C]`. */
  readonly bias: nn.Parameter;
  /** C, the number of feature maps. */
  readonly channels: number;

  /** @throws RangeError when `channels` is not a positive integer. */
  constructor(channels: number, options: { readonly rng: Rng }) {
    super();
    if (!Number.isInteger(channels) || channels < 1) {
      throw new RangeError(`Subsampling: channels must be a positive integer, got ${channels}`);
    }
    this.channels = channels;
    this.coefficient = this.registerParameter('coefficient', nn.Parameter.zeros([channels]));
    this.bias = this.registerParameter('bias', nn.Parameter.zeros([channels]));
    lecunUniform(this.coefficient, WINDOW * WINDOW, options.rng);
    lecunUniform(this.bias, WINDOW * WINDOW, options.rng);
    this.nameParameters();
  }

  /** `[N,C,H,W]` → α · (2×2 window sums) + β, `[N,C,H/2,W/2]`. */
  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.channels) {
      throw new RangeError(`Subsampling: input has shape ${formatShape(x.shape)} but must be [N, ${this.channels}, H, W]`);
    }
    const windowSums = avgPool2d(x, { kernelSize: WINDOW }).mul(WINDOW * WINDOW);
    const perMap: Shape = [1, this.channels, 1, 1];
    return windowSums.mul(this.coefficient.reshape(perMap)).add(this.bias.reshape(perMap));
  }

  /** Output `[N,C,H/2,W/2]`; 2·C parameters; outH·outW·C·(4 + 1) connections. */
  describe(inputShape: Shape): nn.LayerDescription {
    const info = computePool2dInfo(inputShape, WINDOW, WINDOW, 0, 'Subsampling');
    if (info.inChannels !== this.channels) {
      throw new RangeError(
        `Subsampling: input shape ${formatShape(inputShape)} has ${info.inChannels} channels, expected ${this.channels}`,
      );
    }
    return {
      outputShape: info.outShape,
      parameters: 2 * this.channels,
      connections: info.outHeight * info.outWidth * this.channels * (WINDOW * WINDOW + 1),
    };
  }

  protected override extraRepr(): string {
    return `${this.channels}, kernel_size=(2, 2)`;
  }
}
