/**
 * How the compiled training step folds work into a fused layer's backward pass (see `nn.fuse`), so
 * that one step launches fewer kernels than the ops it runs:
 *
 * - **the activation gradient of the layer before.** When this op's input a = f(z) is the output of
 *   the previous fused layer, the kernel that computes ∂L/∂a multiplies by f′ as it writes
 *   (`GradientEpilogue` `activationGrad`) and returns ∂L/∂z; the previous layer is told
 *   (`gradientIsPreActivation`) and skips its own `activationGrad` kernel. Within the step the
 *   tensor a then carries ∂L/∂z as its gradient, which is right only because nothing else reads it:
 *   the plan folds only a layer's single consumer.
 * - **the optimizer step.** When the optimizer can fold its update into a gradient kernel (plain SGD:
 *   `optim.SGD.foldedUpdate()`, which owns the learning rate and the formula), the kernel that
 *   computes a parameter's gradient writes the updated parameter instead (`GradientEpilogue`
 *   `sgdUpdate`), and the parameter takes the new values at once: PyTorch's recipe "fusing the
 *   optimizer step into the backward pass". No `.grad` is kept for it. The gradients that read the
 *   old weights (∂L/∂a) are computed before it is replaced.
 *
 * The eager step does neither; it is the readable reference these folds are tested against.
 * @module
 */
import type { DataId, GradientEpilogue } from '../backend/backend.js';
import type { ActivationOp, FusedActivation } from './activations.js';
import { formatShape, type Shape } from '../shape/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFoldable, gradThroughActivation } from './fused-activation.js';

/** What a fused op's backward pass folds in (all off by default). */
export interface FusedBackwardOptions {
  /**
   * The activation that produced this op's input, folded into its input gradient: the op returns
   * ∂L/∂z of the layer before (see the module comment). That layer must get `gradientIsPreActivation`.
   */
  readonly inputActivation?: ActivationOp;
  /** The gradient arriving at this op's output is already ∂L/∂z (the next op folded f′ in). */
  readonly gradientIsPreActivation?: boolean;
  /** The optimizer's update, applied in the backward pass: the weight and bias are updated, no `.grad` kept. */
  readonly foldedUpdate?: FoldedUpdate | null;
}

/**
 * An optimizer's update that the kernel computing a parameter's gradient applies as it writes
 * (`optim.SGD.foldedUpdate()`): the optimizer, not the op, knows the formula and its numbers.
 */
export interface FoldedUpdate {
  /**
   * Runs `compute`, the kernel of `param`'s gradient, with the update as its epilogue, and gives
   * `param` the values it writes.
   * @param resultShape the shape the kernel writes (`param`'s size; e.g. `[1,K,1,1]` for a bias `[K]`)
   */
  apply(param: Tensor, resultShape: Shape, compute: (epilogue: GradientEpilogue) => DataId): void;
}

/**
 * Checks that the folds asked for are possible: f′ can be folded only for an activation whose
 * gradient reads its output (core's `ACTIVATIONS`), the only value the other kernel sees.
 * @throws RangeError naming the op, the option and the activation otherwise
 */
export function checkFolds(op: string, activation: FusedActivation, options: FusedBackwardOptions): void {
  if (options.gradientIsPreActivation === true && activation !== 'identity') checkFoldable(op, 'gradientIsPreActivation', activation);
  if (options.inputActivation !== undefined) checkFoldable(op, 'inputActivation', options.inputActivation);
}

/** ∂L/∂z from the gradient arriving at a = f(z): dy itself when the next op folded f′ in. */
export function preActivationGradient(activation: FusedActivation, options: FusedBackwardOptions, a: Tensor, dy: Tensor): Tensor {
  return options.gradientIsPreActivation === true ? dy : gradThroughActivation(activation, a, dy);
}

/** The epilogue of the kernel computing this op's input gradient: f′ of the layer before, at the input. */
export function inputGradientEpilogue(options: FusedBackwardOptions, input: Tensor): GradientEpilogue | undefined {
  return options.inputActivation === undefined ? undefined : { kind: 'activationGrad', op: options.inputActivation, input };
}

/**
 * A parameter's gradient, or its optimizer update when the options fold the optimizer in: `compute`
 * runs the gradient kernel with the epilogue it is given. Returns the gradient tensor, or null after
 * the update has replaced `param`'s values.
 * @param resultShape the shape the kernel writes (e.g. `[1,K,1,1]` for a convolution's bias `[K]`)
 */
export function parameterGradient(
  options: FusedBackwardOptions,
  param: Tensor,
  resultShape: Shape,
  compute: (epilogue: GradientEpilogue | undefined) => DataId,
): Tensor | null {
  const update = options.foldedUpdate ?? null;
  if (update === null) return new Tensor(compute(undefined), param.shape, param.backend);
  if (resultShape.reduce((a, b) => a * b, 1) !== param.size) {
    throw new RangeError(`fused backward: a gradient of shape ${formatShape(resultShape)} cannot update ${param.describe()}`);
  }
  update.apply(param, resultShape, compute);
  return null;
}
