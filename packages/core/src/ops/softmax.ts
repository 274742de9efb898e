/**
 * Softmax and log-softmax along the last axis of `[N, C]` scores, and the cross-entropy loss.
 *
 *   softmax(z)_c = e^(z_c − max z) / Σ_j e^(z_j − max z)
 *   logSoftmax(z)_c = z_c − max z − log Σ_j e^(z_j − max z)
 *
 * Gradients: softmax dz = y ⊙ (dy − Σ_c dy·y); logSoftmax dz = dy − softmax(z) · Σ_c dy.
 * @module
 */
import { record } from '../autograd/record.js';
import { formatShape } from '../shape/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkInputs, checkRank } from './checks.js';
import { mean, sum } from './reduce.js';
import { tidy } from '../engine/memory.js';

/** Probabilities along the last axis: `[N,C]` → `[N,C]`, each row summing to 1. */
export function softmax(logits: Tensor): Tensor {
  checkInputs('softmax', logits);
  checkRank('softmax', 'logits', logits, 2, '[batch, classes]');
  return record('softmax', [logits], logits.backend.softmax(logits), logits.shape, (dy, y) => {
    const weighted = sum(dy.mul(y), [1], true);
    return [y.mul(dy.sub(weighted))];
  });
}

/** log softmax along the last axis, computed without overflow: `[N,C]` → `[N,C]`. */
export function logSoftmax(logits: Tensor): Tensor {
  checkInputs('logSoftmax', logits);
  checkRank('logSoftmax', 'logits', logits, 2, '[batch, classes]');
  return record('logSoftmax', [logits], logits.backend.logSoftmax(logits), logits.shape, (dy, y) => [
    dy.sub(y.exp().mul(sum(dy, [1], true))),
  ]);
}

/**
 * Cross-entropy between the softmax of `logits` and the true classes, averaged over the batch
 * (PyTorch's `nn.CrossEntropyLoss`):
 *
 *   L = −(1/N) Σ_n log softmax(logits[n])[label[n]]
 *
 * Softmax and the logarithm are fused in one kernel, and so is the gradient
 * (softmax − one-hot) / N, which is both faster and stable.
 * @param logits `[N, C]` unnormalised scores
 * @param labels `[N]` class indices 0..C−1 stored as float32 (whole numbers; they are read on the device, so
 *   only a backend that holds them on the host, like backend-cpu, can reject a bad one)
 * @returns a scalar `[]`
 */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  checkLabels('crossEntropy', logits, labels);
  const backend = logits.backend;
  return tidy(() => {
    const perExample = record(
      'softmaxCrossEntropy',
      [logits, labels],
      backend.softmaxCrossEntropy(logits, labels),
      [logits.shape[0]],
      (dLoss) => [new Tensor(backend.softmaxCrossEntropyGrad(logits, labels, dLoss), logits.shape, backend), null],
    );
    return mean(perExample);
  });
}

function checkLabels(op: string, logits: Tensor, labels: Tensor): void {
  checkInputs(op, logits, labels);
  checkRank(op, 'logits', logits, 2, '[batch, classes]');
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new RangeError(
      `${op}: labels have shape ${formatShape(labels.shape)} but must be [${logits.shape[0]}] — ` +
        `one class index per row of the logits ${formatShape(logits.shape)}`,
    );
  }
}

/**
 * ∂L/∂logits of {@link crossEntropy}, in one kernel and without building the loss first:
 *
 *   ∂L/∂logits[n,c] = (softmax(logits[n])[c] − [c = label[n]]) / N
 *
 * It is what `crossEntropy(logits, labels).backward()` sends into the network, so
 * `logits.backward(crossEntropyGrad(logits, labels))` gives every parameter the same gradient in
 * one kernel where the eager loss takes several (the per-example loss, its mean, the seed of ones,
 * the mean's gradient, the cross-entropy gradient). Not recorded: the result is a plain tensor.
 * @returns `[N, C]`
 */
export function crossEntropyGrad(logits: Tensor, labels: Tensor): Tensor {
  checkLabels('crossEntropyGrad', logits, labels);
  const backend = logits.backend;
  return new Tensor(backend.softmaxCrossEntropyMeanGrad(logits, labels), logits.shape, backend);
}

/**
 * Adds one batch to running training metrics held on the device:
 *
 *   out = previous + [Σ_n −log softmax(logits[n])[label[n]],  Σ_n [argmax_c logits[n,c] = label[n]]]
 *
 * d2l's `Accumulator` without a read-back per step: a training loop reads the two sums when it
 * reports, and divides by the number of examples. Not recorded.
 * @param previous `[2]`: the sums so far (zeros at the start of an epoch)
 * @returns `[2]`: Σ loss, number of correct predictions
 */
export function accumulateClassificationMetrics(previous: Tensor, logits: Tensor, labels: Tensor): Tensor {
  checkLabels('accumulateClassificationMetrics', logits, labels);
  checkInputs('accumulateClassificationMetrics', previous, logits);
  if (previous.rank !== 1 || previous.shape[0] !== 2) {
    throw new RangeError(
      `accumulateClassificationMetrics: previous has shape ${formatShape(previous.shape)} but must be [2] (Σ loss, correct)`,
    );
  }
  const backend = logits.backend;
  return new Tensor(backend.classificationMetrics(logits, labels, previous), [2], backend);
}
