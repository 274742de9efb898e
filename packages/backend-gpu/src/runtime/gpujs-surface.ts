/**
 * Everything this package reads of gpu.js 2.24.1 beyond its typed API, in one module, each field
 * checked: a gpu.js that lays them out differently fails with this module's error, not with a
 * wrong result. The rest of the package calls these typed functions and never reaches into gpu.js.
 *
 * - for every mode: calling a compiled kernel, its generated source, why gpu.js fell back to another
 *   mode, waiting for its device, and recognising and freeing what `pipeline: true` returns;
 * - for the {@link WebGpuDispatcher}: building a `WebGPUKernel` without running it, and the parts of
 *   the built kernel it reuses (the compute pipeline and bind-group layout gpu.js made from its WGSL,
 *   and the layout of the uniform parameters its shader reads: thread counts, each array argument's
 *   extent, the scalars).
 * @module
 */
// Imported under another name: a binding named WebAssemblyKernel (or `ns.WebAssemblyKernel` of a
// namespace import) makes esbuild rename gpu.js's own class in a browser bundle to
// WebAssemblyKernel2, and the mode check reads the kernel's class name
import { type IKernelRunShortcut, WebAssemblyKernel as GpuJsWebAssemblyKernel } from 'gpu.js';

/** Where an array argument's extent goes in the parameters (`params.user_<name>_dims`). */
export interface ArrayArgumentSlot {
  /** The argument's position in the kernel call. */
  readonly index: number;
  /** Byte offset of its `vec4<u32>` (x, y, z extent, element count). */
  readonly dimsOffset: number;
}

/** Where a scalar argument goes in the parameters. */
export interface ScalarArgumentSlot {
  /** The argument's position in the kernel call. */
  readonly index: number;
  /** Byte offset of its value. */
  readonly offset: number;
  /** gpu.js's type: `Integer` and `Boolean` are written as integers, anything else as f32. */
  readonly type: string;
}

/** What the dispatcher needs of a built kernel. */
export interface BuiltWebGpuKernel {
  readonly computePipeline: GPUComputePipeline;
  readonly bindGroupLayout: GPUBindGroupLayout;
  /** Size of the uniform parameter block in bytes. */
  readonly paramsByteLength: number;
  readonly arrayArguments: readonly ArrayArgumentSlot[];
  readonly scalarArguments: readonly ScalarArgumentSlot[];
  /** 1 for a kernel returning a number, n for `Array(n)`. */
  readonly componentCount: number;
  /** Workgroup counts and the dispatch width (threads per dispatch row of a 1-D kernel) for `threads`. */
  dispatchFor(threads: number): { readonly groups: readonly [number, number, number]; readonly dispatchWidth: number };
}

function field(object: object, name: string): unknown {
  return Reflect.get(object, name);
}

function fail(what: string): never {
  throw new Error(`gpu.js kernel: ${what}; this package is written against gpu.js 2.24.1's kernel fields`);
}

/** Calls `method` of `object` if it has one; says whether it did. */
function callMethod(object: unknown, name: string): { called: boolean; result: unknown } {
  if (!isRecord(object)) return { called: false, result: undefined };
  const method = field(object, name);
  if (typeof method !== 'function') return { called: false, result: undefined };
  return { called: true, result: Reflect.apply(method, object, []) };
}

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function numberField(record: object, name: string, where: string): number {
  const value = field(record, name);
  if (typeof value !== 'number') fail(`${where}.${name} is ${typeof value}, not a number`);
  return value;
}

/** Whether gpu.js has built `kernel` (compiled its WGSL and made its pipeline). */
export function isBuilt(kernel: object): boolean {
  return field(kernel, 'built') === true;
}

/**
 * Reads the fields of a built `WebGPUKernel`.
 * @throws Error naming the field when one is missing or of another type
 */
