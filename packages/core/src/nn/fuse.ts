/**
 * Operator fusion for a {@link Sequential}, in the spirit of PyTorch's `fuse_modules` and tfjs's
 * fused ops: each {@link Conv2d} or {@link Linear} directly followed by an activation layer
 * ({@link Sigmoid}, {@link Tanh}, {@link ReLU}) runs as one fused op — convolution (or matrix
 * product), bias and activation in one kernel — instead of three.
 *
 * The model is not changed: the fused forward pass uses the same {@link Parameter}s, so gradients,
 * the optimiser and the state dict see no difference. Layers that do not fit a pattern (pooling,
 * flatten, a subclass such as a masked convolution) run their own `forward`.
 *
 * d2l's LeNet, 12 layers, becomes 8 stages and 7 kernels (Flatten is a free reshape):
 *
 * | stage | layers | op |
 * |---|---|---|
 * | C1 | Conv2d, Sigmoid | fusedConv2d(…, 'sigmoid') |
 * | S2 | AvgPool2d | avgPool2d |
 * | C3 | Conv2d, Sigmoid | fusedConv2d(…, 'sigmoid') |
 * | S4 | AvgPool2d | avgPool2d |
 * | | Flatten | reshape (no kernel) |
 * | F5, F6 | Linear, Sigmoid | fusedMatmul(…, 'sigmoid') |
 * | output | Linear | fusedMatmul(…, 'identity') |
 * @module
 */
import type { FusedActivation } from '../backend/backend.js';
import { fusedConv2d } from '../ops/fused-conv2d.js';
import { fusedMatmul } from '../ops/fused-matmul.js';
import type { Tensor } from '../tensor/tensor.js';
import { ReLU, Sigmoid, Tanh } from './activations.js';
import { Conv2d } from './conv2d.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import type { Sequential } from './sequential.js';

/** A Conv2d with the activation after it (or `identity`), run as one `fusedConv2d`. */
export interface FusedConv2dStage {
  /** Which stage this is. */
  readonly kind: 'conv2d';
  /** The convolution layer (its weight and bias are used). */
  readonly layer: Conv2d;
  /** The activation fused into it. */
  readonly activation: FusedActivation;
  /** The children this stage covers, e.g. `['0', '1']`. */
  readonly names: readonly string[];
}

/** A Linear with the activation after it (or `identity`), run as one `fusedMatmul`. */
export interface FusedLinearStage {
  /** Which stage this is. */
  readonly kind: 'linear';
  /** The fully connected layer (its weight and bias are used). */
  readonly layer: Linear;
  /** The activation fused into it. */
  readonly activation: FusedActivation;
  /** The children this stage covers, e.g. `['7', '8']`. */
  readonly names: readonly string[];
}

/** A layer that runs as it is (pooling, flatten, a layer of another kind). */
export interface UnfusedStage {
  /** Which stage this is. */
  readonly kind: 'layer';
  /** The layer; its own `forward` runs. */
  readonly layer: Module;
  /** The child this stage is, e.g. `['2']`. */
  readonly names: readonly string[];
}

/** One stage of a {@link FusionPlan}: a fused layer, or a layer that runs as it is. */
export type FusedStage = FusedConv2dStage | FusedLinearStage | UnfusedStage;

/** The stages of a fused forward pass, in order (see {@link fuse}). */
export interface FusionPlan {
  /** The model the plan was made for. */
  readonly model: Sequential;
  /** Its layers grouped into stages; `names` are the children's names, e.g. `['0', '1']`. */
  readonly stages: readonly FusedStage[];
}

/** The activation an activation layer applies, or null for any other layer. */
function activationOf(layer: Module | undefined): FusedActivation | null {
  if (layer === undefined) return null;
  if (layer.constructor === Sigmoid) return 'sigmoid';
  if (layer.constructor === Tanh) return 'tanh';
  if (layer.constructor === ReLU) return 'relu';
  return null;
}

/**
 * Groups `model`'s layers into fused stages. Only layers of exactly the classes `Conv2d` and
 * `Linear` are fused (a subclass may change `forward`), and only with the activation right after.
 */
export function fuse(model: Sequential): FusionPlan {
  const stages: FusedStage[] = [];
  const layers = model.layers;
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index];
    const fusable = layer.constructor === Conv2d || layer.constructor === Linear;
    const following = fusable ? activationOf(layers[index + 1]) : null;
    const activation = following ?? 'identity';
    const names = following === null ? [String(index)] : [String(index), String(index + 1)];
    if (layer instanceof Conv2d && layer.constructor === Conv2d) {
      stages.push({ kind: 'conv2d', layer, activation, names });
    } else if (layer instanceof Linear && layer.constructor === Linear) {
      stages.push({ kind: 'linear', layer, activation, names });
    } else {
      stages.push({ kind: 'layer', layer, names });
    }
    if (following !== null) index++;
  }
  return { model, stages };
}

/**
 * Runs the fused forward pass: the same function as `plan.model.call(x)`, with each fused stage
 * as one op (and one kernel). Gradients flow to the same parameters.
 */
export function runFused(plan: FusionPlan, x: Tensor): Tensor {
  return plan.stages.reduce((input, stage) => {
    switch (stage.kind) {
      case 'conv2d':
        stage.layer.describe(input.shape); // the layer's own clear error for a wrong input shape
        return fusedConv2d(input, stage.layer.weight, stage.layer.bias, stage.activation, { stride: stage.layer.stride, padding: stage.layer.padding });
      case 'linear':
        stage.layer.describe(input.shape);
        return fusedMatmul(input, stage.layer.weight, stage.layer.bias, stage.activation, { transposeB: true });
      case 'layer':
        return stage.layer.call(input);
    }
  }, x);
}
