/**
 * `nn.Sequential`: layers applied one after another.
 * @module
 */
import { formatShape, type Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import { Module } from './module.js';

/** One row of {@link Sequential.trace}: a layer, the shape it receives and what it reports. */
export interface LayerTrace extends LayerDescription {
  /** The child's name, `'0'`, `'1'`, … */
  readonly name: string;
  /** The layer itself (its `constructor.name` is the layer type, its `toString()` PyTorch's repr). */
  readonly layer: Module;
  /** The shape that reaches this layer. */
  readonly inputShape: Shape;
}

/**
 * A chain of layers (PyTorch's `nn.Sequential`): y = f_{L−1}(… f_1(f_0(x))). The children are named
 * `'0'`, `'1'`, … in order, so parameters get PyTorch's state-dict names: for d2l's LeNet,
 * `0.weight`, `0.bias` (C1), `3.weight`, `3.bias` (C3), `7.weight`, … (F5, F6, output).
 *
 * @example
 * const net = new nn.Sequential(
 *   new nn.Conv2d(1, 6, 5, { padding: 2, rng }), new nn.Sigmoid(), new nn.AvgPool2d(2),
 *   new nn.Conv2d(6, 16, 5, { rng }), new nn.Sigmoid(), new nn.AvgPool2d(2), new nn.Flatten(),
 *   new nn.Linear(400, 120, { rng }), new nn.Sigmoid(), new nn.Linear(120, 84, { rng }), new nn.Sigmoid(),
 *   new nn.Linear(84, 10, { rng }));
 * net.outputShape([256, 1, 28, 28]) // [256, 10]
 */
export class Sequential extends Module {
  /** The layers, in the order they are applied. */
  readonly layers: readonly Module[];

  /** Registers the layers as children `'0'`, `'1'`, … and names their parameters accordingly. */
  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, index) => this.registerModule(String(index), layer));
    this.layers = layers;
    this.nameParameters();
  }

  /** Applies each layer to the previous one's output. */
  forward(x: Tensor): Tensor {
    return this.layers.reduce((activation, layer) => layer.forward(activation), x);
  }

  /**
   * Each layer's input shape, output shape, parameters and connections, in order (d2l's
   * `layer_summary`); throws naming the layer whose input shape does not fit.
   */
  trace(inputShape: Shape): LayerTrace[] {
    const rows: LayerTrace[] = [];
    let shape = inputShape;
    this.layers.forEach((layer, index) => {
      let description: LayerDescription;
      try {
        description = layer.describe(shape);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RangeError(`Sequential: layer ${index} (${layer.constructor.name}) cannot take input ${formatShape(shape)}: ${reason}`);
      }
      rows.push({ name: String(index), layer, inputShape: shape, ...description });
      shape = description.outputShape;
    });
    return rows;
  }

  /** The last layer's output shape and the sums of parameters and connections over the layers. */
  describe(inputShape: Shape): LayerDescription {
    const rows = this.trace(inputShape);
    return {
      outputShape: rows.length === 0 ? inputShape : rows[rows.length - 1].outputShape,
      parameters: rows.reduce((total, row) => total + row.parameters, 0),
      connections: rows.reduce((total, row) => total + row.connections, 0),
    };
  }
}
