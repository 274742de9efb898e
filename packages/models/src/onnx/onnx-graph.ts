/**
 * Building an ONNX graph: nodes in the order they run, the weights they read (initializers), and
 * the graph's typed inputs and outputs, each under a name Netron shows.
 * @module
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ONNX_FLOAT, ONNX_INT64, onnx } from './onnx-format.js';

/** A node attribute's value: an integer, a float, a list of integers or a string. */
export type OnnxAttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly string: string };

/** What a node is, besides its operator, inputs and output. */
export interface OnnxNodeOptions {
  /** The node's name; default its output's (a layer's last node takes the layer's name, e.g. `OUTPUT` → `logits`). */
  readonly name?: string;
  /** The node's attributes, e.g. `{ kernel_shape: { ints: [5, 5] } }`. */
  readonly attributes?: Readonly<Record<string, OnnxAttributeValue>>;
  /** What Netron shows as the node's documentation. */
  readonly doc?: string;
}

/** A graph input or output: a float32 tensor whose first dimension may be symbolic (`'N'`). */
export interface OnnxValueSpec {
  /** The value's name. */
  readonly name: string;
  /** Dimensions; a string is a symbolic dimension (the batch size `N`). */
  readonly shape: ReadonlyArray<number | string>;
  /** Its documentation. */
  readonly doc: string;
}

function attributeProto(name: string, value: OnnxAttributeValue): OnnxTypes.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
}

function valueInfo(spec: OnnxValueSpec): OnnxTypes.IValueInfoProto {
  const dim = spec.shape.map((size) => (typeof size === 'string' ? { dimParam: size } : { dimValue: size }));
  return { name: spec.name, docString: spec.doc, type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim } } } };
}

/** The little-endian bytes of a typed array (ONNX's `raw_data`). */
function littleEndianBytes(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

/**
 * An ONNX graph under construction. Every value has one producer: adding a second node or
 * initializer with a name already used is an error, so a translation cannot silently rewire the graph.
 *
 * @example
 * const graph = new OnnxGraph();
 * const w = graph.weight('C1.weight', [6, 1, 5, 5], data, 'state-dict 0.weight');
 * graph.node('Conv', ['images', w], 'C1', { attributes: { pads: { ints: [2, 2, 2, 2] } } });
 */
export class OnnxGraph {
  readonly #nodes: OnnxTypes.INodeProto[] = [];
  readonly #initializers: OnnxTypes.ITensorProto[] = [];
  readonly #names = new Set<string>();

  #claim(name: string): void {
    if (this.#names.has(name)) throw new Error(`OnnxGraph: the value name '${name}' is used twice`);
    this.#names.add(name);
  }

  /** Adds a float32 initializer (a weight) of shape `dims`; returns its name. */
  weight(name: string, dims: readonly number[], data: Float32Array, doc: string): string {
    const count = dims.reduce((product, size) => product * size, 1);
    if (count !== data.length)
      throw new Error(`OnnxGraph: '${name}' has ${data.length} values but its shape [${dims.join(', ')}] needs ${count}`);
    this.#claim(name);
    this.#initializers.push({ name, docString: doc, dims: [...dims], dataType: ONNX_FLOAT, rawData: littleEndianBytes(data) });
    return name;
  }

  /** Adds an int64 initializer of shape `[values.length]` (Pad's `pads`, Unsqueeze's `axes`); returns its name. */
  int64s(name: string, values: readonly number[], doc: string): string {
    this.#claim(name);
    const data = BigInt64Array.from(values, (value) => BigInt(value));
    this.#initializers.push({ name, docString: doc, dims: [values.length], dataType: ONNX_INT64, rawData: littleEndianBytes(data) });
    return name;
  }

  /** Adds a float32 scalar initializer (a constant factor); returns its name. */
  scalar(name: string, value: number, doc: string): string {
    return this.weight(name, [], Float32Array.of(value), doc);
  }

  /** Adds the node `output = opType(inputs…)`, named `options.name` or after its output; returns the output's name. */
  node(opType: string, inputs: readonly string[], output: string, options: OnnxNodeOptions = {}): string {
    this.#claim(output);
    const attribute = Object.entries(options.attributes ?? {}).map(([name, value]) => attributeProto(name, value));
    this.#nodes.push({
      opType,
      name: options.name ?? output,
      input: [...inputs],
      output: [output],
      attribute,
      docString: options.doc ?? '',
    });
    return output;
  }

  /** The finished graph, reading `input` and producing `output`. */
  toProto(name: string, input: OnnxValueSpec, output: OnnxValueSpec, doc: string): OnnxTypes.IGraphProto {
    return {
      name,
      docString: doc,
      node: [...this.#nodes],
      initializer: [...this.#initializers],
      input: [valueInfo(input)],
      output: [valueInfo(output)],
    };
  }
}
