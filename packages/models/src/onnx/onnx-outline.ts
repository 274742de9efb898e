/**
 * Reading an ONNX file back as a plain outline — its versions, documentation, metadata, inputs and
 * outputs, nodes and weights — for pictures of the graph (the docs draw the exported graph from it)
 * and for checks. Decoding is onnx-proto's.
 * @module
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './onnx-format.js';

/** A graph input or output: its name and dimensions (a string is symbolic, e.g. `N`). */
export interface OnnxValueOutline {
  /** The value's name, e.g. `images`. */
  readonly name: string;
  /** Its dimensions, e.g. `['N', 1, 28, 28]`. */
  readonly shape: ReadonlyArray<number | string>;
}

/** A node: `outputs = opType(inputs)`. */
export interface OnnxNodeOutline {
  /** The node's name (LeNet.ts names a node after its output). */
  readonly name: string;
  /** The operator, e.g. `Conv`. */
  readonly opType: string;
  /** The values it reads: the previous node's output, then weights. */
  readonly inputs: readonly string[];
  /** The values it produces. */
  readonly outputs: readonly string[];
  /** Its `doc_string`. */
  readonly doc: string;
}

/** What an ONNX model holds, without the weights' values. */
export interface OnnxModelOutline {
  /** The IR version, e.g. 8. */
  readonly irVersion: number;
  /** The default domain's opset, e.g. 13. */
  readonly opset: number;
  /** The model's `doc_string`. */
  readonly doc: string;
  /** `metadata_props` as a record. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The graph's inputs. */
  readonly inputs: readonly OnnxValueOutline[];
  /** The graph's outputs. */
  readonly outputs: readonly OnnxValueOutline[];
  /** The nodes in the order they run. */
  readonly nodes: readonly OnnxNodeOutline[];
  /** The initializers (weights and constants): name and shape. */
  readonly initializers: readonly OnnxValueOutline[];
}

function valueOutline(value: OnnxTypes.IValueInfoProto): OnnxValueOutline {
  const dims = value.type?.tensorType?.shape?.dim ?? [];
  return { name: value.name ?? '', shape: dims.map((dim) => (dim.dimParam ? dim.dimParam : Number(dim.dimValue ?? 0))) };
}

/**
 * Decodes `bytes` as an ONNX model and returns its outline.
 * @throws Error from the decoder for bytes that are not an ONNX model.
 * @example readOnnxOutline(readFileSync('model.onnx')).nodes.map((node) => node.opType) // ['Conv', 'Sigmoid', …]
 */
export function readOnnxOutline(bytes: Uint8Array): OnnxModelOutline {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  const defaultDomain = model.opsetImport.find((entry) => (entry.domain ?? '') === '');
  return {
    irVersion: Number(model.irVersion),
    opset: Number(defaultDomain?.version ?? 0),
    doc: model.docString,
    metadata: Object.fromEntries(model.metadataProps.map((entry) => [entry.key ?? '', entry.value ?? ''])),
    inputs: (graph?.input ?? []).map(valueOutline),
    outputs: (graph?.output ?? []).map(valueOutline),
    nodes: (graph?.node ?? []).map((node) => ({
      name: node.name ?? '',
      opType: node.opType ?? '',
      inputs: [...(node.input ?? [])],
      outputs: [...(node.output ?? [])],
      doc: node.docString ?? '',
    })),
    initializers: (graph?.initializer ?? []).map((tensor) => ({ name: tensor.name ?? '', shape: (tensor.dims ?? []).map(Number) })),
  };
}
