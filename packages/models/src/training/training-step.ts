/**
 * One SGD step of d2l's `train_ch6`, in the two forms LeNet.ts can run it. Both compute the same
 * update of the same parameters and add the batch's summed loss and correct predictions to running
 * metrics kept on the device, so that nothing is read back after a step.
 *
 * **eager** (the teaching path, PyTorch's way, each line one op and one kernel or a few):
 *
 * ```text
 * ŷ = net(X);  l = crossEntropy(ŷ, y);  l.backward();  w ← w − η·∂l/∂w
 * ```
 *
 * **compiled**: the network's fused stages (`nn.fuse`: convolution or matrix product, bias and
 * activation in one kernel each), the loss's gradient sent straight into the network as the seed
 * of backpropagation (`crossEntropyGrad`: one kernel for what the loss, the seed of ones, the mean
 * and the cross-entropy gradient take eagerly), and the backward pass folds in what eager runs as
 * kernels of their own: each activation's gradient goes into the next layer's backward kernel, and,
 * when the optimizer offers its update folded (`SGD.foldedUpdate()`: plain SGD, no momentum, no
 * weight decay), each weight and bias is updated by the kernel that computes its gradient (PyTorch's
 * "optimizer step in the backward pass"; no `.grad` is kept for them). Otherwise the optimizer steps
 * after the backward pass, one kernel per parameter.
 * @module
 */
import { accumulateClassificationMetrics, crossEntropy, crossEntropyGrad, keep, nn, tidy, type optim, type Tensor } from '@lenet/core';

/** How a step runs: `eager` (op by op, the readable path) or `compiled` (fused kernels). */
export type StepMode = 'eager' | 'compiled';

/** The step modes, for option parsing and messages. */
export const STEP_MODES: readonly StepMode[] = ['eager', 'compiled'];

/** A training step bound to one model and optimiser. */
export class TrainingStep {
  /** The fused stages, made once (compiled mode only). */
  readonly plan: nn.FusionPlan | null;

  /**
   * @param model the network (every registry model is an `nn.Sequential`)
   * @param optimizer its SGD optimiser
   * @param mode see {@link StepMode}
   */
  constructor(
    readonly model: nn.Sequential,
    readonly optimizer: optim.SGD,
    readonly mode: StepMode,
  ) {
    this.plan = mode === 'compiled' ? nn.fuse(model) : null;
  }

  /** Whether the compiled step updates the fused stages' parameters in the backward pass (the optimizer decides: plain SGD only). */
  foldsOptimizer(): boolean {
    return this.plan !== null && this.optimizer.foldedUpdate() !== null;
  }

  /**
   * Trains on one batch and returns `metrics` plus this batch's [Σ loss, correct] (a new tensor the
   * caller owns; `metrics` itself is not disposed). Reads nothing back.
   * @param images `[N, ...exampleShape]`
   * @param labels `[N]` class indices
   * @param metrics `[2]` running sums
   */
  run(images: Tensor, labels: Tensor, metrics: Tensor): Tensor {
    this.optimizer.zeroGrad();
    const updated = tidy(() => {
      if (this.plan === null) {
        const logits = this.model.call(images);
        const sums = keep(accumulateClassificationMetrics(metrics, logits, labels));
        crossEntropy(logits, labels).backward();
        return sums;
      }
      const logits = nn.runFused(this.plan, images, { foldedUpdate: this.optimizer.foldedUpdate() });
      const seed = crossEntropyGrad(logits, labels);
      const sums = keep(accumulateClassificationMetrics(metrics, logits, labels));
      logits.backward(seed);
      return sums;
    });
    this.optimizer.step({ fused: this.plan !== null }); // the parameters not updated in the backward pass
    images.backend.endStep?.(); // WebGPU: one submission per step
    return updated;
  }
}
