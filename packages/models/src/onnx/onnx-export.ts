/**
 * A LeNet of the registry as an ONNX model: one walk over its `Sequential`, each layer translated
 * into standard ONNX operators under the paper's layer names, its weights from the state dict, the
 * run's settings and the class names as metadata. Bytes out, no files: the browser entry exports it.
 * @module
 */
import { nn } from '@lenet/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ScaledTanh } from '../models/layers/scaled-tanh.js';
import { getModelSpec, type ModelName } from '../models/registry.js';
import { checkpointMetadata, type CheckpointInfo } from '../training/checkpoint-metadata.js';
import { coreLayerNodes } from './core-layer-nodes.js';
import type { LayerContext, LayerTranslator } from './layer-context.js';
import { lenet5ClassicNodes } from './lenet5-classic-nodes.js';
import { ONNX_IR_VERSION, ONNX_OPSET, onnx } from './onnx-format.js';
import { OnnxGraph } from './onnx-graph.js';

/** The graph's input: a batch of images. */
export const ONNX_INPUT_NAME = 'images';
/** The graph's output: one score per class. */
export const ONNX_OUTPUT_NAME = 'logits';

/** What the exported model says about itself. */
export interface OnnxExportOptions {
  /** The registry name of the network, e.g. `lenet5`. */
  readonly model: ModelName;
  /** The class of each output, in order (`FASHION_MNIST_CLASS_NAMES`). */
  readonly classNames: readonly string[];
  /** The run that trained the weights (settings, epochs, metrics), or null when unknown. */
  readonly info: CheckpointInfo | null;
}

/** A network that cannot be written as ONNX (a layer with no translation, a missing weight). */
export class OnnxExportError extends Error {
  /** `OnnxExportError`. */
  override readonly name = 'OnnxExportError';
}

/** Translators tried in order; the 1998 layers first, since `MaskedConv2d` is also an `nn.Conv2d`. */
const TRANSLATORS: readonly LayerTranslator[] = [lenet5ClassicNodes, coreLayerNodes];

/** How the output of a layer the paper does not name is suffixed: `C1.sigmoid`, `C5.flatten`. */
function layerKind(layer: nn.Module): string {
  if (layer instanceof nn.Sigmoid) return 'sigmoid';
  if (layer instanceof nn.ReLU) return 'relu';
  if (layer instanceof nn.Tanh) return 'tanh';
  if (layer instanceof nn.Flatten) return 'flatten';
  if (layer instanceof ScaledTanh) return 'scaled_tanh';
  return 'layer';
}

/** The model's `doc_string`: what goes in, what comes out, which network. */
function modelDoc(options: OnnxExportOptions, inputShape: readonly number[]): string {
  const spec = getModelSpec(options.model);
  const trained = options.info === null ? '' : ` Trained ${options.info.epoch} epochs on ${options.info.settings.dataset} by LeNet.ts.`;
  return [
    `${spec.name}: ${spec.description}.${trained}`,
    `Input '${ONNX_INPUT_NAME}': float32 [N, ${inputShape.join(', ')}], any batch size N; each pixel is its byte value / 255 ` +
      '(0 = background, 1 = full intensity), as in training; no mean or standard deviation is subtracted.',
    `Output '${ONNX_OUTPUT_NAME}': float32 [N, ${options.classNames.length}], one score per class (softmax gives the probabilities; ` +
      `the largest wins), classes in order: ${options.classNames.map((name, k) => `${k} ${name}`).join(', ')}.`,
    `Written by LeNet.ts, ONNX IR version ${ONNX_IR_VERSION}, opset ${ONNX_OPSET}.`,
  ].join('\n');
}

/** `metadata_props`: the run's settings and history (the checkpoint's own keys) and the class names. */
function metadataProps(options: OnnxExportOptions): OnnxTypes.IStringStringEntryProto[] {
  const run = options.info === null ? { model: options.model } : checkpointMetadata(options.info);
  const entries: Record<string, string> = { ...run, class_names: JSON.stringify(options.classNames), input_scaling: 'pixel / 255' };
  delete entries.format; // safetensors' 'pt' says nothing here
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}

/**
 * Writes `network` (a model of the registry, built by its spec, with its weights loaded) as an ONNX
 * model: input `images` float32 `[N,1,28,28]`, output `logits` float32 `[N,10]`, N dynamic.
 *
 * Names: the paper's layer names from the registry (`C1`, `S2`, …) for the values the named layers
 * produce and for their weights (`C1.weight`, `C1.bias`); an unnamed layer's output is the previous
 * name and its kind (`C1.sigmoid`, `C5.flatten`); the steps inside a layer are `<name>/<step>`.
 *
 * @throws OnnxExportError for a layer this exporter has no translation for.
 * @example const bytes = await exportOnnx(net, { model: 'lenet5', classNames: FASHION_MNIST_CLASS_NAMES, info: null });
 */
export async function exportOnnx(network: nn.Sequential, options: OnnxExportOptions): Promise<Uint8Array> {
  const spec = getModelSpec(options.model);
  const state = await network.stateDict();
  const graph = new OnnxGraph();
  let input = ONNX_INPUT_NAME;
  let lastNamed = '';
  network.layers.forEach((layer, index) => {
    const paperName = spec.layerNames[String(index)];
    const name = paperName ?? (lastNamed === '' ? `layer${index}` : `${lastNamed}.${layerKind(layer)}`);
    if (paperName !== undefined) lastNamed = paperName;
    const stateName = (key: string): string => `${index}.${key}`;
    const context: LayerContext = {
      graph,
      input,
      output: index === network.layers.length - 1 ? ONNX_OUTPUT_NAME : name,
      name,
      stateName,
      state: (key) => {
        const entry = state.get(stateName(key));
        if (entry === undefined)
          throw new OnnxExportError(`exportOnnx: layer ${index} (${name}) has no state-dict entry '${stateName(key)}'`);
        return entry;
      },
    };
    if (!TRANSLATORS.some((translate) => translate(layer, context))) {
      throw new OnnxExportError(`exportOnnx: layer ${index} (${layer.constructor.name}) has no ONNX translation`);
    }
    input = context.output;
  });
  const inputShape = spec.exampleShape;
  const graphProto = graph.toProto(
    spec.name,
    { name: ONNX_INPUT_NAME, shape: ['N', ...inputShape], doc: `float32 [N, ${inputShape.join(', ')}], pixels / 255` },
    {
      name: ONNX_OUTPUT_NAME,
      shape: ['N', options.classNames.length],
      doc: `float32 [N, ${options.classNames.length}], one score per class`,
    },
    `${spec.name} as LeNet.ts builds it`,
  );
  const model: OnnxTypes.IModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'LeNet.ts',
    producerVersion: '0.1.0',
    docString: modelDoc(options, inputShape),
    graph: graphProto,
    metadataProps: metadataProps(options),
  };
  return onnx.ModelProto.encode(model).finish();
}
