/**
 * Operator fusion for a {@link Sequential}, in the spirit of PyTorch's `fuse_modules` and tfjs's
 * fused ops: each {@link Conv2d} or {@link Linear} directly followed by an activation layer
 * (an `Activation`: `Sigmoid`, `Tanh`, `ReLU`, …) runs as one fused op — convolution (or matrix
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
 *
 * The plan also says what the compiled training step folds into the backward pass
 * (`FusedBackwardOptions`): each fused layer's activation gradient goes into the kernel of the
 * stage after it when that stage is a `Linear` (its ∂L/∂x kernel) or an `AvgPool2d` (its backward
 * kernel), so d2l's LeNet has no `activationGrad` kernel left (an activation whose gradient reads
 * z, not a = f(z), is not folded: core's `ACTIVATIONS` says which); and {@link runFused} can fold plain
 * SGD into the weight and bias gradient kernels.
 * @module
 */
import { type ActivationOp, type FusedActivation, gradientReadsOutput } from '../ops/activations.js';
import type { FoldedUpdate } from '../ops/fused-backward.js';
import { fusedConv2d } from '../ops/fused-conv2d.js';
import { fusedMatmul } from '../ops/fused-matmul.js';
import { avgPool2d } from '../ops/pool.js';
import type { Tensor } from '../tensor/tensor.js';
import { activationOfLayer } from './activations.js';
import { Conv2d } from './conv2d.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { AvgPool2d } from './pooling.js';
import type { Sequential } from './sequential.js';

/** A Conv2d with the activation after it (or `identity`), run as one `fusedConv2d`. */
export interface FusedConv2dStage {
  /** Which stage this is. */
  readonly kind: 'conv2d';
  /** The convolution layer (its weight and bias are used). */
  readonly layer: Conv2d;
  /** The activation fused into it. */
  readonly activation: FusedActivation;
  /** Whether the next stage folds this activation's gradient into its own backward kernel. */
  readonly gradientIsPreActivation: boolean;
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
  /** The activation of the fused stage before, folded into this stage's ∂L/∂x kernel; null for none. */
  readonly inputActivation: ActivationOp | null;
  /** Whether the next stage folds this activation's gradient into its own backward kernel. */
  readonly gradientIsPreActivation: boolean;
  /** The children this stage covers, e.g. `['7', '8']`. */
  readonly names: readonly string[];
}

/** An AvgPool2d after a fused layer, whose backward kernel takes that layer's activation gradient. */
export interface FoldedPoolStage {
  /** Which stage this is. */
  readonly kind: 'avgPool2d';
  /** The pooling layer. */
  readonly layer: AvgPool2d;
  /** The activation of the fused stage before, folded into `avgPool2dBackprop`. */
  readonly inputActivation: ActivationOp;
  /** The child this stage is, e.g. `['2']`. */
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

/** One stage of a {@link FusionPlan}: a fused layer, a pooling that folds one's gradient, or a layer that runs as it is. */
export type FusedStage = FusedConv2dStage | FusedLinearStage | FoldedPoolStage | UnfusedStage;

/** The stages of a fused forward pass, in order (see {@link fuse}). */
export interface FusionPlan {
  /** The model the plan was made for. */
  readonly model: Sequential;
  /** Its layers grouped into stages; `names` are the children's names, e.g. `['0', '1']`. */
  readonly stages: readonly FusedStage[];
}

/** Options of {@link runFused}. */
export interface RunFusedOptions {
  /**
   * The optimizer's update folded into the backward pass (`optim.SGD.foldedUpdate()`): each fused
   * stage's weight and bias are updated as their gradients are computed, and keep no `.grad` (see
   * `FusedBackwardOptions`). Leave it out for the gradients themselves.
   */
  readonly foldedUpdate?: FoldedUpdate | null;
}

/** A fused stage before folding: what {@link fuse} finds in its first pass. */
type GroupedStage =
  | { readonly kind: 'conv2d'; readonly layer: Conv2d; readonly activation: FusedActivation; readonly names: readonly string[] }
  | { readonly kind: 'linear'; readonly layer: Linear; readonly activation: FusedActivation; readonly names: readonly string[] }
  | UnfusedStage;

/** Groups the layers: each Conv2d or Linear (exactly those classes) with the activation right after it. */
function group(layers: readonly Module[]): GroupedStage[] {
  const stages: GroupedStage[] = [];
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index];
    const fusable = layer.constructor === Conv2d || layer.constructor === Linear;
    const following = fusable ? activationOfLayer(layers[index + 1]) : null;
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
  return stages;
}

