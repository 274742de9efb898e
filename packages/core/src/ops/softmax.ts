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
  checkInputs('crossEntropy', logits, labels);
  checkRank('crossEntropy', 'logits', logits, 2, '[batch, classes]');
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new RangeError(
      `crossEntropy: labels have shape ${formatShape(labels.shape)} but must be [${logits.shape[0]}] — ` +
        `one class index per row of the logits ${formatShape(logits.shape)}`,
    );
  }
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
