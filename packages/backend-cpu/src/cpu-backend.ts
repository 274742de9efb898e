/**
 * The CPU backend: storage in a `Map` of `Float32Array`s, and every kernel of the
 * `Backend` interface delegated to a readable kernel in `./kernels/`.
 * @module
 */
import {
  formatShape,
  sizeOf,
  type ActivationOp,
  type Backend,
  type BinaryOp,
  type DataId,
  type FusedActivation,
  type GradientEpilogue,
  type Shape,
  type TensorInfo,
  type UnaryOp,
  type WindowInfo,
} from '@lenet/core';
import { activationGrad } from './kernels/activations.js';
import { avgPool2d, avgPool2dBackprop } from './kernels/avg-pool2d.js';
import { binary } from './kernels/binary.js';
import { classificationMetrics } from './kernels/classification-metrics.js';
import { conv2d } from './kernels/conv2d.js';
import { conv2dBackpropFilter } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './kernels/conv2d-backprop-input.js';
import { affine, fill, unary } from './kernels/elementwise.js';
import { fusedConv2d } from './kernels/fused-conv2d.js';
import { gradientEpilogue, type GradientEpilogueValues } from './kernels/gradient-epilogue.js';
import { fusedMatmul } from './kernels/fused-matmul.js';
import { matmul } from './kernels/matmul.js';
import { maxPool2d, maxPool2dBackprop } from './kernels/max-pool2d.js';
import { broadcastTo, sumTo } from './kernels/reduce.js';
import { logSoftmax, softmax } from './kernels/softmax.js';
import { sgdUpdate } from './kernels/sgd-update.js';
import { softmaxCrossEntropy, softmaxCrossEntropyGrad, softmaxCrossEntropyMeanGrad } from './kernels/softmax-cross-entropy.js';

/**
 * A backend that runs every kernel in plain TypeScript on the CPU, over `Float32Array`s.
 *
 * It is the teaching backend and the oracle the GPU backend is tested against: each kernel is the
 * textbook formula with loops named after its symbols (see `./kernels/`), not tuned for speed.
 * Values are stored as float32 and sums are accumulated in float64, so results are within
 * {@link CpuBackend.tolerance} of a float64 reference.
 *
 * @example
 * const backend = new CpuBackend();
 * const id = backend.upload(Float32Array.of(1, -2, 3), [3]);
 * const relu = backend.unary('relu', { dataId: id, shape: [3] });
 * await backend.download(relu); // Float32Array [1, 0, 3]
 * backend.dispose(id);
 * backend.dispose(relu);
 * backend.liveBuffers(); // 0
 */
export class CpuBackend implements Backend {
  /** `'cpu'`. */
  readonly name = 'cpu';
  /**
   * float32 storage rounds each value to about 6e-8 relative; with float64 accumulation the kernels
   * stay well inside 1e-4 · max(1, |expected|) of a float64 reference.
   */
  readonly tolerance = 1e-4;

  /** Every live buffer, keyed by the handle given out for it. */
  private readonly buffers = new Map<DataId, Float32Array>();
  /** The id of the next buffer; ids are never reused, so a stale handle cannot alias a new buffer. */
  private nextId = 0;

  // ---- storage ----------------------------------------------------------------------------------

  /** Copies `values` into a new buffer. @throws RangeError when `values.length` is not `shape`'s size. */
  upload(values: Float32Array, shape: Shape): DataId {
    if (values.length !== sizeOf(shape)) {
      throw new RangeError(
        `cpu backend: upload got ${values.length} values for shape ${formatShape(shape)}, ` +
          `which holds ${sizeOf(shape)}; pass exactly one value per element`,
      );
    }
    return this.store(values.slice());
  }

  /**
   * Resolves to a copy of the buffer's values (changing it does not change the buffer).
   * Rejects when the buffer is not live.
   */
  async download(dataId: DataId): Promise<Float32Array> {
    return this.read(dataId, 'download').slice();
  }

  /** Frees the buffer. @throws Error when it is not live: disposed already, or never made here. */
  dispose(dataId: DataId): void {
    if (!this.buffers.delete(dataId)) {
      throw new Error(
        `cpu backend: dispose of buffer #${dataId.id}, which is not live here ` +
          '(it was disposed already, or made by another backend); dispose each buffer exactly once',
      );
    }
  }

  /** The number of buffers held now. */
  liveBuffers(): number {
    return this.buffers.size;
  }

  /** Keeps `values` (no copy) as a new buffer and hands out its handle. */
  private store(values: Float32Array): DataId {
    const dataId: DataId = { id: this.nextId++ };
    this.buffers.set(dataId, values);
    return dataId;
  }

