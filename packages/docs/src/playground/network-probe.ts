/**
 * Inside the network while it learns: a batch through the model, and for its first example every
 * layer's activation a^[l] and its gradient ∂L/∂a^[l]; every parameter with its gradient ∂L/∂w,
 * for L = crossEntropy(net(X), y), the batch's mean loss (the gradient a training step on that
 * batch applies). The batch has the training step's shape, so the backend runs the kernels it
 * has compiled already (webasm holds one WebAssembly memory per compiled kernel, and a browser
 * allows only about a hundred).
 *
 * Backpropagation is run layer by layer, the chain rule written out: each layer's input is a leaf
 * of its own (`a^[l−1]` detached, with `requiresGrad`), so after
 *
 * ```text
 * L.backward()                          → ∂L/∂a^[last]
 * a^[l].backward(∂L/∂a^[l])  for l = last … 1   → ∂L/∂a^[l−1] and ∂L/∂w^[l]
 * ```
 *
 * every activation's gradient is a leaf's `.grad`, read back as the parameters' are. The numbers are
 * the backend's: on a GPU.js mode they are its kernels' outputs, on backend-cpu formula (1)'s loops
 * (see `formula-check.ts`, which compares the two).
 * @module
 */
import { crossEntropy, softmax, tensor, tidy, type nn, type Tensor } from '@lenet/core';
import { getModelSpec, type ModelName } from '@lenet/models/browser';

/** One layer's activation for the batch's first example and the loss's gradient with respect to it. */
export interface LayerProbe {
  /** The layer's index in the `Sequential` (its state-dict prefix). */
  readonly index: string;
  /** The paper's label (C1, S2, …) or null (an activation, a flatten). */
  readonly label: string | null;
  /** The layer's class, e.g. `Conv2d`. */
  readonly kind: string;
  /** `[1, C, H, W]` or `[1, features]`. */
  readonly shape: readonly number[];
  /** a^[l]: the layer's output. */
  readonly activation: Float32Array;
  /** ∂L/∂a^[l]. */
  readonly gradient: Float32Array;
}

/** One parameter and the loss's gradient with respect to it. */
export interface ParameterProbe {
  /** The state-dict name, e.g. `0.weight`. */
  readonly name: string;
  /** The label of the layer it belongs to, or its index. */
  readonly layer: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
  /** ∂L/∂w. */
  readonly gradient: Float32Array;
}

/** What one probe found. */
export interface NetworkProbe {
  /** The batch's mean cross-entropy. */
  readonly loss: number;
  /** Examples in the batch (∂L/∂a of one example is 1/N of its own loss's gradient). */
  readonly batchSize: number;
  /** softmax of the first example's logits. */
  readonly probabilities: Float32Array;
  readonly layers: readonly LayerProbe[];
  readonly parameters: readonly ParameterProbe[];
}

/**
 * Runs `images` (`[N, 1, height, width]`, in [0, 1]) with classes `labels` through `model` on the
 * current backend, forward and backward, and reads every activation, gradient and parameter back
 * (the activations and their gradients of the first example only). The parameters' `.grad` is
 * cleared before and after (a training step clears it too).
 */
export async function probeNetwork(
  model: nn.Sequential,
  modelName: ModelName,
  images: Float32Array,
  labels: Float32Array,
  height = 28,
  width = 28,
): Promise<NetworkProbe> {
  const batchSize = labels.length;
  const names = getModelSpec(modelName).layerNames;
  const children = model.children();
  const parameters = model.namedParameters();
  clearGradients(parameters);
  const leaves: Tensor[] = [];
  const kept = tidy(() => {
    const outputs: Tensor[] = [];
    let x = tensor(images, [batchSize, 1, height, width]);
    for (const [, layer] of children) {
      const input = x.detach();
      input.requiresGrad = true;
      leaves.push(input);
      x = layer.call(input);
      outputs.push(x);
    }
    const logits = x.detach();
    logits.requiresGrad = true;
    leaves.push(logits);
    const loss = crossEntropy(logits, tensor(labels, [batchSize]));
    loss.backward();
    for (let l = outputs.length - 1; l >= 0; l--) {
      const seed = leaves[l + 1].grad;
      if (seed === null) throw new Error(`probe: no gradient reached the output of layer ${children[l][0]}`);
      outputs[l].backward(seed);
    }
    const probabilities = softmax(logits.detach());
    // (read back whole; the first row is kept)
    return { outputs, loss, probabilities };
  });
  try {
    const [loss, probabilities, activations, gradients, values, parameterGradients] = await Promise.all([
      kept.loss.data(),
      kept.probabilities.data(),
      Promise.all(kept.outputs.map((output) => output.data())),
      Promise.all(leaves.slice(1).map((leaf) => readGrad(leaf, 'a layer output'))),
      Promise.all(parameters.map(([, parameter]) => parameter.data())),
      Promise.all(parameters.map(([name, parameter]) => readGrad(parameter, name))),
    ]);
    const labelOf = (index: string): string => names[index] ?? index;
    const firstExample = (values: Float32Array): Float32Array => values.slice(0, values.length / batchSize);
    return {
      loss: loss[0],
      batchSize,
      probabilities: firstExample(probabilities),
      layers: children.map(([index, layer], l) => ({
        index,
        label: names[index] ?? null,
        kind: layer.constructor.name,
        shape: [1, ...kept.outputs[l].shape.slice(1)],
        activation: firstExample(activations[l]),
        gradient: firstExample(gradients[l]),
      })),
      parameters: parameters.map(([name, parameter], p) => ({
        name,
        layer: labelOf(name.split('.')[0]),
        shape: [...parameter.shape],
        values: values[p],
        gradient: parameterGradients[p],
      })),
    };
  } finally {
    for (const tensorKept of [...kept.outputs, kept.loss, kept.probabilities]) tensorKept.dispose();
    for (const leaf of leaves) {
      leaf.grad?.dispose();
      leaf.grad = null;
      leaf.dispose();
    }
    clearGradients(parameters);
  }
}

async function readGrad(leaf: Tensor, what: string): Promise<Float32Array> {
  if (leaf.grad === null) throw new Error(`probe: backpropagation left no gradient for ${what}`);
  return leaf.grad.data();
}

function clearGradients(parameters: ReadonlyArray<readonly [string, Tensor]>): void {
  for (const [, parameter] of parameters) {
    parameter.grad?.dispose();
    parameter.grad = null;
  }
}
