/**
 * The contract between `@lenet/core` and a backend.
 *
 * A backend is small, as in tfjs-core: **storage** (upload, download, dispose, a count of live
 * buffers) plus a **typed list of primitive kernels** ({@link Kernels}). Everything else — argument
 * checks, shapes, autograd — lives once in core. A backend class that lacks a kernel does not
 * compile, because it must `implements Backend`.
 *
 * Layout conventions shared by every kernel:
 * - Tensors are dense, row-major (C order), float32.
 * - Images are NCHW: `[batch, channels, height, width]`.
 * - Convolution filters are `[outChannels, inChannels, kernelHeight, kernelWidth]` — PyTorch's
 *   layout *and* semantics: the stored filter is `w_rot`, so the forward pass is a
 *   cross-correlation with no extra flip (see {@link Kernels.conv2d}).
 * - Class labels are passed as float32 class indices `[batch]`.
 *
 * @module
 */
import type { ActivationOp, FusedActivation } from '../ops/activations.js';
import type { Shape } from '../shape/shape.js';
import type { WindowInfo } from '../shape/window-info.js';

/**
 * An opaque handle to a buffer that a backend owns. Core never looks inside; a backend maps it to
 * its own storage (a `Float32Array`, a GPU texture or buffer, ...). Several tensors may share one
 * `DataId` (a reshape is free); core counts the references and disposes it once.
 */
export interface DataId {
  /** A number unique within the backend that made it, for debugging and graph pictures. */
  readonly id: number;
}

/** What a kernel needs to know about an input tensor: where its data lives and its shape. */
export interface TensorInfo {
  /** The buffer holding its values. */
  readonly dataId: DataId;
  /** Its extent along each axis. */
  readonly shape: Shape;
}

/** Element-wise binary operations; the kernel broadcasts NumPy-style (see {@link broadcastShapes}). */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/**
 * Element-wise unary operations.
 * - `neg`: −x · `exp`: eˣ · `log`: ln x · `sqrt`: √x · `square`: x²
 * - the activations of core's list (`ACTIVATIONS`, {@link ActivationOp}): `sigmoid` σ(x) = 1 / (1 + e^(−x)), `tanh`, `relu` max(0, x), …
 */
export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'square' | ActivationOp;

/**
 * What a gradient kernel of the compiled training step does to its result r before writing it, so
 * that the step needs no kernel of its own for it (the optional last argument of
 * {@link Kernels.matmul}, {@link Kernels.sumTo}, {@link Kernels.conv2dBackpropFilter} and
 * {@link Kernels.avgPool2dBackprop}):
 * - `activationGrad`: r · f′ at `input` (same shape as r, read as {@link Kernels.activationGrad}
 *   reads it): the gradient of the activation before this layer, folded into the kernel that
 *   computes the gradient arriving at it;
 * - `sgdUpdate`: param − lr · r (same shape as r): the optimizer step folded into the kernel that
 *   computes the gradient r, as PyTorch's "optimizer step in the backward pass" recipe does.
 *
 * backend-cpu composes each from the kernel and then `activationGrad` or `sgdUpdate`; a GPU backend
 * does it in the same kernel.
 */
export type GradientEpilogue = ActivationGradEpilogue | SgdUpdateEpilogue;

/** The {@link GradientEpilogue} r · f′(input): the activation gradient of the layer before. */
export interface ActivationGradEpilogue {
  /** Which epilogue. */
  readonly kind: 'activationGrad';
  /** The activation f. */
  readonly op: ActivationOp;
  /** y = f(x) or x, as `ACTIVATIONS` says f's gradient reads (as {@link Kernels.activationGrad}); r's shape. */
  readonly input: TensorInfo;
}

/** The {@link GradientEpilogue} param − lr · r: the SGD update of the parameter whose gradient r is. */
export interface SgdUpdateEpilogue {
  /** Which epilogue. */
  readonly kind: 'sgdUpdate';
  /** The parameter's current values, r's shape. */
  readonly param: TensorInfo;
  /** The learning rate η. */
  readonly lr: number;
}

/**
 * The primitive kernels. Each takes {@link TensorInfo}s and returns the `DataId` of a new buffer that
 * the caller owns. Kernels run synchronously from the caller's point of view (a GPU backend may
 * queue the work and finish it later); only {@link Backend.download} is async.
 *
 * Core has already checked every argument and computed every output shape before a kernel is
 * called, so kernels do no validation of their own.
 */