/** The activation of a fused stage whose gradient the stage after it can fold in (one whose gradient reads its output), or null. */
function foldableActivation(stage: GroupedStage | undefined): ActivationOp | null {
  if (stage === undefined || stage.kind === 'layer' || stage.activation === 'identity') return null;
  return gradientReadsOutput(stage.activation) ? stage.activation : null;
}

/** Whether `stage` can take the gradient of the activation before it into its backward kernel. */
function canFoldInput(stage: GroupedStage | undefined): boolean {
  return stage !== undefined && (stage.kind === 'linear' || (stage.kind === 'layer' && stage.layer.constructor === AvgPool2d));
}

/**
 * Groups `model`'s layers into fused stages. Only layers of exactly the classes `Conv2d` and
 * `Linear` are fused (a subclass may change `forward`), and only with the activation right after;
 * a fused stage's activation gradient is folded into the next stage when that is a `Linear` or an
 * `AvgPool2d` (exactly those classes).
 */
export function fuse(model: Sequential): FusionPlan {
  const grouped = group(model.layers);
  const stages = grouped.map((stage, index): FusedStage => {
    const folded = foldableActivation(stage) !== null && canFoldInput(grouped[index + 1]);
    const inputActivation = foldableActivation(grouped[index - 1]);
    switch (stage.kind) {
      case 'conv2d':
        return { ...stage, gradientIsPreActivation: folded };
      case 'linear':
        return { ...stage, inputActivation, gradientIsPreActivation: folded };
      case 'layer':
        return stage.layer instanceof AvgPool2d && stage.layer.constructor === AvgPool2d && inputActivation !== null
          ? { kind: 'avgPool2d', layer: stage.layer, inputActivation, names: stage.names }
          : stage;
    }
  });
  return { model, stages };
}

/**
 * Runs the fused forward pass: the same function as `plan.model.call(x)`, with each fused stage
 * as one op (and one kernel). Gradients flow to the same parameters, except that the activation
 * gradients the plan folds make each folded activation's output carry ∂L/∂z, and, with
 * `foldedUpdate`, the fused stages' parameters are updated in the backward pass instead of
 * receiving a gradient.
 */
export function runFused(plan: FusionPlan, x: Tensor, options: RunFusedOptions = {}): Tensor {
  const { foldedUpdate } = options;
  return plan.stages.reduce((input, stage) => {
    switch (stage.kind) {
      case 'conv2d': {
        const { layer } = stage;
        layer.describe(input.shape); // the layer's own clear error for a wrong input shape
        return fusedConv2d(input, layer.weight, layer.bias, stage.activation, {
          stride: layer.stride,
          padding: layer.padding,
          gradientIsPreActivation: stage.gradientIsPreActivation,
          foldedUpdate,
        });
      }
      case 'linear': {
        stage.layer.describe(input.shape);
        const folds = {
          gradientIsPreActivation: stage.gradientIsPreActivation,
          ...(stage.inputActivation === null ? {} : { inputActivation: stage.inputActivation }),
          foldedUpdate,
        };
        return fusedMatmul(input, stage.layer.weight, stage.layer.bias, stage.activation, { transposeB: true, ...folds });
      }
      case 'avgPool2d': {
        const { layer } = stage;
        return avgPool2d(input, {
          kernelSize: layer.kernelSize,
          stride: layer.stride,
          padding: layer.padding,
          inputActivation: stage.inputActivation,
        });
      }
      case 'layer':
        return stage.layer.call(input);
    }
  }, x);
}
