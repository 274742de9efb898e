/**
 * LeNet-5's output layer: Euclidean radial basis function units.
 * @module
 */
import { formatShape, nn, tensor, type Rng, type Shape, type Tensor } from '@lenet/core';

/**
 * The output layer of LeNet-5 (LeCun et al. 1998, section II-B): one Euclidean RBF unit per class,
 * each computing the squared distance between its input vector and its code w_i:
 *
 *   y_i = Σ_j (x_j − w_ij)²
 *
 * The further the input is from a class's code, the larger y_i (a "penalty"); the predicted class is
 * the arg-min. This layer returns **−y**, so that, like every other model's logits, the largest score
 * wins: `forward(x)[n,i] = −Σ_j (x[n,j] − w[i,j])²`, computed with broadcasting as
 * −sum(square(x[N,1,J] − w[1,I,J]), axis 2).
 *
 * Training: here the network is trained with cross-entropy over these scores −y_i as logits (softmax
 * over negative squared distances). The paper instead minimised the MAP criterion
 * E = y_{D} + log(e^{−j} + Σ_i e^{−y_i}), the correct class's penalty plus a term that pushes the
 * other penalties up, with a constant j that keeps it from collapsing; cross-entropy is that criterion
 * with j → ∞ (no rejection class), i.e. the same gradients except for the missing rejection term.
 *
 * Codes: the paper fixed them by hand: each class's code is a stylised 7×12 bitmap of the character,
 * entries −1 and +1 (the 84 units of F6). Here the codes are ±1 patterns drawn from a seeded `Rng`
 * (each entry +1 or −1 with probability ½), fixed like the paper's — a buffer, not a parameter.
 *
 * Shapes: x `[N,J]` → `[N,I]`. Parameters: 0 (the codes are fixed); connections I·J (each unit reads
 * J inputs).
 *
 * @example new EuclideanRbf(84, 10, { rng }).call(f6) // [N,84] → [N,10]
 */
export class EuclideanRbf extends nn.Module {
  /** w `[I,J]`: the code of each class, entries ±1. A buffer, saved as `<layer>.codes`. */
  readonly codes: Tensor;
  /** J, the length of an input vector. */
  readonly inFeatures: number;
  /** I, the number of classes. */
  readonly classes: number;

  /** @throws RangeError when a size is not a positive integer. */
  constructor(inFeatures: number, classes: number, options: { readonly rng: Rng }) {
    super();
    if (!Number.isInteger(inFeatures) || inFeatures < 1 || !Number.isInteger(classes) || classes < 1) {
      throw new RangeError(`EuclideanRbf: sizes must be positive integers, got inFeatures ${inFeatures}, classes ${classes}`);
    }
    this.inFeatures = inFeatures;
    this.classes = classes;
    this.codes = this.registerBuffer('codes', tensor(randomSignCodes(classes, inFeatures, options.rng), [classes, inFeatures]));
  }

  /** x `[N,J]` → −y `[N,I]`, y_i = Σ_j (x_j − w_ij)². */
  forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new RangeError(`EuclideanRbf: input has shape ${formatShape(x.shape)} but must be [N, ${this.inFeatures}]`);
    }
    const differences = x.reshape([x.shape[0], 1, this.inFeatures]).sub(this.codes.reshape([1, this.classes, this.inFeatures]));
    return differences.square().sum([2]).neg();
  }

  /** Output `[N,I]`; no learned parameters; I·J connections. */
  describe(inputShape: Shape): nn.LayerDescription {
    if (inputShape.length !== 2 || inputShape[1] !== this.inFeatures) {
      throw new RangeError(`EuclideanRbf: input shape ${formatShape(inputShape)} must be [N, ${this.inFeatures}]`);
    }
    return { outputShape: [inputShape[0], this.classes], parameters: 0, connections: this.classes * this.inFeatures };
  }

  protected override extraRepr(): string {
    return `in_features=${this.inFeatures}, classes=${this.classes}`;
  }
}

/** `rows · columns` entries, each +1 or −1 with probability ½, drawn in row-major order. */
export function randomSignCodes(rows: number, columns: number, rng: Rng): Float32Array {
  const codes = new Float32Array(rows * columns);
  for (let index = 0; index < codes.length; index++) codes[index] = rng.next() < 0.5 ? -1 : 1;
  return codes;
}
