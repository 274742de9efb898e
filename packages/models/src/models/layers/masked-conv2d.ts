/**
 * A convolution with a partial connection table: LeNet-5's C3.
 * @module
 */
import { add, computeConv2dInfo, conv2d, nn, noGrad, tensor, type PairLike, type Rng, type Shape, type Tensor } from '@lenet/core';
import { connectionMatrix } from './c3-connection-table.js';

/** Options of {@link MaskedConv2d}. */
export interface MaskedConv2dOptions {
  /** Where the initial weights come from. */
  readonly rng: Rng;
  /** Zeros added on each side. Default 0. */
  readonly padding?: PairLike;
}

/**
 * A 2-D convolution in which output map k reads only the input maps listed in `table[k]`:
 *
 * ```text
 * z[n,k](x,y) = b[k] + Σ_{c ∈ table[k]} Σ_{u,v} a[n,c](x+u, y+v) · w[k,c](u,v)
 * ```
 *
 * computed as a full `[K,C,kh,kw]` convolution whose weight is multiplied by a fixed 0/1 mask
 * m[k,c] = [c ∈ table[k]] (broadcast over kh, kw): conv2d(x, w ⊙ m) + b. Since ∂(w ⊙ m)/∂w = m, the
 * masked weights get a zero gradient; {@link MaskedConv2d.applyMask} sets them to 0 after
 * initialisation, so they stay 0 for good.
 *
 * Shapes: `[N,C,H,W]` → `[N,K,outH,outW]`. Parameters (the real ones): Σ_k |table[k]|·kh·kw + K —
 * for C3, 60·25 + 16 = 1,516; connections outH·outW times that — 10·10·1,516 = 151,600.
 * The tensor `weight` holds all K·C·kh·kw values, as a PyTorch port would; `mask` is a buffer.
 *
 * @example new MaskedConv2d(6, 16, 5, C3_CONNECTION_TABLE, { rng }).call(s2) // [N,6,14,14] → [N,16,10,10]
 */
export class MaskedConv2d extends nn.Conv2d {
  /** m `[K,C,1,1]`: 1 where output map k reads input map c, else 0. Not learned: a buffer, saved as `<layer>.mask`. */
  readonly mask: Tensor;
  /** The input maps each output map reads. */
  readonly table: readonly (readonly number[])[];

  /**
   * @param table `table[k]` lists the input maps output map k reads; `table.length` must be `outChannels`.
   * @throws RangeError when the table has the wrong length or names a map that does not exist.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: PairLike,
    table: readonly (readonly number[])[],
    options: MaskedConv2dOptions,
  ) {
    super(inChannels, outChannels, kernelSize, { rng: options.rng, padding: options.padding ?? 0 });
    if (table.length !== outChannels) {
      throw new RangeError(`MaskedConv2d: the connection table has ${table.length} rows but the layer has ${outChannels} output maps`);
    }
    this.table = table;
    const matrix = connectionMatrix(table, inChannels);
    this.mask = this.registerBuffer('mask', tensor(matrix.flat(), [outChannels, inChannels, 1, 1], { backend: this.weight.backend }));
    this.applyMask();
  }

  /** The number of real (unmasked) weights: Σ_k |table[k]| · kh · kw. */
  get connectedWeights(): number {
    const [kh, kw] = this.kernelSize;
    return this.table.reduce((total, inputs) => total + new Set(inputs).size, 0) * kh * kw;
  }

  /** Sets the masked weights to 0 (w ← w ⊙ m); call it after re-initialising `weight`. */
  applyMask(): void {
    noGrad(() => this.weight.assign(this.weight.mul(this.mask)));
  }

  /** conv2d(x, w ⊙ m) + b. */
  override forward(x: Tensor): Tensor {
    const z = conv2d(x, this.weight.mul(this.mask), { stride: this.stride, padding: this.padding });
    return this.bias === null ? z : add(z, this.bias.reshape([1, this.outChannels, 1, 1]));
  }

  /** Output shape; parameters Σ|table[k]|·kh·kw + K; connections outH·outW·(Σ|table[k]|·kh·kw + K). */
  override describe(inputShape: Shape): nn.LayerDescription {
    const info = computeConv2dInfo(inputShape, this.weight.shape, this.stride, this.padding, 'MaskedConv2d');
    const biases = this.bias === null ? 0 : this.outChannels;
    const parameters = this.connectedWeights + biases;
    return { outputShape: info.outShape, parameters, connections: info.outHeight * info.outWidth * parameters };
  }
}
