/**
 * "Look inside": one image through the network layer by layer — every layer's output as the
 * backend computes it — and formula (1) for one output pixel of C1, from the layer's own weights.
 * @module
 */
import { nn, noGrad, softmax, tensor, type Tensor } from '@lenet/core';
import { getModelSpec, type ModelName } from '@lenet/models/browser';

/** One layer's output for the image. */
export interface LayerOutput {
  /** The layer's index in the `Sequential` (its state-dict prefix). */
  readonly index: string;
  /** The paper's label (C1, S2, …) or null. */
  readonly label: string | null;
  /** The layer's class, e.g. `Conv2d`. */
  readonly kind: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** What the page shows for one image. */
export interface ForwardPass {
  readonly layers: readonly LayerOutput[];
  /** softmax of the last layer's output: the 10 class probabilities. */
  readonly probabilities: Float32Array;
  readonly predicted: number;
}

/** Runs `image` (`height · width` pixels in [0, 1]) through `model`, keeping every layer's output. */
export async function forwardPass(
  model: nn.Sequential,
  modelName: ModelName,
  image: Float32Array,
  height: number,
  width: number,
): Promise<ForwardPass> {
  const names = getModelSpec(modelName).layerNames;
  const wasTraining = model.training;
  model.eval();
  const outputs: Tensor[] = [];
  let probabilitiesTensor: Tensor | null = null;
  try {
    probabilitiesTensor = noGrad(() => {
      let x = tensor(image, [1, 1, height, width]);
      for (const [, layer] of model.children()) {
        x = layer.call(x);
        outputs.push(x);
      }
      return softmax(x);
    });
    const children = model.children();
    const layers = await Promise.all(
      outputs.map(
        async (output, i): Promise<LayerOutput> => ({
          index: children[i][0],
          label: names[children[i][0]] ?? null,
          kind: children[i][1].constructor.name,
          shape: [...output.shape],
          values: await output.data(),
        }),
      ),
    );
    const probabilities = await probabilitiesTensor.data();
    let predicted = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[predicted]) predicted = c;
    return { layers, probabilities, predicted };
  } finally {
    for (const output of outputs) output.dispose();
    probabilitiesTensor?.dispose();
    model.train(wasTraining);
  }
}

/**
 * The activations the page draws for a label: the output of the activation that follows the layer
 * when one does (same shape), else the layer's own output (pooling).
 */
export function activationsOf(pass: ForwardPass, label: string): LayerOutput | null {
  const at = pass.layers.findIndex((layer) => layer.label === label);
  if (at === -1) return null;
  const next = pass.layers[at + 1];
  const own = pass.layers[at];
  const sameShape = next !== undefined && next.shape.join() === own.shape.join() && next.label === null;
  return sameShape ? next : own;
}

/** Formula (1) for one C1 output pixel, with every number that goes into it. */
export interface ProbeNumbers {
  /** The map (filter) k. */
  readonly k: number;
  /** The output pixel's row (x runs down the rows in formula (1), as in backend-cpu's kernels). */
  readonly x: number;
  /** The output pixel's column. */
  readonly y: number;
  /** The (kh × kw) input patch under the kernel, row-major (zeros where the padding is). */
  readonly patch: Float64Array;
  /** The kernel w^{[1,k]}, row-major. */
  readonly weights: Float64Array;
  readonly bias: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly padding: readonly [number, number];
  /** Σ patch ⊙ weights + bias, in float64. */
  readonly sum: number;
  /** The layer's own output there, as the backend computed it. */
  readonly backendValue: number;
}

/** The C1 layer of `model` (the layer labelled C1), or null. */
export function c1Layer(model: nn.Sequential, modelName: ModelName): nn.Conv2d | null {
  const names = getModelSpec(modelName).layerNames;
  const entry = model.children().find(([index]) => names[index] === 'C1');
  const layer = entry?.[1];
  return layer instanceof nn.Conv2d ? layer : null;
}

