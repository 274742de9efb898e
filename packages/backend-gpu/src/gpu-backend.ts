/**
 * The gpu.js backend: core's storage and kernels (see `Backend` in `@lenet/core`) on GPU.js, in
 * one mode (WebGPU, WebGL, headless-gl, WebAssembly or plain JS). Made by `createGpuBackend`.
 *
 * Data stays on the device: each kernel's output is a texture or WebGPU buffer that the next
 * kernel reads directly; values come back only in {@link GpuBackend.download}. In WebGPU mode a
 * kernel returns a promise of its buffer; core's kernels are synchronous, so the backend hands
 * out the `DataId` at once and chains the next kernel on the promise.
 * @module
 */
import type { ActivationOp, Backend, BinaryOp, DataId, FusedActivation, GradientEpilogue, Shape } from '@lenet/core';
import { ACTIVATION_OPS, formatShape, sizeOf, type TensorInfo, type UnaryOp, type WindowInfo, windowExtents } from '@lenet/core';
import { KernelLauncher } from './kernel-launcher.js';
import { KERNELS } from './kernel-table.js';
import { activationCode } from './kernels/activations.js';
import { binaryConstants } from './kernels/binary.js';
import { broadcastToConstants } from './kernels/reduce.js';
import { layoutKernelsFor } from './layouts/layout-for-mode.js';
import type { LayoutKernels } from './layouts/layout-kernels.js';
import type { ConcreteGpuMode } from './mode.js';
import { BufferStore } from './runtime/buffer-store.js';
import { readStoredValue } from './runtime/device-value.js';
import { isSettled } from './runtime/eventually.js';
import { generatedSource } from './runtime/gpujs-surface.js';
import type { KernelRunner } from './runtime/kernel-runner.js';
import type { DispatchCounts } from './runtime/webgpu-dispatcher.js';
import { launchSumTo } from './sum-to.js';

/** What {@link GpuBackend} needs from `createGpuBackend`. */
export interface GpuBackendSettings {
  /** The mode that runs (verified on every compiled kernel). */
  readonly mode: ConcreteGpuMode;
  /** The adapter or renderer behind it, or `WebAssembly (no GPU)`. */
  readonly device: string;
  /** Whether `device` is a real GPU (false for llvmpipe, SwiftShader, WebAssembly and JS). */
  readonly hardwareGpu: boolean;
  /** The kernel runner for `mode`. */
  readonly runner: KernelRunner;
  /** How `auto` chose this mode, or why the mode was asked for. */
  readonly reason: string;
}

/**
 * How many threads a long reduction should be split into at least: a real GPU needs tens of
 * thousands to be busy (an H200 runs 132 × 2048 at once); a software rasteriser or gpu.js's wasm
 * worker pool needs a few per core; plain JS runs one output at a time and gains nothing.
 */
function parallelThreads(mode: ConcreteGpuMode, hardwareGpu: boolean): number {
  if (mode === 'cpu') return 1;
  if (mode === 'webasm' || !hardwareGpu) return 4096;
  return 131_072;
}

/** Core's `Backend` on gpu.js. */
export class GpuBackend implements Backend {
  /** `gpu.js:<mode>`, e.g. `gpu.js:webgpu`. */
  readonly name: string;
  /**
   * float32 throughout, accumulated in float32 in a different order from the float64 reference:
   * |actual − expected| ≤ 1e-3 · max(1, |expected|), tfjs's float32 tolerance.
   */
  readonly tolerance = 1e-3;
  /** The gpu.js mode that runs (asserted from each kernel's class). */
  readonly mode: ConcreteGpuMode;
  /** The adapter or renderer behind {@link mode}, or `WebAssembly (no GPU)`. */
  readonly device: string;
  /** Whether {@link device} is a real GPU. */
  readonly hardwareGpu: boolean;
  /** Why this mode runs (for `auto`: what it found and why it chose). */
  readonly reason: string;

  private readonly runner: KernelRunner;
  /** See {@link parallelThreads}. */
  private readonly minimumThreads: number;
  private readonly store: BufferStore;
  /** How every op runs its kernels (`kernel-launcher.ts`). */
  private readonly launcher: KernelLauncher;
  /** The convolutions and matrix products of this mode's layout (`layouts/`), chosen once. */
  private readonly layout: LayoutKernels;

  /** Use `createGpuBackend`, which checks the mode and prepares the environment. */
  constructor(settings: GpuBackendSettings) {
    this.mode = settings.mode;
    this.device = settings.device;
    this.hardwareGpu = settings.hardwareGpu;
    this.runner = settings.runner;
    this.reason = settings.reason;
    this.name = `gpu.js:${settings.mode}`;
    this.store = new BufferStore(this.name, this.runner.release);
    this.minimumThreads = parallelThreads(settings.mode, settings.hardwareGpu);
    this.launcher = new KernelLauncher(this.store, this.runner);
    this.layout = layoutKernelsFor(settings.mode, this.launcher, this.minimumThreads);
  }

