/**
 * Compiles each gpu.js kernel once per (kernel, shapes) and runs it. Kernels are cached here, in
 * the backend, never on tensors and never per batch: a training run compiles each of its kernels
 * on the first batch and reuses them for every later one. What depends on the mode is settled
 * when the runner is made (or, for WebGPU's dispatcher, in {@link KernelRunner.prepare}), not per call.
 *
 * Every kernel is created with `pipeline: true` (results stay on the device as textures or
 * WebGPU buffers), `immutable: true` (each call gets a fresh output the caller owns and frees)
 * `precision: 'single'` (float32 textures; 'unsigned' packs floats into RGBA8 and is slower) and
 * `tactic: 'precision'` (highp in GLSL).
 * @module
 */
import type { GPU, IKernelRunShortcut } from 'gpu.js';
import { splicedKernelSource } from '../kernels/kernel-splice.js';
import type { KernelThis } from '../kernels/kernel-this.js';
import { MAX_EXACT_INDEX } from '../layout.js';
import { KERNEL_CLASS_BY_MODE, type ConcreteGpuMode } from '../mode.js';
import { GpuModeFallbackError } from '../setup/mode-unavailable-error.js';
import { releaseStoredValue, type StoredValue } from './device-value.js';
import {
  callKernel,
  deviceOf,
  fallbackReason,
  finishDevice,
  gridResultData,
  recycleWebAssemblyOutput,
  releaseResult,
  takeWebAssemblyArray,
} from './gpujs-surface.js';
import { DispatchedBuffer, WebGpuDispatcher, type DispatchCounts } from './webgpu-dispatcher.js';

/** What a webasm grid kernel that computes four outputs per thread returns (gpu.js's `Array(4)`). */
export type KernelQuad = [number, number, number, number];

/**
 * A kernel as this package writes them: a named function of arrays (and scalars) returning one
 * number, or in webasm four ({@link KernelQuad}, on a grid whose fourth entry is 4).
 */
export type KernelFunction<C> = (this: KernelThis<C>, ...args: never[]) => number | KernelQuad;

/** A tensor's data as a kernel input. */
export interface KernelArrayArgument {
  /** The stored values (a device buffer, a texture or a plain array). */
  readonly value: StoredValue;
  /** How many elements it holds. */
  readonly size: number;
}

/** One input of a kernel call: a tensor's data with its element count, or a scalar. */
export type KernelArgument = KernelArrayArgument | number;

/**
 * A kernel's threads: a flat output of that many elements (every mode, `this.thread.x` is the
 * flat index), or, in webasm only, a grid `[x, y, z]` of threads whose output is the same flat
 * array, x fastest. gpu.js's WebAssembly runs four consecutive x at once in SIMD lanes while y and
 * z are the same for all four, so a grid lets a kernel read four consecutive elements in one load
 * (`kernels/webasm/`). A grid `[x, y, z, 4]` is one of threads that return a {@link KernelQuad}:
 * its output holds each thread's four values side by side. Grid kernels compile with gpu.js's
 * `strictIntegers`, which keeps their integer index arithmetic in i32, and `flatOutput`, which
 * hands the output back as one array (the patch in `patches/gpu.js+2.24.1.patch`).
 */
export type KernelThreads = number | readonly [number, number, number] | readonly [number, number, number, 4];

/** How many output values `threads` make. */
export function threadCount(threads: KernelThreads): number {
  return typeof threads === 'number' ? threads : threads.reduce((product, extent) => product * extent, 1);
}

/** A compiled kernel, with what it was compiled for. */
export interface CompiledKernel {
  /** The kernel function's name, e.g. `conv2dKernel`. */
  readonly name: string;
  /** The cache key: name, threads, constants and input sizes. */
  readonly key: string;
  /** The JavaScript gpu.js parsed: the function's source with its snippets spliced in (`kernels/kernel-splice.ts`). */
  readonly source: string;
  /** The gpu.js kernel. */
  readonly shortcut: IKernelRunShortcut;
}

/** Settings of a {@link KernelRunner}. */
export interface KernelRunnerOptions {
  /** webasm only: run kernels with ≥ 4096 outputs on gpu.js's worker pool (results become promises). */
  readonly wasmThreads: boolean;
  /** webasm with threads: the worker pool's size; undefined: gpu.js's (one worker per core). */
  readonly wasmPoolSize?: number;
}

/** Compiles (once) and runs the kernels of one backend in one gpu.js mode. */
export class KernelRunner {
  private readonly cache = new Map<string, CompiledKernel>();
  private readonly latestByName = new Map<string, CompiledKernel>();
  /** WebGPU only, once {@link prepare} ran: records kernel calls into shared command encoders. */
  private dispatcher: WebGpuDispatcher | null = null;
  /** The compiled kernels whose gpu.js class was checked against the mode (on their first call). */
  private readonly verified = new Set<CompiledKernel>();
  /** The gpu.js class every kernel must have in this mode. */
  private readonly kernelClass: string;
  /** Whether kernels may run on a grid of threads (webasm). */
  private readonly gridsAllowed: boolean;
  /** Whether kernels run on gpu.js's worker pool (threaded webasm). */
  private readonly asyncMode: boolean;
  /** Whether buffers are plain host arrays (webasm, cpu), so an upload is a copy of the values. */
  private readonly hostArrays: boolean;
  /** The worker pool's size for threaded webasm, or undefined for gpu.js's default (one per core). */
  private readonly poolSize: number | undefined;