export interface Kernels {
  // ---- element-wise -------------------------------------------------------------------------
  /** out = a ∘ b with broadcasting; `outShape` = `broadcastShapes(a.shape, b.shape)`. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId;
  /** out = f(x), element-wise. */
  unary(op: UnaryOp, x: TensorInfo): DataId;
  /** out = x · s + t, element-wise, for scalars s and t (scaling, shifting, `1 − x`, ...). */
  affine(x: TensorInfo, scale: number, shift: number): DataId;
  /**
   * The gradient of an activation, fused: dx = dy · f′, `input` being what core's list `ACTIVATIONS`
   * says f's gradient reads: y = f(x) (`gradientReads: 'output'`: sigmoid y·(1 − y), tanh 1 − y²,
   * relu [y > 0]) or x (`'input'`); `dy` has the same shape.
   */
  activationGrad(op: ActivationOp, input: TensorInfo, dy: TensorInfo): DataId;
  /** A new buffer of `shape` with every element equal to `value`. */
  fill(shape: Shape, value: number): DataId;

  // ---- broadcasting and reductions ----------------------------------------------------------
  /**
   * Sums `x` down to `outShape`, which has x's rank and 1 (or x's size) on every axis: the axes
   * where `outShape` is 1 and x is not are summed. This is the backward pass of broadcasting and
   * the kernel behind `sum` and `mean`. Example: x `[2,3,4,5]` → outShape `[1,3,1,1]` sums over
   * batch, height and width (a convolution's bias gradient).
   */
  sumTo(x: TensorInfo, outShape: Shape, epilogue?: GradientEpilogue): DataId;
  /** Repeats `x` along its size-1 axes up to `outShape` (same rank): the backward of `sumTo`. */
  broadcastTo(x: TensorInfo, outShape: Shape): DataId;