export function readBuiltKernel(kernel: object): BuiltWebGpuKernel {
  if (!isBuilt(kernel)) fail('the kernel is not built yet');
  const computePipeline = field(kernel, 'computePipeline');
  const bindGroupLayout = field(kernel, 'bindGroupLayout');
  const layout = field(kernel, 'paramsLayout');
  const componentCount = field(kernel, 'componentCount');
  const computeDispatch = field(kernel, '_computeDispatch');
  if (!isRecord(computePipeline) || !isRecord(bindGroupLayout)) fail('computePipeline or bindGroupLayout is missing');
  if (!isRecord(layout)) fail('paramsLayout is missing');
  if (typeof componentCount !== 'number') fail('componentCount is missing');
  if (typeof computeDispatch !== 'function') fail('_computeDispatch is missing');
  const arrays = field(layout, 'arrayArgs');
  const scalars = field(layout, 'scalarArgs');
  const constants = field(layout, 'bufferConstants');
  if (!Array.isArray(arrays) || !Array.isArray(scalars) || !Array.isArray(constants))
    fail('paramsLayout has no arrayArgs, scalarArgs or bufferConstants');
  if (constants.length > 0) fail('array constants are not supported by the dispatcher (this package passes arrays as arguments)');
  if (field(layout, 'randomSeedOffset') !== null) fail('Math.random in a kernel is not supported by the dispatcher');
  const arrayArguments = arrays.map((slot: unknown): ArrayArgumentSlot => {
    if (!isRecord(slot)) fail('an arrayArgs entry is not an object');
    return { index: numberField(slot, 'index', 'arrayArgs[]'), dimsOffset: numberField(slot, 'dimsOffset', 'arrayArgs[]') };
  });
  const scalarArguments = scalars.map((slot: unknown): ScalarArgumentSlot => {
    if (!isRecord(slot)) fail('a scalarArgs entry is not an object');
    const type = field(slot, 'type');
    return {
      index: numberField(slot, 'index', 'scalarArgs[]'),
      offset: numberField(slot, 'offset', 'scalarArgs[]'),
      type: typeof type === 'string' ? type : 'Float',
    };
  });
  return {
    computePipeline: computePipeline as GPUComputePipeline,
    bindGroupLayout: bindGroupLayout as GPUBindGroupLayout,
    paramsByteLength: numberField(layout, 'byteLength', 'paramsLayout'),
    arrayArguments,
    scalarArguments,
    componentCount,
    dispatchFor(threads: number) {
      const result: unknown = Reflect.apply(computeDispatch, kernel, [[threads, 1, 1]]);
      if (!isRecord(result)) fail('_computeDispatch returned no object');
      const groups = field(result, 'groups');
      if (!Array.isArray(groups) || groups.length !== 3 || !groups.every((g) => typeof g === 'number'))
        fail('_computeDispatch returned no groups');
      return { groups: [groups[0], groups[1], groups[2]], dispatchWidth: numberField(result, 'dispatchWidth', '_computeDispatch()') };
    },
  };
}

/** The `GPUDevice` of a built kernel (gpu.js shares one per process). */
export function deviceOf(kernel: object): GPUDevice {
  const context = field(kernel, 'context');
  const device = isRecord(context) ? field(context, 'device') : undefined;
  if (!isRecord(device) || typeof field(device, 'createBuffer') !== 'function') fail('context.device is missing');
  return device as GPUDevice;
}

// ---- every mode -------------------------------------------------------------------------------

/**
 * Runs a compiled kernel on its arguments (arrays, device handles, scalars), as gpu.js's shortcut
 * does when called. gpu.js types its arguments loosely; what it returns depends on the mode
 * (a texture, a WebGPU buffer result, an array, or a promise of one).
 */
export function callKernel(shortcut: IKernelRunShortcut, args: readonly unknown[]): unknown {
  return Reflect.apply(shortcut, undefined, args);
}

/**
 * webasm: gives a kernel's output array back to gpu.js's WebAssembly backend once no tensor holds
 * it, so that a later kernel with an output of the same length writes into it instead of a fresh
 * array (`WebAssemblyKernel.recycleOutput`, added by the patch). Without it a training run
 * allocates megabytes per kernel call outside the JS heap, which fragmented glibc's heap (the
 * process grew past 700 MiB). gpu.js's browser build, which the patch does not reach, has no such
 * method: the array is then left to the garbage collector.
 */
export function recycleWebAssemblyOutput(array: Float32Array): void {
  if (typeof GpuJsWebAssemblyKernel.recycleOutput === 'function') {
    GpuJsWebAssemblyKernel.recycleOutput(array);
  }
}

/**
 * webasm: a Float32Array of `length` for an upload to copy values into, taken from the arrays
 * {@link recycleWebAssemblyOutput} gave back when one has that length (`WebAssemblyKernel.takeOutput`,
 * added by the patch), else a fresh one: a training step's batch then reuses the last one's array
 * instead of leaving it to the garbage collector.
 */