  /**
   * WebGPU: what the dispatcher asked of the device so far (kernel dispatches, submits, buffers and
   * bind groups created, read-backs); null in the other modes.
   */
  get dispatchCounts(): Readonly<DispatchCounts> | null {
    return this.runner.dispatchCounts;
  }

  /** WebGPU: the device every kernel runs on (for diagnostics and tests); null in the other modes. */
  get webGpuDevice(): GPUDevice | null {
    return this.runner.webGpuDevice;
  }

  /** How many kernels this backend has compiled (each once per shape). */
  get compiledKernels(): number {
    return this.runner.compiledCount;
  }

  /** The gpu.js class of every kernel compiled so far (all equal to the mode's class, or a kernel call threw). */
  compiledKernelClasses(): string[] {
    return this.runner.kernelClasses();
  }

  /**
   * The JavaScript gpu.js parsed for the last compiled kernel made from the function `kernelName`
   * (its snippets spliced in), or null if none was compiled.
   */
  kernelJavaScript(kernelName: string): string | null {
    return this.runner.latestCompiled(kernelName)?.source ?? null;
  }

  /**
   * The generated source (GLSL, WGSL) of the last compiled kernel made from the function
   * `kernelName` (e.g. `conv2dKernel`), or null if none was compiled or the mode has no text
   * source (webasm builds WebAssembly bytes).
   */
  shaderSource(kernelName: string): string | null {
    const compiled = this.runner.latestCompiled(kernelName);
    if (compiled === undefined) {
      return null;
    }
    const kernel = compiled.shortcut.kernel;
    return generatedSource(kernel) ?? (this.mode === 'cpu' ? kernel.toString() : null);
  }

  /**
   * Resolves when every kernel called so far has finished on the device: queued promises have
   * settled (WebGPU, threaded webasm) and the GPU queue is idle. Benchmarks call it to time a
   * training step's whole work, not just the part the loss depends on.
   */
  async flush(): Promise<void> {
    await this.store.settle();
    await this.runner.finish();
  }

  /** Frees every buffer and compiled kernel. The backend cannot be used afterwards. */
  destroy(): void {
    for (const id of this.store.ids()) {
      this.store.dispose({ id });
    }
    this.runner.destroy();
  }

  // ---- storage --------------------------------------------------------------------------------