  /**
   * @param gpu the gpu.js instance, created for `mode`
   * @param mode the mode every kernel must run in (checked after each compilation)
   * @param options see {@link KernelRunnerOptions}
   */
  constructor(
    private readonly gpu: GPU,
    readonly mode: ConcreteGpuMode,
    options: KernelRunnerOptions,
  ) {
    this.kernelClass = KERNEL_CLASS_BY_MODE[mode];
    this.gridsAllowed = mode === 'webasm';
    this.asyncMode = mode === 'webasm' && options.wasmThreads;
    this.hostArrays = mode === 'webasm' || mode === 'cpu';
    this.poolSize = options.wasmPoolSize;
  }

  /** How many kernels have been compiled. */
  get compiledCount(): number {
    return this.cache.size;
  }

  /**
   * Runs `kernel` with `constants` baked in over `threads` (see {@link KernelThreads}).
   * @returns the output: a device handle or array, or a promise of one (WebGPU, threaded webasm)
   * @throws GpuModeFallbackError if gpu.js compiled it for another mode than {@link mode}
   * @throws Error for a grid of threads outside webasm
   */
  run<C extends object>(kernel: KernelFunction<C>, constants: C, threads: KernelThreads, args: readonly KernelArgument[]): unknown {
    const outputSize = threadCount(threads);
    checkExactIndices(kernel.name, outputSize, args);
    const compiled = this.compile(kernel, constants, threads, args);
    if (this.dispatcher !== null) {
      this.checkMode(compiled);
      const values = args.map((arg) => (typeof arg === 'number' ? arg : dispatched(arg.value, compiled.name)));
      return this.dispatcher.launch(compiled.shortcut, outputSize, values);
    }
    const values = args.map((arg) => (typeof arg === 'number' ? arg : arg.value));
    const result = callKernel(compiled.shortcut, values);
    this.checkMode(compiled);
    if (typeof threads === 'number') return result;
    return result instanceof Promise
      ? result.then((rows: unknown) => gridResultData(rows, outputSize))
      : gridResultData(result, outputSize);
  }

  /**
   * WebGPU: builds one kernel through gpu.js to reach its device, and from then on runs every
   * kernel through a {@link WebGpuDispatcher} (shared command encoders, pooled buffers). Nothing
   * for the other modes.
   */
  async prepare(): Promise<void> {
    if (this.mode !== 'webgpu' || this.dispatcher !== null) return;
    const compiled = this.compile(deviceProbeKernel, {}, 1, [{ value: Float32Array.of(0), size: 1 }]);
    const result: unknown = await callKernel(compiled.shortcut, [Float32Array.of(0)]);
    this.checkMode(compiled);
    releaseResult(result);
    this.dispatcher = new WebGpuDispatcher(deviceOf(compiled.shortcut.kernel));
  }

  /** WebGPU: submits what the dispatcher recorded (unless a kernel is still being built); nothing elsewhere. */
  endStep(): void {
    this.dispatcher?.submitIfBuilt();
  }

  /**
   * A stored value holding `values`: a copy of them (webasm and cpu keep host arrays; webasm's in
   * an array a freed buffer gave back, when one has that length), or a device
   * buffer written directly (WebGPU with a dispatcher); null where a copy kernel must do it (WebGL).
   */
  upload(values: Float32Array): StoredValue | null {
    if (this.mode === 'webasm') {
      const copy = takeWebAssemblyArray(values.length);
      copy.set(values);
      return copy;
    }
    if (this.hostArrays) return values.slice();
    return this.dispatcher?.upload(values) ?? null;
  }

  /**
   * Frees a tensor's stored value once nothing reads it: a device buffer is deleted, and in webasm
   * the output array goes back to gpu.js for a later kernel's output (`recycleWebAssemblyOutput`).
   */
  readonly release = (value: StoredValue): void => {
    if (this.mode === 'webasm' && value instanceof Float32Array) {
      recycleWebAssemblyOutput(value);
    } else {
      releaseStoredValue(value);
    }
  };

  /** The WebGPU device the dispatcher runs on (null in the other modes, or before {@link prepare}). */
  get webGpuDevice(): GPUDevice | null {
    return this.dispatcher?.device ?? null;
  }

  /** What the WebGPU dispatcher asked of the device so far (null in the other modes). */
  get dispatchCounts(): Readonly<DispatchCounts> | null {
    return this.dispatcher?.counts ?? null;
  }

  /** The gpu.js class of every compiled kernel, e.g. `WebGPUKernel` (checked against the mode on each call). */
  kernelClasses(): string[] {
    return [...this.cache.values()].map(({ shortcut }) => shortcut.kernel.constructor.name);
  }