  /** The values behind `dataId`. @throws Error naming `op` when the buffer is not live. */
  private read(dataId: DataId, op: string): Float32Array {
    const values = this.buffers.get(dataId);
    if (values === undefined) {
      throw new Error(
        `cpu backend: ${op} read buffer #${dataId.id}, which is not live here ` +
          '(it was disposed, or made by another backend); keep a tensor alive while it is used',
      );
    }
    return values;
  }

  // ---- element-wise -----------------------------------------------------------------------------

  /** out = a ∘ b with NumPy-style broadcasting to `outShape` (see `kernels/binary.ts`). */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return this.store(binary(op, this.read(a.dataId, op), a.shape, this.read(b.dataId, op), b.shape, outShape));
  }

  /** out = f(x), element-wise (see `kernels/elementwise.ts`). */
  unary(op: UnaryOp, x: TensorInfo): DataId {
    return this.store(unary(op, this.read(x.dataId, op)));
  }

  /** out = x · scale + shift, element-wise. */
  affine(x: TensorInfo, scale: number, shift: number): DataId {
    return this.store(affine(this.read(x.dataId, 'affine'), scale, shift));
  }

  /** dx = dy · f′, fused (see `kernels/activations.ts`). */
  activationGrad(op: ActivationOp, input: TensorInfo, dy: TensorInfo): DataId {
    const what = `${op} gradient`;
    return this.store(activationGrad(op, this.read(input.dataId, what), this.read(dy.dataId, what)));
  }

  /** A new buffer of `shape` filled with `value`. */
  fill(shape: Shape, value: number): DataId {
    return this.store(fill(sizeOf(shape), value));
  }

  // ---- broadcasting and reductions --------------------------------------------------------------

  /** Sums x down to `outShape` (see `kernels/reduce.ts`). */
  sumTo(x: TensorInfo, outShape: Shape, epilogue?: GradientEpilogue): DataId {
    const op = 'sumTo';
    return this.store(gradientEpilogue(sumTo(this.read(x.dataId, op), x.shape, outShape), this.epilogueValues(epilogue, op)));
  }

  /** Repeats x along its size-1 axes up to `outShape`. */
  broadcastTo(x: TensorInfo, outShape: Shape): DataId {
    return this.store(broadcastTo(this.read(x.dataId, 'broadcastTo'), x.shape, outShape));
  }

  // ---- linear algebra ---------------------------------------------------------------------------

  /** out = op(a) · op(b), transposing where asked (see `kernels/matmul.ts`). */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, epilogue?: GradientEpilogue): DataId {
    const op = 'matmul';
    const product = matmul(this.read(a.dataId, op), a.shape, this.read(b.dataId, op), b.shape, transposeA, transposeB);
    return this.store(gradientEpilogue(product, this.epilogueValues(epilogue, op)));
  }

  // ---- convolution ------------------------------------------------------------------------------

  /** Formula (1), the forward convolution (see `kernels/conv2d.ts`). */
  conv2d(x: TensorInfo, w: TensorInfo, info: WindowInfo): DataId {
    return this.store(conv2d(this.read(x.dataId, 'conv2d'), this.read(w.dataId, 'conv2d'), info));
  }

  /** ∂L/∂x of formula (1): the full convolution of dy with the rotated filter (see `kernels/conv2d-backprop-input.ts`). */
  conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, info: WindowInfo): DataId {
    const op = 'conv2dBackpropInput';
    return this.store(conv2dBackpropInput(this.read(dy.dataId, op), this.read(w.dataId, op), info));
  }

  /** ∂L/∂w_rot of formula (1): the correlation of x with dy (see `kernels/conv2d-backprop-filter.ts`). */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: WindowInfo, epilogue?: GradientEpilogue): DataId {
    const op = 'conv2dBackpropFilter';
    const dw = conv2dBackpropFilter(this.read(x.dataId, op), this.read(dy.dataId, op), info);
    return this.store(gradientEpilogue(dw, this.epilogueValues(epilogue, op)));
  }

  // ---- pooling ----------------------------------------------------------------------------------

  /** The mean of each window, padding counted as zeros (see `kernels/avg-pool2d.ts`). */
  avgPool2d(x: TensorInfo, info: WindowInfo): DataId {
    return this.store(avgPool2d(this.read(x.dataId, 'avgPool2d'), info));
  }

  /** Spreads dy evenly back over each window. */
  avgPool2dBackprop(dy: TensorInfo, info: WindowInfo, epilogue?: GradientEpilogue): DataId {
    const op = 'avgPool2dBackprop';
    return this.store(gradientEpilogue(avgPool2dBackprop(this.read(dy.dataId, op), info), this.epilogueValues(epilogue, op)));
  }

  /** The max of each window, padding ignored (see `kernels/max-pool2d.ts`). */
  maxPool2d(x: TensorInfo, info: WindowInfo): DataId {
    return this.store(maxPool2d(this.read(x.dataId, 'maxPool2d'), info));
  }

  /** Routes dy to each window's first arg-max. */
  maxPool2dBackprop(dy: TensorInfo, x: TensorInfo, info: WindowInfo): DataId {
    const op = 'maxPool2dBackprop';
    return this.store(maxPool2dBackprop(this.read(dy.dataId, op), this.read(x.dataId, op), info));
  }

  // ---- softmax and the loss ---------------------------------------------------------------------

  /** softmax along the last axis of `[N, C]` (see `kernels/softmax.ts`). */
  softmax(logits: TensorInfo): DataId {
    return this.store(softmax(this.read(logits.dataId, 'softmax'), logits.shape));
  }

  /** log-softmax along the last axis of `[N, C]`. */
  logSoftmax(logits: TensorInfo): DataId {
    return this.store(logSoftmax(this.read(logits.dataId, 'logSoftmax'), logits.shape));
  }

  /** Per-example −log softmax(logits)[label] (see `kernels/softmax-cross-entropy.ts`). */
  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataId {
    const op = 'softmaxCrossEntropy';
    return this.store(softmaxCrossEntropy(this.read(logits.dataId, op), logits.shape, this.read(labels.dataId, op)));
  }

  /** dLogits = dLoss · (softmax − one-hot). */
  softmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId {
    const op = 'softmaxCrossEntropyGrad';
    return this.store(
      softmaxCrossEntropyGrad(this.read(logits.dataId, op), logits.shape, this.read(labels.dataId, op), this.read(dLoss.dataId, op)),
    );
  }

  // ---- fused kernels: composed from the kernels above, so this backend stays the oracle ---------

  /** conv2d, then `add` of the bias `[1,K,1,1]`, then `unary(f)`: formulas (1) and (2) as written (see `kernels/fused-conv2d.ts`). */
  fusedConv2d(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: FusedActivation, info: WindowInfo): DataId {
    const op = 'fusedConv2d';
    return this.store(fusedConv2d(this.read(x.dataId, op), this.read(w.dataId, op), this.readOrNull(bias, op), activation, info));
  }

  /** matmul, then `add` of the bias `[1,n]`, then `unary(f)` (see `kernels/fused-matmul.ts`). */
  fusedMatmul(a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, f: FusedActivation, transposeA: boolean, transposeB: boolean): DataId {
    const op = 'fusedMatmul';
    return this.store(
      fusedMatmul(this.read(a.dataId, op), a.shape, this.read(b.dataId, op), b.shape, this.readOrNull(bias, op), f, transposeA, transposeB),
    );
  }

  /** `softmaxCrossEntropyGrad` with every dLoss[n] = 1/N, the gradient of the batch mean. */
  softmaxCrossEntropyMeanGrad(logits: TensorInfo, labels: TensorInfo): DataId {
    const op = 'softmaxCrossEntropyMeanGrad';
    return this.store(softmaxCrossEntropyMeanGrad(this.read(logits.dataId, op), logits.shape, this.read(labels.dataId, op)));
  }

  /** previous + [Σ loss, correct predictions] (see `kernels/classification-metrics.ts`). */
  classificationMetrics(logits: TensorInfo, labels: TensorInfo, previous: TensorInfo): DataId {
    const op = 'classificationMetrics';
    return this.store(
      classificationMetrics(this.read(logits.dataId, op), logits.shape, this.read(labels.dataId, op), this.read(previous.dataId, op)),
    );
  }

  /** w − lr·g as `binary('sub', w, affine(g, lr, 0))` (see `kernels/sgd-update.ts`). */
  sgdUpdate(param: TensorInfo, grad: TensorInfo, lr: number): DataId {
    const op = 'sgdUpdate';
    return this.store(sgdUpdate(this.read(param.dataId, op), this.read(grad.dataId, op), param.shape, lr));
  }

  /** A gradient epilogue with its tensors' values (see `kernels/gradient-epilogue.ts`). */
  private epilogueValues(epilogue: GradientEpilogue | undefined, op: string): GradientEpilogueValues | undefined {
    if (epilogue === undefined) return undefined;
    if (epilogue.kind === 'activationGrad') return { kind: epilogue.kind, op: epilogue.op, input: this.read(epilogue.input.dataId, op) };
    return { kind: epilogue.kind, param: this.read(epilogue.param.dataId, op), shape: epilogue.param.shape, lr: epilogue.lr };
  }

  /** The values of `tensor`, or null for a missing optional input (a fused layer without bias). */
  private readOrNull(tensor: TensorInfo | null, op: string): Float32Array | null {
    return tensor === null ? null : this.read(tensor.dataId, op);
  }
}
