/**
 * What a layer reports about itself for a model summary (d2l's `layer_summary`, LeCun's tables).
 * @module
 */
import type { Shape } from '../shape/shape.js';

/**
 * A layer's shape and size for one input shape, as LeCun et al. (1998) tabulate LeNet-5.
 *
 * - `parameters`: the number of trainable values (weights and biases).
 * - `connections`: the multiply–adds into the layer's units *per example*, counting a bias as one
 *   connection, as LeCun counts them: a convolution has outH·outW·K·(C·kh·kw + 1) — for LeNet-5's
 *   C1, 28·28·6·(1·5·5 + 1) = 122,304 — and a fully connected layer out·(in + 1). Layers without
 *   weights count the inputs each output reads (a 2×2 pooling: 4 per output) or 0 for element-wise
 *   and reshaping layers, whose work LeCun counts as part of the unit.
 */
export interface LayerDescription {
  /** The output shape for the given input shape (batch axis included). */
  readonly outputShape: Shape;
  /** Trainable values in this layer (and its children). */
  readonly parameters: number;
  /** Connections per example (see above). */
  readonly connections: number;
}
