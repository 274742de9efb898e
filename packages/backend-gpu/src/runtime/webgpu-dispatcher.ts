/**
 * Runs gpu.js's WebGPU kernels the way tfjs's WebGPU backend runs its own: gpu.js compiles each
 * kernel (WGSL, pipeline, bind-group layout) and this dispatcher records the calls into **one
 * command encoder**, submitted once for many kernels, with buffers taken from a pool.
 *
 * Called one by one through gpu.js, each kernel creates an output buffer (zero-filled by Dawn), a
 * bind group, writes its parameters, and makes its own encoder and `queue.submit` — per call costs
 * that dominate a small network's step on a real GPU. Here, in the steady state of a training loop:
 *
 * | per kernel call | gpu.js | dispatcher |
 * |---|---|---|
 * | output buffer | `createBuffer` | from the pool (freed buffers are reused) |
 * | bind group | `createBindGroup` | cached by (kernel, buffers) |
 * | parameters | `writeBuffer` | `writeBuffer` into a pooled uniform buffer |
 * | submit | one each | one per batch of calls (a read, a flush, or {@link MAX_PENDING_DISPATCHES}) |
 *
 * Correctness of the reuse: a buffer that is freed goes back to the pool only after the submit
 * that carries every call recorded before the free, so no recorded call can see it overwritten;
 * uploads (`writeBuffer`) only ever write a buffer no recorded call reads.
 *
 * A kernel's first call has gpu.js build it (`kernel.build` with stand-in arrays of the right sizes;
 * nothing runs) and is recorded like any other; the output buffer gpu.js makes for its own runs is
 * freed at once. Only then may a submission happen, so a read waits for the builds in progress.
 * @module
 */
import type { IKernelRunShortcut } from 'gpu.js';
import type { DeviceHandle } from './device-value.js';
import { buildWithoutRunning, declaredComponentCount, isBuilt, readBuiltKernel, type BuiltWebGpuKernel } from './gpujs-surface.js';

// GPUBufferUsage and GPUMapMode bits (numbers, so this module needs no WebGPU globals to load)
const STORAGE = 0x80;
const UNIFORM = 0x40;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const MAP_READ = 0x01;
const MAP_MODE_READ = 0x01;

/** Calls recorded before the encoder is submitted without being asked to (bounds the memory held by freed buffers). */
export const MAX_PENDING_DISPATCHES = 256;

/** Bind groups kept for reuse (least recently made first out). */
const BIND_GROUP_CACHE_SIZE = 4096;

/** A device buffer made by the dispatcher: a tensor's data. */
export class DispatchedBuffer implements DeviceHandle {
  /**
   * @param buffer the storage buffer (an `Array(n)` kernel's output holds n values per thread)
   * @param length how many float32 values it holds
   */
  constructor(
    readonly buffer: GPUBuffer,
    readonly length: number,
    private readonly dispatcher: WebGpuDispatcher,
  ) {}

  /** Reads the values back (submitting what is recorded first). */
  toArray(): Promise<Float32Array> {
    return this.dispatcher.read(this);
  }

  /** Frees the buffer: back to the pool after the next submit. */
  delete(): void {
    this.dispatcher.release(this.buffer);
  }
}

/** One recorded kernel call. */
interface RecordedCall {
  readonly kernel: object;
  readonly threads: number;
  readonly args: readonly (DispatchedBuffer | number)[];
  readonly output: GPUBuffer;
}

/** Counts of what the dispatcher asked the device for, since it was made. */
export interface DispatchCounts {
  /** Kernel launches (`dispatchWorkgroups`). */
  dispatches: number;
  /** `queue.submit` calls. */
  submits: number;
  /** Buffers created (storage, uniform and read-back); 0 in a warm training loop. */
  buffersCreated: number;
  /** Bind groups created (the rest came from the cache). */
  bindGroupsCreated: number;
  /** Buffers read back to the host (`mapAsync`). */
  readbacks: number;
}

