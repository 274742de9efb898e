/**
 * Zero padding of images, LeNet-5's 28×28 → 32×32 input (the paper centres each digit in a 32×32 field).
 * @module
 */
import { computeConv2dInfo, conv2d, formatShape, nn, tensor, type Shape, type Tensor } from '@lenet/core';

/**
 * Adds `padding` rows of zeros above and below and `padding` columns left and right of every channel:
 *
 * ```text
 * out[n,c](y, x) = in[n,c](y − p, x − p) inside, 0 in the border
 * ```
 *
 * computed as a convolution with a 1×1 identity filter (w[k,c] = [k = c]) and zero padding p, so it
 * runs on every backend's `conv2d` and autograd passes gradients straight through.
 *
 * Shapes: `[N,C,H,W]` → `[N,C,H+2p,W+2p]`. No parameters.
 * @example new ZeroPad2d(2).call(images) // [N,1,28,28] → [N,1,32,32]
 */
export class ZeroPad2d extends nn.Module {
  /** p, the zero rows/columns added on each side. */
  readonly padding: number;
  /** C, the number of channels this layer expects. */
  readonly channels: number;
  /** The 1×1 identity filter `[C,C,1,1]`: a non-persistent buffer (rebuilt from C, never saved). */
  readonly #identity: Tensor;

  /**
   * @param padding p ≥ 0, an integer
   * @param channels C of the input (default 1, a greyscale image)
   * @throws RangeError for a non-integer or negative padding or channel count.
   */
  constructor(padding: number, channels = 1) {
    super();
    if (!Number.isInteger(channels) || channels < 1 || !Number.isInteger(padding) || padding < 0) {
      throw new RangeError(`ZeroPad2d: needs channels ≥ 1 and padding ≥ 0 (integers), got channels ${channels}, padding ${padding}`);
    }
    this.channels = channels;
    this.padding = padding;
    const identity = new Float32Array(channels * channels);
    for (let c = 0; c < channels; c++) identity[c * channels + c] = 1;
    this.#identity = this.registerBuffer('identity', tensor(identity, [channels, channels, 1, 1]), { persistent: false });
  }

  /** `[N,C,H,W]` → `[N,C,H+2p,W+2p]`, zeros in the border. */
  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.channels) {
      throw new RangeError(`ZeroPad2d: input has shape ${formatShape(x.shape)} but must be [N, ${this.channels}, H, W]`);
    }
    return conv2d(x, this.#identity, { padding: this.padding });
  }

  /**
   * Output `[N,C,H+2p,W+2p]`, from `computeConv2dInfo` for the 1×1 identity filter `[C,C,1,1]`,
   * stride 1 and padding p (the convolution `forward` runs); no parameters, no connections (nothing
   * is computed, only copied).
   */
  describe(inputShape: Shape): nn.LayerDescription {
    if (inputShape.length !== 4 || inputShape[1] !== this.channels) {
      throw new RangeError(`ZeroPad2d: input shape ${formatShape(inputShape)} must be [N, ${this.channels}, H, W]`);
    }
    const { outShape } = computeConv2dInfo(inputShape, this.#identity.shape, 1, this.padding, 'ZeroPad2d');
    return { outputShape: outShape, parameters: 0, connections: 0 };
  }

  protected override extraRepr(): string {
    return `${this.padding}`;
  }
}
