/**
 * d2l's LeNet in TensorFlow.js (tfjs-core ops, NHWC), started from LeNet.ts's initial parameters,
 * and its SGD training step: the TensorFlow.js peer of the benchmark.
 *
 *   conv 5×5 (pad 2) + bias → sigmoid → avgPool 2 → conv 5×5 + bias → sigmoid → avgPool 2 → flatten
 *   → dense 400→120 → sigmoid → dense 120→84 → sigmoid → dense 84→10 → softmax cross-entropy (mean)
 *
 * Convolutions and dense layers use `tf.fused.*` with the bias folded in (what tfjs-layers does);
 * the sigmoid stays a separate op because tfjs cannot differentiate a fused sigmoid.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorData } from '../../io/safetensors.js';

/** The network's variables in TensorFlow.js's layouts. */
export interface TfjsLenet {
  readonly variables: readonly tf.Variable[];
  /** `[N,28,28,1]` → logits `[N,10]`. */
  readonly forward: (images: tf.Tensor4D) => tf.Tensor;
}

function values(parameters: ReadonlyMap<string, TensorData>, name: string, shape: readonly number[]): Float32Array {
  const found = parameters.get(name);
  if (found === undefined) throw new Error(`tfjs peer: initial parameter ${name} is missing from the batches file`);
  if (found.shape.join(',') !== shape.join(','))
    throw new Error(`tfjs peer: ${name} is [${found.shape.join(', ')}], expected [${shape.join(', ')}]`);
  return found.data;
}

/** A conv weight `[O,C,KH,KW]` as tfjs's filter `[KH,KW,C,O]`. */
function filter(
  parameters: ReadonlyMap<string, TensorData>,
  name: string,
  shape: [number, number, number, number],
): tf.Variable<tf.Rank.R4> {
  return tf.variable(tf.transpose(tf.tensor4d(values(parameters, name, shape), shape), [2, 3, 1, 0]));
}

/** A linear weight `[out,in]` as tfjs's `[in,out]`. */
function dense(parameters: ReadonlyMap<string, TensorData>, name: string, shape: [number, number]): tf.Variable<tf.Rank.R2> {
  return tf.variable(tf.transpose(tf.tensor2d(values(parameters, name, shape), shape)));
}

function bias(parameters: ReadonlyMap<string, TensorData>, name: string, size: number): tf.Variable<tf.Rank.R1> {
  return tf.variable(tf.tensor1d(values(parameters, name, [size])));
}

/**
 * Builds the variables from LeNet.ts's state dict (PyTorch layouts). A conv weight `[O,C,KH,KW]`
 * becomes `[KH,KW,C,O]`; a linear weight `[out,in]` becomes `[in,out]`. The first dense layer's
 * inputs are flattened from `[C,H,W]` in LeNet.ts but from `[H,W,C]` here, so its rows are permuted
 * to match: the same numbers, the same function.
 */
export function tfjsLenet(parameters: ReadonlyMap<string, TensorData>): TfjsLenet {
  const c5 = tf.tensor4d(values(parameters, '7.weight', [120, 400]), [120, 16, 5, 5]);
  const v = tf.tidy(() => ({
    w0: filter(parameters, '0.weight', [6, 1, 5, 5]),
    b0: bias(parameters, '0.bias', 6),
    w3: filter(parameters, '3.weight', [16, 6, 5, 5]),
    b3: bias(parameters, '3.bias', 16),
    // [out, C, H, W] → [H, W, C, out] → [(H, W, C), out]
    w7: tf.variable(tf.reshape<tf.Rank.R2>(tf.transpose(c5, [2, 3, 1, 0]), [400, 120])),
    b7: bias(parameters, '7.bias', 120),
    w9: dense(parameters, '9.weight', [84, 120]),
    b9: bias(parameters, '9.bias', 84),
    w11: dense(parameters, '11.weight', [10, 84]),
    b11: bias(parameters, '11.bias', 10),
  }));
  c5.dispose();
  const forward = (images: tf.Tensor4D): tf.Tensor => {
    const c1 = tf.sigmoid(tf.fused.conv2d({ x: images, filter: v.w0, strides: 1, pad: 2, bias: v.b0 }));
    const s2 = tf.avgPool(c1, 2, 2, 'valid');
    const c3 = tf.sigmoid(tf.fused.conv2d({ x: s2, filter: v.w3, strides: 1, pad: 'valid', bias: v.b3 }));
    const s4 = tf.avgPool(c3, 2, 2, 'valid');
    const flat = tf.reshape<tf.Rank.R2>(s4, [images.shape[0], 400]);
    const f5 = tf.sigmoid(tf.fused.matMul({ a: flat, b: v.w7, bias: v.b7 }));
    const f6 = tf.sigmoid(tf.fused.matMul({ a: f5, b: v.w9, bias: v.b9 }));
    return tf.fused.matMul({ a: f6, b: v.w11, bias: v.b11 });
  };
  return { variables: Object.values(v), forward };
}