  upload(values: Float32Array, shape: Shape): DataId {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new RangeError(`upload: ${values.length} values do not fill shape ${formatShape(shape)} (${size} elements)`);
    }
    const written = this.runner.upload(values);
    if (written !== null) {
      return this.store.register(written, size);
    }
    return this.launcher.launch(KERNELS.copy.kernel, {}, size, [values]);
  }

  download(dataId: DataId): Promise<Float32Array> {
    const entry = this.store.entry(dataId, 'download');
    const { value, size } = entry;
    // A value that is there is read at once (WebGPU: the copy is recorded now), so disposing the
    // tensor right after asking for its data cannot hand its buffer to someone else first.
    return isSettled(value) ? readStoredValue(value, size) : value.then((settled) => readStoredValue(settled, size));
  }

  dispose(dataId: DataId): void {
    this.store.dispose(dataId);
  }

  liveBuffers(): number {
    return this.store.size;
  }

  /** WebGPU: submits the kernel calls recorded since the last submission (see the dispatcher). */
  endStep(): void {
    this.runner.endStep();
  }

  // ---- element-wise -----------------------------------------------------------------------------

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return this.launcher.launch(KERNELS[op].kernel, binaryConstants(op, a.shape, b.shape, outShape), sizeOf(outShape), [a, b]);
  }

  unary(op: UnaryOp, x: TensorInfo): DataId {
    if (isActivationOp(op))
      return this.launcher.launch(KERNELS.activation.kernel, { activation: activationCode(op) }, sizeOf(x.shape), [x]);
    return this.launcher.launch(KERNELS[op].kernel, {}, sizeOf(x.shape), [x]);
  }

  affine(x: TensorInfo, scale: number, shift: number): DataId {
    return this.launcher.launch(KERNELS.affine.kernel, {}, sizeOf(x.shape), [x, scale, shift]);
  }

  activationGrad(op: ActivationOp, input: TensorInfo, dy: TensorInfo): DataId {
    return this.launcher.launch(KERNELS.activationGrad.kernel, { activation: activationCode(op) }, sizeOf(input.shape), [input, dy]);
  }

  fill(shape: Shape, value: number): DataId {
    return this.launcher.launch(KERNELS.fill.kernel, {}, sizeOf(shape), [value]);
  }

  // ---- broadcasting and reductions --------------------------------------------------------------

  sumTo(x: TensorInfo, outShape: Shape, epilogue?: GradientEpilogue): DataId {
    return launchSumTo(this.launcher, x, outShape, epilogue, this.minimumThreads);
  }

  broadcastTo(x: TensorInfo, outShape: Shape): DataId {
    return this.launcher.launch(KERNELS.broadcastTo.kernel, broadcastToConstants(x.shape, outShape), sizeOf(outShape), [x]);
  }

  // ---- linear algebra ---------------------------------------------------------------------------

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, epilogue?: GradientEpilogue): DataId {
    return this.layout.matmul(a, b, transposeA, transposeB, { gradient: epilogue });
  }

  // ---- convolution ------------------------------------------------------------------------------

  conv2d(x: TensorInfo, w: TensorInfo, info: WindowInfo): DataId {
    return this.layout.conv2d(x, w, null, 'identity', info);
  }

  conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, info: WindowInfo): DataId {
    return this.layout.conv2dBackpropInput(dy, w, info);
  }

  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: WindowInfo, epilogue?: GradientEpilogue): DataId {
    return this.layout.conv2dBackpropFilter(x, dy, info, epilogue);
  }

  // ---- pooling ----------------------------------------------------------------------------------

  avgPool2d(x: TensorInfo, info: WindowInfo): DataId {
    return this.layout.avgPool2d(x, info);
  }

  avgPool2dBackprop(dy: TensorInfo, info: WindowInfo, epilogue?: GradientEpilogue): DataId {
    return this.layout.avgPool2dBackprop(dy, info, epilogue);
  }

  maxPool2d(x: TensorInfo, info: WindowInfo): DataId {
    return this.launcher.launch(KERNELS.maxPool2d.kernel, windowExtents(info), sizeOf(info.outShape), [x]);
  }

  maxPool2dBackprop(dy: TensorInfo, x: TensorInfo, info: WindowInfo): DataId {
    return this.launcher.launch(KERNELS.maxPool2dBackprop.kernel, windowExtents(info), sizeOf(info.inShape), [dy, x]);
  }

  // ---- softmax and the loss ---------------------------------------------------------------------

  softmax(logits: TensorInfo): DataId {
    return this.launcher.launch(KERNELS.softmax.kernel, { classes: logits.shape[1] }, sizeOf(logits.shape), [logits]);
  }

  logSoftmax(logits: TensorInfo): DataId {
    return this.launcher.launch(KERNELS.logSoftmax.kernel, { classes: logits.shape[1] }, sizeOf(logits.shape), [logits]);
  }

  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataId {
    return this.launcher.launch(KERNELS.softmaxCrossEntropy.kernel, { classes: logits.shape[1] }, logits.shape[0], [logits, labels]);
  }

  softmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId {
    return this.launcher.launch(KERNELS.softmaxCrossEntropyGrad.kernel, { classes: logits.shape[1] }, sizeOf(logits.shape), [
      logits,
      labels,
      dLoss,
    ]);
  }

  // ---- fused kernels ----------------------------------------------------------------------------

  fusedConv2d(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: FusedActivation, info: WindowInfo): DataId {
    return this.layout.conv2d(x, w, bias, activation, info);
  }

  fusedMatmul(a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, f: FusedActivation, transposeA: boolean, transposeB: boolean): DataId {
    return this.layout.matmul(a, b, transposeA, transposeB, { fused: { bias, activation: f } });
  }

  softmaxCrossEntropyMeanGrad(logits: TensorInfo, labels: TensorInfo): DataId {
    const [batch, classes] = logits.shape;
    return this.launcher.launch(KERNELS.softmaxCrossEntropyMeanGrad.kernel, { batch, classes }, batch * classes, [logits, labels]);
  }

  classificationMetrics(logits: TensorInfo, labels: TensorInfo, previous: TensorInfo): DataId {
    const [batch, classes] = logits.shape;
    return this.launcher.launch(KERNELS.classificationMetrics.kernel, { batch, classes }, 2, [logits, labels, previous]);
  }

  sgdUpdate(param: TensorInfo, grad: TensorInfo, lr: number): DataId {
    return this.launcher.launch(KERNELS.sgdUpdate.kernel, {}, sizeOf(param.shape), [param, grad, lr]);
  }
}

/** Whether a unary op is one of core's activations (run by the activation kernel with its code). */
function isActivationOp(op: UnaryOp): op is ActivationOp {
  return ACTIVATION_OPS.some((activation) => activation === op);
}
