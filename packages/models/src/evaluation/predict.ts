/**
 * Running a trained model over a data split (d2l's `evaluate_accuracy_gpu`).
 * @module
 */
import { nn, noGrad, tensor, tidyAsync, type Tensor } from '@lenet/core';
import type { ImageClassificationSplit } from '../data/image-classification-data.js';
import { argmaxRows, countCorrect } from './accuracy.js';
import { imageLoader } from '../data/image-batches.js';
import { yieldToEventLoop } from '../training/yield-to-event-loop.js';

/** The model's predictions on a split. */
export interface Predictions {
  /** The predicted class of each example, in the split's order. */
  readonly predicted: Int32Array;
  /** The model's outputs `[count, classes]`, row by row in the split's order (the argmax of a row is its prediction). */
  readonly logits: Float32Array;
  /** The true class of each example. */
  readonly labels: Uint8Array;
  /** Σ [predicted = label] / count. */
  readonly accuracy: number;
}

/** Options of {@link predict}. */
export interface PredictOptions {
  /** Examples per forward pass (default 256). */
  readonly batchSize?: number;
  /** Use only the first `limit` examples of the split. */
  readonly limit?: number;
  /**
   * When given, the event loop runs between batches (so Ctrl-C's handler can), and an aborted signal
   * stops the evaluation with {@link EvaluationInterruptedError}.
   */
  readonly signal?: AbortSignal;
}

/** {@link predict} was stopped by its signal (Ctrl-C) between two batches. */
export class EvaluationInterruptedError extends Error {
  /** @param done examples evaluated before the stop; @param total examples asked for */
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`evaluation interrupted after ${done} of ${total} examples`);
    this.name = 'EvaluationInterruptedError';
  }
}

/**
 * Predicts the class of every example of `split` (the first `limit` ones if given) with `model` in
 * evaluation mode, without recording gradients, batch by batch; every intermediate tensor is freed.
 * With a `signal`, Ctrl-C is answered between batches. A `Sequential` runs its fused forward pass
 * (`nn.runFused`: convolution or matrix product, bias and activation as one kernel), the one the
 * compiled training step runs: the same values as `model.call`, with a third of the kernels, and on a
 * gpu.js backend the kernels training compiled for this batch size are the ones evaluation runs.
 *
 *   accuracy = (1/n) Σ_n [argmax_c f(x_n)_c = y_n]
 *
 * @throws EvaluationInterruptedError when `signal` is aborted.
 * @example (await predict(net, data.test)).accuracy // e.g. 0.82
 */
export async function predict(model: nn.Module, split: ImageClassificationSplit, options: PredictOptions = {}): Promise<Predictions> {
  const loader = imageLoader(split, { batchSize: options.batchSize ?? 256, shuffle: false, limit: options.limit });
  const count = loader.dataset.length;
  const predicted = new Int32Array(count);
  let allLogits: Float32Array | null = null;
  const plan = model instanceof nn.Sequential ? nn.fuse(model) : null;
  const forward = (x: Tensor): Tensor => (plan === null ? model.call(x) : nn.runFused(plan, x));
  const wasTraining = model.training;
  model.eval();
  try {
    let offset = 0;
    for (const batch of loader.batches(0)) {
      if (options.signal !== undefined) {
        await yieldToEventLoop();
        if (options.signal.aborted) throw new EvaluationInterruptedError(offset, count);
      }
      const logits = await tidyAsync(async () => {
        const output = noGrad(() => forward(tensor(batch.images, batch.shape)));
        return output.data();
      });
      const classes = logits.length / batch.size;
      allLogits ??= new Float32Array(count * classes);
      allLogits.set(logits, offset * classes);
      predicted.set(argmaxRows(logits, classes), offset);
      offset += batch.size;
    }
  } finally {
    model.train(wasTraining);
  }
  const labels = split.labels.subarray(0, count);
  return {
    predicted,
    logits: allLogits ?? new Float32Array(0),
    labels,
    accuracy: count === 0 ? 0 : countCorrect(predicted, labels) / count,
  };
}
