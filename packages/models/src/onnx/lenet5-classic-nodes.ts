/**
 * ONNX nodes for the layers of LeNet-5 as published in 1998 (`lenet5-classic`), each from standard
 * operators: the 28×28 → 32×32 padding (Pad), C3's connection table (a Conv whose unconnected
 * weights are zero), the trainable subsampling (AveragePool, then Mul by 4, by the coefficient, Add
 * the bias), the scaled tanh (Mul, Tanh, Mul) and the Euclidean RBF output (Unsqueeze, Sub,
 * ReduceSumSquare, Neg).
 * @module
 */
import { EuclideanRbf } from '../models/layers/euclidean-rbf.js';
import { MaskedConv2d } from '../models/layers/masked-conv2d.js';
import { SCALED_TANH_AMPLITUDE, SCALED_TANH_SLOPE, ScaledTanh } from '../models/layers/scaled-tanh.js';
import { Subsampling } from '../models/layers/subsampling.js';
import { ZeroPad2d } from '../models/layers/zero-pad2d.js';
import { convNodes, parameterInitializer } from './core-layer-nodes.js';
import type { LayerContext, LayerTranslator } from './layer-context.js';

/** `Pad(x, [0, 0, p, p, 0, 0, p, p])`: p rows and columns of zeros on each side of every map. */
function zeroPadNodes(layer: ZeroPad2d, context: LayerContext): void {
  const p = layer.padding;
  const pads = context.graph.int64s(
    `${context.name}.pads`,
    [0, 0, p, p, 0, 0, p, p],
    'ONNX pads: the starts of N, C, H, W, then their ends',
  );
  context.graph.node('Pad', [context.input, pads], context.output, {
    name: context.name,
    attributes: { mode: { string: 'constant' } },
    doc: `${context.name}: ${p} rows and columns of zeros around each image (28×28 → 32×32, the paper's input field)`,
  });
}

/**
 * C3: `Conv(x, W ⊙ m, b)`. The mask m `[K,C,1,1]` is folded into the weight, so the weights of the
 * maps a C3 map does not read (Table I) are stored as zeros.
 */
function maskedConvNodes(layer: MaskedConv2d, context: LayerContext): void {
  const weight = context.state('weight');
  const mask = context.state('mask');
  const perMap = weight.shape[2] * weight.shape[3];
  const masked = weight.data.map((value, index) => value * mask.data[Math.floor(index / perMap)]);
  const name = context.graph.weight(
    `${context.name}.weight`,
    weight.shape,
    masked,
    `state-dict ${context.stateName('weight')} ⊙ ${context.stateName('mask')} [${weight.shape.join(', ')}]: zero where the connection table leaves a map out`,
  );
  const table = layer.table.map((inputs, k) => `${k}←{${inputs.join(',')}}`).join(' ');
  convNodes(layer, context, name, `the weights of the maps a map does not read are 0; map ← the maps it reads: ${table}`);
}

/** The layer's per-map parameter `key` (shape `[C]`) as an initializer of shape `[1, C, 1, 1]`, which broadcasts over each map. */
function perMapInitializer(context: LayerContext, key: string): string {
  const entry = context.state(key);
  const channels = entry.data.length;
  return context.graph.weight(
    `${context.name}.${key}`,
    [1, channels, 1, 1],
    entry.data,
    `state-dict ${context.stateName(key)} [${entry.shape.join(', ')}], as [1, ${channels}, 1, 1] to scale each map`,
  );
}

/** y = α · (2×2 window sum) + β: AveragePool, Mul by 4 (mean → sum), Mul by α, Add β. */
function subsamplingNodes(layer: Subsampling, context: LayerContext): void {
  const { graph, name } = context;
  const mean = graph.node('AveragePool', [context.input], `${name}/window_mean`, {
    attributes: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } },
    doc: `${name}: trainable subsampling of ${layer.channels} maps, y = α·Σ(2×2 window) + β`,
  });
  const sum = graph.node(
    'Mul',
    [mean, graph.scalar(`${name}.window_size`, 4, '4 inputs per window: the mean times 4 is the sum')],
    `${name}/window_sum`,
  );
  const scaled = graph.node('Mul', [sum, perMapInitializer(context, 'coefficient')], `${name}/scaled`);
  graph.node('Add', [scaled, perMapInitializer(context, 'bias')], context.output, { name: context.name });
}

/** f(a) = A · tanh(S · a), A = 1.7159, S = 2/3: Mul, Tanh, Mul. */
function scaledTanhNodes(context: LayerContext): void {
  const { graph, name } = context;
  const slope = graph.scalar(`${name}.slope`, SCALED_TANH_SLOPE, 'S = 2/3');
  const amplitude = graph.scalar(`${name}.amplitude`, SCALED_TANH_AMPLITUDE, 'A = 1.7159');
  const tanh = graph.node('Tanh', [graph.node('Mul', [context.input, slope], `${name}/slope_times_input`)], `${name}/tanh`);
  graph.node('Mul', [tanh, amplitude], context.output, { name: context.name, doc: 'scaled tanh f(a) = 1.7159·tanh(2a/3)' });
}

/**
 * −y_i = −Σ_j (x_j − w_ij)², as LeNet.ts computes it: x `[N,J]` → `[N,1,J]` (Unsqueeze), minus the
 * codes w `[I,J]` broadcast to `[N,I,J]` (Sub), the squares summed over j (ReduceSumSquare), negated (Neg).
 */
function rbfNodes(layer: EuclideanRbf, context: LayerContext): void {
  const { graph, name } = context;
  const axes = graph.int64s(`${name}.unsqueeze_axes`, [1], 'x [N,J] → [N,1,J]');
  const row = graph.node('Unsqueeze', [context.input, axes], `${name}/x_row`);
  const differences = graph.node('Sub', [row, parameterInitializer(context, 'codes')], `${name}/differences`, {
    doc: `x − w_i for each of the ${layer.classes} class codes: [N,1,${layer.inFeatures}] − [${layer.classes},${layer.inFeatures}] → [N,${layer.classes},${layer.inFeatures}]`,
  });
  const distances = graph.node('ReduceSumSquare', [differences], `${name}/squared_distances`, {
    attributes: { axes: { ints: [2] }, keepdims: { int: 0 } },
    doc: 'y_i = Σ_j (x_j − w_ij)², the RBF penalties',
  });
  graph.node('Neg', [distances], context.output, { name: context.name, doc: 'the logits are −y: the nearest code wins' });
}

/** Translates the layers of `lenet5-classic` that `@lenet/core`'s `nn` does not have. */
export const lenet5ClassicNodes: LayerTranslator = (layer, context) => {
  if (layer instanceof ZeroPad2d) zeroPadNodes(layer, context);
  else if (layer instanceof MaskedConv2d) maskedConvNodes(layer, context);
  else if (layer instanceof Subsampling) subsamplingNodes(layer, context);
  else if (layer instanceof ScaledTanh) scaledTanhNodes(context);
  else if (layer instanceof EuclideanRbf) rbfNodes(layer, context);
  else return false;
  return true;
};
