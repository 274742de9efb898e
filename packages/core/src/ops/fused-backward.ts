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
 * - **the optimizer step.** With plain SGD (no momentum, no weight decay), the kernel that computes
 *   a parameter's gradient writes w − lr · ∂L/∂w instead (`GradientEpilogue` `sgdUpdate`), and the
 *   parameter takes the new values at once: PyTorch's recipe "fusing the optimizer step into the
 *   backward pass". No `.grad` is kept for it. The gradients that read the old weights (∂L/∂a) are
 *   computed before it is replaced.
 *
 * The eager step does neither; it is the readable reference these folds are tested against.
 * @module
 */
import type { ActivationOp, DataId, FusedActivation, GradientEpilogue } from '../backend/backend.js';
import { formatShape, type Shape } from '../shape/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gradThroughActivation } from './fused-activation.js';

/** What a fused op's backward pass folds in (all off by default). */
export interface FusedBackwardOptions {
  /**
   * The activation that produced this op's input, folded into its input gradient: the op returns
   * ∂L/∂z of the layer before (see the module comment). That layer must get `gradientIsPreActivation`.
   */
  readonly inputActivation?: ActivationOp;
  /** The gradient arriving at this op's output is already ∂L/∂z (the next op folded f′ in). */
  readonly gradientIsPreActivation?: boolean;
  /** Plain SGD in the backward pass: the weight and bias are updated with this learning rate, no `.grad` kept. */
  readonly sgdLearningRate?: number;
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
 * A parameter's gradient, or its SGD update when the options fold the optimizer in: `compute` runs
 * the gradient kernel with the epilogue it is given. Returns the gradient tensor, or null after
 * updating `param` in place.
 * @param resultShape the shape the kernel writes (e.g. `[1,K,1,1]` for a convolution's bias `[K]`)
 */
export function parameterGradient(
  options: FusedBackwardOptions,
  param: Tensor,
  resultShape: Shape,
  compute: (epilogue: GradientEpilogue | undefined) => DataId,
): Tensor | null {
  const backend = param.backend;
  const lr = options.sgdLearningRate;
  if (lr === undefined) return new Tensor(compute(undefined), param.shape, backend);
  if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`fused backward: sgdLearningRate must be a finite number > 0, got ${lr}`);
  if (resultShape.reduce((a, b) => a * b, 1) !== param.size) {
    throw new RangeError(`fused backward: a gradient of shape ${formatShape(resultShape)} cannot update ${param.describe()}`);
  }
  param.assign(new Tensor(compute({ kind: 'sgdUpdate', param: { dataId: param.dataId, shape: resultShape }, lr }), param.shape, backend));
  return null;
}