/** Records gpu.js WebGPU kernel calls into shared command encoders. */
export class WebGpuDispatcher {
  /** What was asked of the device (for the benchmark and the tests). */
  readonly counts: DispatchCounts = { dispatches: 0, submits: 0, buffersCreated: 0, bindGroupsCreated: 0, readbacks: 0 };
  private recorded: RecordedCall[] = [];
  /** Kernels gpu.js is building, by kernel. */
  private readonly building = new Map<object, Promise<void>>();
  /** Free storage buffers by byte size (usage STORAGE | COPY_SRC | COPY_DST). */
  private readonly storagePool = new Map<number, GPUBuffer[]>();
  /** Free uniform buffers by byte size. */
  private readonly uniformPool = new Map<number, GPUBuffer[]>();
  /** Free read-back buffers by byte size. */
  private readonly stagingPool = new Map<number, GPUBuffer[]>();
  /** Storage buffers freed since the last submit: pooled again after it. */
  private freedSinceSubmit: GPUBuffer[] = [];
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly objectIds = new WeakMap<object, number>();
  private readonly allBuffers = new Set<GPUBuffer>();
  private nextObjectId = 1;
  private readonly built = new WeakMap<object, BuiltWebGpuKernel>();
  /** The first kernel build that failed (every later call throws it). */
  private failure: Error | null = null;
  /** Read-backs asked for and not submitted yet: their copies go into the next submit. */
  private pendingCopies: Array<{ readonly source: GPUBuffer; readonly staging: GPUBuffer; readonly byteLength: number }> = [];

  /** @param device the device gpu.js compiled its kernels for */
  constructor(readonly device: GPUDevice) {}

  /** A new buffer holding `values` (written now; nothing recorded reads it). */
  upload(values: Float32Array): DispatchedBuffer {
    if (this.recorded.length === 0 && this.pendingCopies.length === 0) this.recycleFreed(); // nothing recorded reads them
    const buffer = this.takeStorage(values.byteLength);
    // a copy on an ArrayBuffer of its own: the caller may hold a view of a SharedArrayBuffer
    this.device.queue.writeBuffer(buffer, 0, new Float32Array(values));
    return new DispatchedBuffer(buffer, values.length, this);
  }

  /**
   * Records `shortcut(...args)` over `threads` threads and returns its output buffer at once (the
   * call runs at the next submit). A kernel not built yet is built first, by one call through gpu.js.
   */
  launch(shortcut: IKernelRunShortcut, threads: number, args: readonly (DispatchedBuffer | number)[]): DispatchedBuffer {
    this.checkFailure();
    const kernel: object = shortcut.kernel;
    if (!isBuilt(kernel) && !this.building.has(kernel)) this.build(kernel, args);
    const componentCount = this.componentCountOf(kernel);
    const length = threads * componentCount;
    const output = this.takeStorage(length * 4);
    this.recorded.push({ kernel, threads, args, output });
    if (this.recorded.length >= MAX_PENDING_DISPATCHES && this.building.size === 0) this.submit();
    return new DispatchedBuffer(output, length, this);
  }

  /** Frees `buffer`: it returns to the pool after the next submit. */
  release(buffer: GPUBuffer): void {
    this.freedSinceSubmit.push(buffer);
  }

  /**
   * Reads `handle` back. The copy is recorded now, so the buffer cannot be reused before the submit
   * that carries it even if its tensor is disposed at once; that submit (with every call recorded
   * before it) happens as soon as no kernel is being built. One submit, one map.
   */
  async read(handle: DispatchedBuffer): Promise<Float32Array> {
    this.checkFailure();
    const byteLength = handle.length * 4;
    const staging = this.take(this.stagingPool, byteLength, MAP_READ | COPY_DST);
    const copy = { source: handle.buffer, staging, byteLength };
    this.pendingCopies.push(copy);
    while (this.building.size > 0) await Promise.all(this.building.values());
    this.checkFailure();
    if (this.pendingCopies.includes(copy)) this.submit(); // else a submit since then carried it
    this.counts.readbacks++;
    await staging.mapAsync(MAP_MODE_READ, 0, byteLength);
    const values = new Float32Array(staging.getMappedRange(0, byteLength).slice(0));
    staging.unmap();
    this.give(this.stagingPool, staging);
    return values;
  }

