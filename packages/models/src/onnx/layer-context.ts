/**
 * What translating one layer of a `Sequential` into ONNX nodes needs: the graph, the value it reads,
 * the value it must produce, its display name, and its own entries of the state dict.
 * @module
 */
import type { nn } from '@lenet/core';
import type { OnnxGraph } from './onnx-graph.js';

/** One layer's place in the graph being built. */
export interface LayerContext {
  /** The graph the nodes are added to. */
  readonly graph: OnnxGraph;
  /** The name of the value the layer reads (`images`, or the previous layer's output). */
  readonly input: string;
  /** The name of the value the layer must produce (`C1`, `C1.sigmoid`, …, `logits` for the last). */
  readonly output: string;
  /**
   * The prefix of its weights and intermediate values: the paper's name of the layer (`C1`) or, for a
   * layer the paper does not name, its output's name (`C1.sigmoid`).
   */
  readonly name: string;
  /** Its state-dict entry `key` (e.g. `weight` → the model's `0.weight`); throws when it has none. */
  readonly state: (key: string) => nn.StateEntry;
  /** The model's state-dict name of its entry `key` (e.g. `0.weight`), for the initializers' documentation. */
  readonly stateName: (key: string) => string;
}

/** Adds a layer's nodes to `context.graph` and returns true, or returns false for a layer it does not know. */
export type LayerTranslator = (layer: nn.Module, context: LayerContext) => boolean;