/**
 * One SGD step on a batch given as host arrays (images `[N,1,28,28]` = `[N,28,28,1]` for one
 * channel), the batch's tensors made inside the step as LeNet.ts's step does; resolves to the loss
 * once it is read back (the wasm backend runs synchronously, so the update is done by then).
 */
export async function tfjsTrainStep(
  net: TfjsLenet,
  optimizer: tf.SGDOptimizer,
  images: Float32Array,
  labels: Float32Array,
): Promise<number> {
  const n = labels.length;
  const cost = tf.tidy(() => {
    const x = tf.tensor4d(images, [n, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 10);
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net.forward(x)), true, [...net.variables]);
    if (loss === null) throw new Error('tfjs peer: the optimizer returned no loss');
    return loss;
  });
  const [value] = await cost.data();
  cost.dispose();
  return value;
}

/** What {@link tfjsCountingTrainStep} reads back: the batch's mean loss and how many it classified right. */
export interface CountedStep {
  readonly loss: number;
  /** Examples whose logits' arg-max was their label, before the update (d2l's train accuracy). */
  readonly correct: number;
}

/** The number of rows of `logits` `[N,10]` whose arg-max is `labels` `[N]` (int32). */
function correctCount(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32'));
}

/**
 * {@link tfjsTrainStep} that also counts the batch's correct predictions from the same forward
 * pass, as d2l's `train_ch6` accumulates the train accuracy (the whole-run benchmark's step).
 */
export async function tfjsCountingTrainStep(
  net: TfjsLenet,
  optimizer: tf.SGDOptimizer,
  images: Float32Array,
  labels: Float32Array,
): Promise<CountedStep> {
  const n = labels.length;
  const kept: { correct?: tf.Scalar } = {};
  const cost = tf.tidy(() => {
    const x = tf.tensor4d(images, [n, 28, 28, 1]);
    const classes = tf.tensor1d(Int32Array.from(labels), 'int32');
    const y = tf.oneHot(classes, 10);
    const loss = optimizer.minimize(
      () => {
        const logits = net.forward(x);
        kept.correct = tf.keep(correctCount(logits, classes));
        return tf.losses.softmaxCrossEntropy(y, logits);
      },
      true,
      [...net.variables],
    );
    if (loss === null) throw new Error('tfjs peer: the optimizer returned no loss');
    return loss;
  });
  const counted = kept.correct;
  if (counted === undefined) throw new Error('tfjs peer: the forward pass did not run');
  const [[loss], [right]] = await Promise.all([cost.data(), counted.data()]);
  tf.dispose([cost, counted]);
  return { loss, correct: right };
}

/** How many of a test batch (images `[N,1,28,28]`, labels `[N]`) the network classifies right. */
export async function tfjsCorrectCount(net: TfjsLenet, images: Float32Array, labels: Float32Array): Promise<number> {
  const n = labels.length;
  const counted = tf.tidy(() =>
    correctCount(net.forward(tf.tensor4d(images, [n, 28, 28, 1])), tf.tensor1d(Int32Array.from(labels), 'int32')),
  );
  const [right] = await counted.data();
  counted.dispose();
  return right;
}