  /** Submits what is recorded now, unless a kernel is still being built (then the next read or flush will). */
  submitIfBuilt(): void {
    this.checkFailure();
    if (this.building.size === 0) this.submit();
  }

  /** Submits everything recorded and waits until the device has run it. */
  async flush(): Promise<void> {
    while (this.building.size > 0) await Promise.all(this.building.values());
    this.checkFailure();
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
  }

  /**
   * Encodes every recorded call into one compute pass of one encoder, then the copies of the
   * read-backs asked for, and submits it. No kernel may be in the middle of its build.
   */
  submit(): void {
    if (this.building.size > 0) throw new Error('WebGPU dispatcher: submit while a kernel is being built (wait for the build first)');
    if (this.recorded.length === 0 && this.pendingCopies.length === 0) {
      this.recycleFreed();
      return;
    }
    const calls = this.recorded.map((call) => ({ call, built: this.builtKernel(call.kernel) }));
    const encoder = this.device.createCommandEncoder();
    const uniformsInUse: GPUBuffer[] = [];
    if (calls.length > 0) {
      const pass = encoder.beginComputePass();
      for (const { call, built } of calls) {
        const params = this.take(this.uniformPool, built.paramsByteLength, UNIFORM | COPY_DST);
        uniformsInUse.push(params);
        const { groups, dispatchWidth } = built.dispatchFor(call.threads);
        this.device.queue.writeBuffer(params, 0, parameterBlock(built, call, dispatchWidth));
        pass.setPipeline(built.computePipeline);
        pass.setBindGroup(0, this.bindGroupFor(built, params, call));
        pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
        this.counts.dispatches++;
      }
      pass.end();
    }
    for (const copy of this.pendingCopies) encoder.copyBufferToBuffer(copy.source, 0, copy.staging, 0, copy.byteLength);
    this.device.queue.submit([encoder.finish()]);
    this.counts.submits++;
    this.recorded = [];
    this.pendingCopies = [];
    for (const params of uniformsInUse) this.give(this.uniformPool, params);
    this.recycleFreed();
  }