/** Weights and bias of C1, read back once per image (they change while training). */
export interface C1Weights extends Pick<nn.Conv2d, 'kernelSize' | 'padding' | 'stride'> {
  /** The filters' values, `[K, 1, kh, kw]` row-major. */
  readonly weight: Float32Array;
  /** One value per filter, or null. */
  readonly bias: Float32Array | null;
}

export async function readC1(layer: nn.Conv2d): Promise<C1Weights> {
  return {
    weight: await layer.weight.data(),
    bias: layer.bias === null ? null : await layer.bias.data(),
    kernelSize: layer.kernelSize,
    padding: layer.padding,
    stride: layer.stride,
  };
}

/**
 * Formula (1) at output pixel (x, y) of C1's map k for `image`, x the row and y the column (as in
 * formula (1) and backend-cpu's `conv2d`): z = Σ_u Σ_v a(x·sh + u − ph, y·sw + v − pw) · w_k(u, v) + b_k.
 * `c1Output` is the layer's output ([1, K, H', W']) for the same image.
 */
export function probeC1(
  c1: C1Weights,
  image: Float32Array,
  height: number,
  width: number,
  c1Output: LayerOutput,
  k: number,
  x: number,
  y: number,
): ProbeNumbers {
  const { padding, stride } = c1;
  const [kernelHeight, kernelWidth] = c1.kernelSize;
  const patch = new Float64Array(kernelHeight * kernelWidth);
  const weights = new Float64Array(kernelHeight * kernelWidth);
  let sum = c1.bias === null ? 0 : c1.bias[k];
  for (let u = 0; u < kernelHeight; u++) {
    for (let v = 0; v < kernelWidth; v++) {
      const row = x * stride[0] + u - padding[0];
      const column = y * stride[1] + v - padding[1];
      const a = row >= 0 && row < height && column >= 0 && column < width ? image[row * width + column] : 0;
      const w = c1.weight[(k * kernelHeight + u) * kernelWidth + v];
      patch[u * kernelWidth + v] = a;
      weights[u * kernelWidth + v] = w;
      sum += a * w;
    }
  }
  const [, , outHeight, outWidth] = c1Output.shape;
  return {
    k,
    x,
    y,
    patch,
    weights,
    bias: c1.bias === null ? 0 : c1.bias[k],
    kernelHeight,
    kernelWidth,
    padding,
    sum,
    backendValue: c1Output.values[(k * outHeight + x) * outWidth + y],
  };
}

/** The TeX of formula (1) with the probe's numbers filled in. */
export function probeTex(probe: ProbeNumbers): string {
  const matrix = (values: Float64Array, digits: number): string => {
    const rows: string[] = [];
    for (let u = 0; u < probe.kernelHeight; u++) {
      rows.push(
        Array.from(values.subarray(u * probe.kernelWidth, (u + 1) * probe.kernelWidth), (value) => value.toFixed(digits)).join(' & '),
      );
    }
    return `\\begin{bmatrix} ${rows.join(' \\\\ ')} \\end{bmatrix}`;
  };
  const [p] = probe.padding;
  return (
    `z^{[1,${probe.k}]}(${probe.x}, ${probe.y}) = \\sum_{u=0}^{${probe.kernelHeight - 1}} \\sum_{v=0}^{${probe.kernelWidth - 1}} ` +
    `a^{[0]}(${probe.x}+u-${p},\\, ${probe.y}+v-${p}) \\cdot w^{[1,${probe.k}]}(u, v) + b^{[1,${probe.k}]}` +
    ` \\\\ = \\operatorname{sum}\\left(${matrix(probe.patch, 2)} \\odot ${matrix(probe.weights, 3)}\\right) ${probe.bias < 0 ? '-' : '+'} ${Math.abs(probe.bias).toFixed(4)}` +
    ` = ${probe.sum.toFixed(5)}`
  );
}