export function takeWebAssemblyArray(length: number): Float32Array {
  return typeof GpuJsWebAssemblyKernel.takeOutput === 'function' ? GpuJsWebAssemblyKernel.takeOutput(length) : new Float32Array(length);
}

/**
 * The output of a webasm kernel run over a grid of threads as one flat array (x fastest). The
 * patched gpu.js hands it back so (`flatOutput`); its browser build, which the patch does not
 * reach, as rows: `subarray`s of one fresh `Float32Array` that holds every output, which is
 * returned here without a copy.
 * @throws Error if the output is not one array, or views of one array, of exactly `size` values from its start
 */
export function gridResultData(rows: unknown, size: number): Float32Array {
  let first: unknown = rows;
  while (Array.isArray(first)) first = first[0];
  if (!(first instanceof Float32Array) || first.byteOffset !== 0 || first.buffer.byteLength !== size * 4) {
    fail(`a grid kernel's output is not rows of one Float32Array of ${size} values`);
  }
  return first.length === size ? first : new Float32Array(first.buffer, 0, size);
}

/**
 * The source gpu.js generated for a compiled kernel: its WGSL (`compiledSource`) or GLSL fragment
 * shader (`compiledFragmentShader`), or null where it has none (webasm builds WebAssembly bytes).
 */
export function generatedSource(kernel: object): string | null {
  for (const name of ['compiledSource', 'compiledFragmentShader']) {
    const source = field(kernel, name);
    if (typeof source === 'string') return source;
  }
  return null;
}

/** Why gpu.js compiled a kernel for another mode than the one asked for, when it says. */
export function fallbackReason(kernel: object): string | null {
  const reason = field(kernel, 'fallbackReason');
  return typeof reason === 'string' ? reason : null;
}

/**
 * Waits until the device behind a compiled kernel has executed everything submitted to it:
 * `gl.finish()` in the WebGL modes, `queue.onSubmittedWorkDone()` in WebGPU.
 * @returns false where the kernel has no such device (webasm, cpu)
 */
export async function finishDevice(kernel: object): Promise<boolean> {
  const context = field(kernel, 'context');
  if (!isRecord(context)) return false;
  if (callMethod(context, 'finish').called) return true;
  const device = field(context, 'device');
  const queue = isRecord(device) ? field(device, 'queue') : undefined;
  const done = callMethod(queue, 'onSubmittedWorkDone');
  if (done.called) await done.result;
  return done.called;
}

/** The part of a gpu.js pipeline result (texture or WebGPU buffer) this backend uses. */
export interface DeviceHandle {
  /** Reads the values back: an array at once (WebGL) or a promise of one (WebGPU). */
  toArray(): unknown;
  /** Frees the texture or buffer. */
  delete(): void;
}

/** Whether `value` is a gpu.js texture or WebGPU buffer result. */
export function isDeviceHandle(value: unknown): value is DeviceHandle {
  return isRecord(value) && typeof field(value, 'toArray') === 'function' && typeof field(value, 'delete') === 'function';
}

/** Frees what a kernel returned when it is a device handle; anything else needs nothing. */
export function releaseResult(result: unknown): void {
  if (isDeviceHandle(result)) result.delete();
}

// ---- the WebGPU dispatcher ----------------------------------------------------------------------

/**
 * Has gpu.js build a `WebGPUKernel` (WGSL, pipeline, bind-group layout) from stand-in arguments
 * without running it, then frees the output buffer gpu.js made for its own runs.
 */
export async function buildWithoutRunning(kernel: object, standIns: readonly unknown[]): Promise<void> {
  const build = field(kernel, 'build');
  if (typeof build !== 'function') fail('WebGPUKernel has no build()');
  await Reflect.apply(build, kernel, standIns);
  callMethod(field(kernel, 'outputBuffer'), 'destroy');
  Reflect.set(kernel, 'outputBuffer', null);
}

/** n for a kernel returning `Array(n)` (2 to 4), 1 for one returning a number; known before it is built. */
export function declaredComponentCount(kernel: object): number {
  const returnType = field(kernel, 'returnType');
  const match = typeof returnType === 'string' ? /^Array\(([234])\)$/.exec(returnType) : null;
  return match === null ? 1 : Number(match[1]);
}