  /** The most recently compiled kernel made from the function called `name`, if any. */
  latestCompiled(name: string): CompiledKernel | undefined {
    return this.latestByName.get(name);
  }

  /**
   * Waits until the device has executed everything submitted: `gl.finish()` for the WebGL modes,
   * `queue.onSubmittedWorkDone()` for WebGPU; nothing for webasm and cpu, which run in place.
   */
  async finish(): Promise<void> {
    if (this.dispatcher !== null) {
      await this.dispatcher.flush();
      return;
    }
    for (const { shortcut } of this.cache.values()) {
      if (await finishDevice(shortcut.kernel)) return;
    }
  }

  /** Frees every compiled kernel (their programs, pipelines and internal buffers). */
  destroy(): void {
    this.dispatcher?.destroy();
    this.dispatcher = null;
    for (const { shortcut } of this.cache.values()) {
      shortcut.destroy();
    }
    this.cache.clear();
    this.latestByName.clear();
    this.verified.clear();
  }

  private compile<C extends object>(
    kernel: KernelFunction<C>,
    constants: C,
    threads: KernelThreads,
    args: readonly KernelArgument[],
  ): CompiledKernel {
    const inputSizes = args.map((arg) => (typeof arg === 'number' ? 's' : String(arg.size))).join(',');
    const key = `${kernel.name}|${String(threads)}|${JSON.stringify(constants)}|${inputSizes}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    if (typeof threads !== 'number' && !this.gridsAllowed) {
      throw new Error(`${kernel.name}: a grid of threads is for webasm only (this runner is ${this.mode})`);
    }
    const source = splicedKernelSource(kernel, constants);
    const shortcut = this.gpu.createKernel(source, {
      output: typeof threads === 'number' ? [threads] : threads.slice(0, 3),
      strictIntegers: typeof threads !== 'number',
      flatOutput: typeof threads !== 'number',
      constants,
      pipeline: true,
      immutable: true,
      precision: 'single',
      // highp floats and ints in GLSL: gpu.js's default tactic may pick lowp/mediump, which
      // desktop Mesa ignores but a phone's GPU honours (16-bit floats cannot index 28·28·6·256)
      tactic: 'precision',
      asyncMode: this.asyncMode,
      ...(this.poolSize === undefined ? {} : { poolSize: this.poolSize }),
    });
    // Loops run to bounds taken from the constants; gpu.js caps loops it cannot prove bounded at
    // loopMaxIterations (1000 by default), which would silently truncate a long sum.
    shortcut.setLoopMaxIterations(loopBound(constants));
    const compiled: CompiledKernel = { name: kernel.name, key, source, shortcut };
    this.cache.set(key, compiled);
    this.latestByName.set(kernel.name, compiled);
    return compiled;
  }

  /** Checks, on a kernel's first call, that gpu.js built it for this mode (it falls back silently otherwise). */
  private checkMode(compiled: CompiledKernel): void {
    if (this.verified.has(compiled)) return;
    const actual = compiled.shortcut.kernel.constructor.name;
    if (actual !== this.kernelClass) {
      throw new GpuModeFallbackError(compiled.name, this.kernelClass, actual, fallbackReason(compiled.shortcut.kernel));
    }
    this.verified.add(compiled);
  }
}

/** out[i] = x[i]: the kernel {@link KernelRunner.prepare} builds to reach gpu.js's WebGPU device. */
function deviceProbeKernel(this: KernelThis<Record<string, never>>, x: Float32Array): number {
  return x[this.thread.x];
}

/** The dispatcher's buffer behind a kernel argument; any other value means a buffer was made outside it. */
function dispatched(value: StoredValue, kernelName: string): DispatchedBuffer {
  if (value instanceof DispatchedBuffer) return value;
  throw new Error(
    `${kernelName}: an input is a ${value.constructor.name}, not a buffer of the WebGPU dispatcher (it was made before prepare() or by another backend)`,
  );
}

/**
 * The kernels index in float32 (`layout.ts`), exact only below {@link MAX_EXACT_INDEX} elements: a
 * larger buffer would read and write the wrong elements without any error, so it is refused here.
 * @throws RangeError naming the kernel, the size and what to do
 */
function checkExactIndices(kernelName: string, outputSize: number, args: readonly KernelArgument[]): void {
  const largest = Math.max(outputSize, ...args.map((arg) => (typeof arg === 'number' ? 0 : arg.size)));
  if (largest > MAX_EXACT_INDEX) {
    throw new RangeError(
      `${kernelName}: a buffer of ${largest} elements is larger than ${MAX_EXACT_INDEX} (2^23), where the kernels' float32 index ` +
        'arithmetic stops being exact; use a smaller batch, or split the tensor',
    );
  }
}

/** The largest whole-number constant (every loop of this package runs to one), at least 1000. */
function loopBound(constants: object): number {
  const bounds = Object.values(constants).filter((v): v is number => Number.isInteger(v) && v > 0 && v < 2 ** 24);
  return Math.max(1000, ...bounds) + 1;
}