  /** Destroys every buffer the dispatcher made. */
  destroy(): void {
    for (const buffer of this.allBuffers) buffer.destroy();
    this.allBuffers.clear();
    this.storagePool.clear();
    this.uniformPool.clear();
    this.stagingPool.clear();
    this.bindGroups.clear();
    this.recorded = [];
    this.pendingCopies = [];
    this.freedSinceSubmit = [];
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  /**
   * Has gpu.js build `kernel` (WGSL, pipeline, bind-group layout) without running it, from stand-in
   * arrays of the right sizes, then frees the output buffer gpu.js made for its own runs (the
   * dispatcher never uses it). A build that fails is kept and thrown by every later call.
   */
  private build(kernel: object, args: readonly (DispatchedBuffer | number)[]): void {
    const stand = args.map((arg) => (typeof arg === 'number' ? arg : new Float32Array(arg.length)));
    const tracked = buildWithoutRunning(kernel, stand).then(
      () => {
        this.building.delete(kernel);
      },
      (error: unknown) => {
        this.building.delete(kernel);
        this.failure ??= new Error(
          `WebGPU dispatcher: gpu.js could not build a kernel: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
    this.building.set(kernel, tracked);
  }

  /** Throws the first build failure, if any: the recorded calls cannot run without their kernel. */
  private checkFailure(): void {
    if (this.failure !== null) throw this.failure;
  }

  private builtKernel(kernel: object): BuiltWebGpuKernel {
    let built = this.built.get(kernel);
    if (built === undefined) {
      built = readBuiltKernel(kernel);
      this.built.set(kernel, built);
    }
    return built;
  }

  /** n for a kernel returning `Array(n)`, known before it is built from gpu.js's return type. */
  private componentCountOf(kernel: object): number {
    if (isBuilt(kernel)) return this.builtKernel(kernel).componentCount;
    return declaredComponentCount(kernel);
  }

  private bindGroupFor(built: BuiltWebGpuKernel, params: GPUBuffer, call: RecordedCall): GPUBindGroup {
    const arrays = built.arrayArguments.map((slot) => {
      const arg = call.args[slot.index];
      if (!(arg instanceof DispatchedBuffer))
        throw new Error(`WebGPU dispatcher: argument ${slot.index} of a kernel is an array in its WGSL but ${typeof arg} here`);
      return arg.buffer;
    });
    const key = [built.computePipeline, params, ...arrays, call.output].map((object) => this.idOf(object)).join(':');
    const cached = this.bindGroups.get(key);
    if (cached !== undefined) return cached;
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: params } }];
    arrays.forEach((buffer, i) => entries.push({ binding: 1 + i, resource: { buffer } }));
    entries.push({ binding: 1 + arrays.length, resource: { buffer: call.output } });
    const group = this.device.createBindGroup({ layout: built.bindGroupLayout, entries });
    this.counts.bindGroupsCreated++;
    if (this.bindGroups.size >= BIND_GROUP_CACHE_SIZE) {
      const oldest = this.bindGroups.keys().next();
      if (oldest.done !== true) this.bindGroups.delete(oldest.value);
    }
    this.bindGroups.set(key, group);
    return group;
  }

  /** A number naming a pipeline or buffer in bind-group cache keys (stable while the object lives). */
  private idOf(value: object): number {
    let id = this.objectIds.get(value);
    if (id === undefined) {
      id = this.nextObjectId++;
      this.objectIds.set(value, id);
    }
    return id;
  }

  private takeStorage(byteLength: number): GPUBuffer {
    return this.take(this.storagePool, byteLength, STORAGE | COPY_SRC | COPY_DST);
  }

  private take(pool: Map<number, GPUBuffer[]>, byteLength: number, usage: number): GPUBuffer {
    const size = Math.max(4, Math.ceil(byteLength / 4) * 4);
    const free = pool.get(size);
    const reused = free?.pop();
    if (reused !== undefined) return reused;
    const buffer = this.device.createBuffer({ size, usage });
    this.counts.buffersCreated++;
    this.allBuffers.add(buffer);
    return buffer;
  }

  private give(pool: Map<number, GPUBuffer[]>, buffer: GPUBuffer): void {
    const list = pool.get(buffer.size);
    if (list === undefined) pool.set(buffer.size, [buffer]);
    else list.push(buffer);
  }

  private recycleFreed(): void {
    for (const buffer of this.freedSinceSubmit) this.give(this.storagePool, buffer);
    this.freedSinceSubmit = [];
  }
}

/**
 * The uniform block gpu.js's WGSL reads (`params`): the thread counts and the dispatch width, each
 * array argument's extent (x, y, z, count: a flat array is [n, 1, 1, n]) and the scalars.
 */
function parameterBlock(built: BuiltWebGpuKernel, call: RecordedCall, dispatchWidth: number): ArrayBuffer {
  const block = new ArrayBuffer(built.paramsByteLength);
  const u32 = new Uint32Array(block);
  const i32 = new Int32Array(block);
  const f32 = new Float32Array(block);
  u32[0] = call.threads;
  u32[1] = 1;
  u32[2] = 1;
  u32[3] = dispatchWidth;
  for (const slot of built.arrayArguments) {
    const arg = call.args[slot.index];
    const length = arg instanceof DispatchedBuffer ? arg.length : 1;
    const base = slot.dimsOffset / 4;
    u32[base] = length;
    u32[base + 1] = 1;
    u32[base + 2] = 1;
    u32[base + 3] = length;
  }
  for (const slot of built.scalarArguments) {
    const value: unknown = call.args[slot.index];
    const number = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : 0;
    if (slot.type === 'Integer') i32[slot.offset / 4] = number;
    else if (slot.type === 'Boolean') u32[slot.offset / 4] = number === 0 ? 0 : 1;
    else f32[slot.offset / 4] = number;
  }
  return block;
}