  // ---- linear algebra -----------------------------------------------------------------------
  /**
   * out = op(a) · op(b) for 2-D matrices, where op transposes when asked:
   * `[m,k]·[k,n] → [m,n]`. With `transposeA`, a is stored `[k,m]`; with `transposeB`, b is stored
   * `[n,k]`. The backward pass of out = a·b is da = dy·bᵀ, db = aᵀ·dy.
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, epilogue?: GradientEpilogue): DataId;

  // ---- convolution: formula (1) ---------------------------------------------------------------
  /**
   * Formula (1), the forward convolution (a cross-correlation, as in every framework):
   *
   * ```text
   * z[n,k](x,y) = Σ_c Σ_{u=0..p} Σ_{v=0..q} a[n,c](x·sh + u − ph, y·sw + v − pw) · w_rot[k,c](u,v)
   * ```
   *
   * with x the output row and y the output column, (sh, sw) the stride and (ph, pw) the padding along
   * height and width (`info.strideHeight`, `info.strideWidth`, `info.padHeight`, `info.padWidth`), where p+1, q+1 are the kernel extent and out-of-range input reads are zero (padding).
   * x `[N,C,H,W]`, w `[K,C,kh,kw]` → z `[N,K,outH,outW]`; shapes from `info`.
   */
  conv2d(x: TensorInfo, w: TensorInfo, info: WindowInfo): DataId;
  /**
   * ∂L/∂a: the "full" convolution of dy with the filter rotated by 180°.
   * dy `[N,K,outH,outW]`, w `[K,C,kh,kw]` → dx `[N,C,H,W]`.
   */
  conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, info: WindowInfo): DataId;
  /**
   * ∂L/∂w_rot: the correlation of the input with dy.
   * x `[N,C,H,W]`, dy `[N,K,outH,outW]` → dw `[K,C,kh,kw]`.
   */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: WindowInfo, epilogue?: GradientEpilogue): DataId;

  // ---- pooling: the downsample of formula (3) -------------------------------------------------
  /** Mean over each window (padding cells count as zeros and are included in the divisor). x `[N,C,H,W]` → `[N,C,outH,outW]`. */
  avgPool2d(x: TensorInfo, info: WindowInfo): DataId;
  /** Spreads dy evenly back over each window: dx `[N,C,H,W]`. */
  avgPool2dBackprop(dy: TensorInfo, info: WindowInfo, epilogue?: GradientEpilogue): DataId;
  /** Max over each window (padding cells are ignored). x `[N,C,H,W]` → `[N,C,outH,outW]`. */
  maxPool2d(x: TensorInfo, info: WindowInfo): DataId;
  /**
   * Routes dy to the arg-max of each window of x (the first one in row-major order on ties):
   * dx `[N,C,H,W]`.
   */
  maxPool2dBackprop(dy: TensorInfo, x: TensorInfo, info: WindowInfo): DataId;

  // ---- softmax and the loss ----------------------------------------------------------------
  /** softmax along the last axis of a 2-D `[N,C]` tensor, computed stably (max subtracted). */
  softmax(logits: TensorInfo): DataId;
  /** log-softmax along the last axis of `[N,C]`: x − max − log Σ exp(x − max). */
  logSoftmax(logits: TensorInfo): DataId;
  /**
   * Fused softmax + cross-entropy per example: loss[n] = −log softmax(logits[n])[label[n]].
   * logits `[N,C]`, labels `[N]` (class indices as floats) → `[N]`. Labels must be whole numbers in
   * [0, C): a backend that can check them on the host throws a RangeError (backend-cpu does); a GPU
   * kernel cannot throw, so there a bad label gives an undefined loss.
   */
  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataId;
  /**
   * Its gradient: d logits[n,c] = dLoss[n] · (softmax(logits[n])[c] − [c = label[n]]).
   * logits `[N,C]`, labels `[N]`, dLoss `[N]` → `[N,C]`.
   */
  softmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId;

  // ---- fused kernels: one launch where the formulas above would take several (tfjs's fused ops) ----
  /**
   * Formulas (1) and (2) in one kernel: a = f(z + b), z = conv2d(x, w), with the bias b `[K]`
   * added to every pixel of map k (or none when `bias` is null). Shapes as {@link Kernels.conv2d}.
   * backend-cpu composes it from `conv2d`, `binary('add')` and `unary(f)`; the result must equal
   * that composition within the backend's tolerance.
   */
  fusedConv2d(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: FusedActivation, info: WindowInfo): DataId;
  /**
   * A fully connected layer in one kernel: y = f(op(a) · op(b) + bias), the bias `[n]` added to
   * every row (or none when null), f the activation. Shapes and transposes as {@link Kernels.matmul}.
   */
  fusedMatmul(a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, f: FusedActivation, transposeA: boolean, transposeB: boolean): DataId;
  /**
   * The gradient of the mean cross-entropy with respect to the logits, the seed of backpropagation
   * in one kernel: d logits[n,c] = (softmax(logits[n])[c] − [c = label[n]]) / N.
   * logits `[N,C]`, labels `[N]` → `[N,C]`.
   */
  softmaxCrossEntropyMeanGrad(logits: TensorInfo, labels: TensorInfo): DataId;
  /**
   * Running training metrics, kept on the device so that a training loop need not read anything
   * back after each step: out = previous + [Σ_n loss[n], Σ_n [argmax logits[n] = label[n]]], with
   * loss[n] the cross-entropy of row n and the arg-max the first largest logit.
   * logits `[N,C]`, labels `[N]`, previous `[2]` → `[2]`.
   */
  classificationMetrics(logits: TensorInfo, labels: TensorInfo, previous: TensorInfo): DataId;
  /** The plain SGD update of one parameter in one kernel: w − lr · g (same shapes). */
  sgdUpdate(param: TensorInfo, grad: TensorInfo, lr: number): DataId;
}

/** A backend: storage plus the kernels. */
export interface Backend extends Kernels {
  /** A short name, e.g. `cpu` or `gpu.js:webgpu`. */
  readonly name: string;
  /**
   * The largest error this backend promises against the float64 reference, used by the
   * conformance suite: |actual − expected| ≤ tolerance · max(1, |expected|).
   */
  readonly tolerance: number;
  /** Copies `values` (row-major, `shape`'s size) into a new buffer the caller owns. */
  upload(values: Float32Array, shape: Shape): DataId;
  /** Reads a buffer back. The only asynchronous call: a GPU may still be computing it. */
  download(dataId: DataId): Promise<Float32Array>;
  /** Frees a buffer. Disposing twice is a bug and throws. */
  dispose(dataId: DataId): void;
  /** How many buffers this backend holds now: a training step must leave it unchanged. */
  liveBuffers(): number;
  /**
   * Optional: a unit of work (one training step) ends here. A backend that records kernel calls
   * to submit them together (gpu.js's WebGPU mode) submits them now, so each step is one submission
   * and its freed buffers can be reused by the next; a backend that runs kernels at once needs nothing.
   */
  endStep?(): void;
}

export type { ActivationOp, FusedActivation } from '../ops/activations.js';
