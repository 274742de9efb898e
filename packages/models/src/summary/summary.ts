/**
 * A model summary: one row per layer, as the notes print it,
 * `for layer in net: X = layer(X); print(layer.__class__.__name__, 'output shape:\t', X.shape)`,
 * with the parameter and connection counts of LeCun et al.'s description of LeNet-5.
 * @module
 */
import type { nn, Shape } from '@lenet/core';

/** One layer of a {@link ModelSummary}. */
export interface SummaryRow {
  /** The layer's name in its container (`'0'`, `'1'`, …), the prefix of its parameter names. */
  readonly index: string;
  /** The layer's class, e.g. `Conv2d` (the notes' `layer.__class__.__name__`). */
  readonly layer: string;
  /** Another name for it, e.g. the paper's `C1`; empty if it has none. */
  readonly label: string;
  /** The shape of its output for the summary's input shape (batch axis included). */
  readonly outputShape: Shape;
  /** Trainable values in the layer. */
  readonly parameters: number;
  /** Connections per example (see `nn.LayerDescription`). */
  readonly connections: number;
}

/** What {@link summary} returns. */
export interface ModelSummary {
  /** The input shape the rows were computed for. */
  readonly inputShape: Shape;
  /** One row per layer, in order. */
  readonly rows: readonly SummaryRow[];
  /** Σ of the rows' parameters. */
  readonly totalParameters: number;
  /** Σ of the rows' connections. */
  readonly totalConnections: number;
}

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** Other names of layers by index, e.g. `{ '0': 'C1' }`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Passes `inputShape` through the layers of `model` with `Sequential.trace` (every registry model is
 * a `Sequential`), each layer describing itself: output shape, parameters and connections. Only
 * shapes flow, so no data is computed.
 *
 * @param inputShape the shape of the input batch, e.g. `[1, 1, 28, 28]`
 * @throws the error a layer's `forward` would throw for a wrong shape.
 * @example summary(lenet5(rng), [1, 1, 28, 28]).totalParameters // 61706
 */
export function summary(model: nn.Sequential, inputShape: Shape, options: SummaryOptions = {}): ModelSummary {
  const rows: SummaryRow[] = model.trace(inputShape).map((row) => ({
    index: row.name,
    layer: row.layer.constructor.name,
    label: options.labels?.[row.name] ?? '',
    outputShape: row.outputShape,
    parameters: row.parameters,
    connections: row.connections,
  }));
  return {
    inputShape,
    rows,
    totalParameters: rows.reduce((total, row) => total + row.parameters, 0),
    totalConnections: rows.reduce((total, row) => total + row.connections, 0),
  };
}
