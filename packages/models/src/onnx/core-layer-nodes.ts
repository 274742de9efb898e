/**
 * ONNX nodes for the layers of `@lenet/core`'s `nn` — everything d2l's LeNet-5 (`lenet5`) and
 * `lenet5-modern` are made of: Conv, Gemm, AveragePool, MaxPool, Sigmoid, Relu, Tanh and Flatten.
 * @module
 */
import { nn } from '@lenet/core';
import type { LayerContext, LayerTranslator } from './layer-context.js';

/** ONNX's `pads` for a symmetric [rows, columns] padding: [top, left, bottom, right]. */
export function onnxPads([rows, columns]: readonly [number, number]): number[] {
  return [rows, columns, rows, columns];
}

/** A parameter as an initializer named `<layer>.<key>`, documented with its state-dict name and shape. */
export function parameterInitializer(context: LayerContext, key: string): string {
  const entry = context.state(key);
  return context.graph.weight(
    `${context.name}.${key}`,
    entry.shape,
    entry.data,
    `state-dict ${context.stateName(key)} [${entry.shape.join(', ')}]`,
  );
}

/**
 * `Conv(x, W, b)`: z[n,k](x,y) = b[k] + Σ_c Σ_{u,v} a[n,c](x·s+u−p, y·s+v−p)·w[k,c](u,v), W `[K,C,kh,kw]`
 * as it is in the state dict (ONNX's Conv is a cross-correlation, as LeNet.ts's conv2d). `note` is
 * added to the node's documentation.
 */
export function convNodes(layer: nn.Conv2d, context: LayerContext, weight: string, note = ''): void {
  const inputs = [context.input, weight];
  if (layer.bias !== null) inputs.push(parameterInitializer(context, 'bias'));
  context.graph.node('Conv', inputs, context.output, {
    name: context.name,
    attributes: {
      kernel_shape: { ints: layer.kernelSize },
      strides: { ints: layer.stride },
      pads: { ints: onnxPads(layer.padding) },
    },
    doc: `${context.name}: ${layer.inChannels} → ${layer.outChannels} maps, ${layer.kernelSize.join('×')} kernels${note === '' ? '' : `; ${note}`}`,
  });
}

/** `Gemm(x, W, b, transB=1)`: y = x·Wᵀ + b with W `[out, in]` as PyTorch's Linear stores it. */
function linearNodes(layer: nn.Linear, context: LayerContext): void {
  const inputs = [context.input, parameterInitializer(context, 'weight')];
  if (layer.bias !== null) inputs.push(parameterInitializer(context, 'bias'));
  context.graph.node('Gemm', inputs, context.output, {
    name: context.name,
    attributes: { transB: { int: 1 } },
    doc: `${context.name}: fully connected, ${layer.inFeatures} → ${layer.outFeatures}, y = x·Wᵀ + b`,
  });
}

/** AveragePool (zeros of the padding counted in the mean, as LeNet.ts's avgPool2d) or MaxPool. */
function poolNodes(layer: nn.Pool2d, context: LayerContext): void {
  const average = layer instanceof nn.AvgPool2d;
  context.graph.node(average ? 'AveragePool' : 'MaxPool', [context.input], context.output, {
    name: context.name,
    attributes: {
      kernel_shape: { ints: layer.kernelSize },
      strides: { ints: layer.stride },
      pads: { ints: onnxPads(layer.padding) },
      ...(average ? { count_include_pad: { int: 1 } } : {}),
    },
    doc: `${context.name}: ${average ? 'mean' : 'maximum'} of each ${layer.kernelSize.join('×')} window`,
  });
}

/** The element-wise activations of `nn`, by their ONNX operator. */
function activationOp(layer: nn.Module): string | null {
  if (layer instanceof nn.Sigmoid) return 'Sigmoid';
  if (layer instanceof nn.ReLU) return 'Relu';
  if (layer instanceof nn.Tanh) return 'Tanh';
  return null;
}

/**
 * Translates a layer of `nn`: Conv2d, Linear, AvgPool2d, MaxPool2d, Sigmoid, ReLU, Tanh, Flatten
 * (`Flatten(axis=1)`: `[N, …]` → `[N, product of the rest]`).
 */
export const coreLayerNodes: LayerTranslator = (layer, context) => {
  if (layer instanceof nn.Conv2d) convNodes(layer, context, parameterInitializer(context, 'weight'));
  else if (layer instanceof nn.Linear) linearNodes(layer, context);
  else if (layer instanceof nn.Pool2d) poolNodes(layer, context);
  else if (layer instanceof nn.Flatten)
    context.graph.node('Flatten', [context.input], context.output, { name: context.name, attributes: { axis: { int: 1 } } });
  else {
    const op = activationOp(layer);
    if (op === null) return false;
    context.graph.node(op, [context.input], context.output, { name: context.name });
  }
  return true;
};
