/**
 * The parts of a built gpu.js 2.24.1 `WebGPUKernel` that the {@link WebGpuDispatcher} reuses: the
 * compute pipeline and bind-group layout gpu.js made from its WGSL, and the layout of the uniform
 * parameters its shader reads (thread counts, each array argument's extent, the scalars).
 *
 * gpu.js types none of these, so they are read here, once, with a check of each field: a gpu.js
 * that lays them out differently fails with this module's error, not with a wrong result.
 * @module
 */

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

function field(kernel: object, name: string): unknown {
  return Reflect.get(kernel, name);
}

function fail(what: string): never {
  throw new Error(`gpu.js WebGPUKernel: ${what}; the WebGPU dispatcher is written against gpu.js 2.24.1's kernel fields`);
}

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function numberField(record: object, name: string, where: string): number {
  const value = Reflect.get(record, name);
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
  const arrays = Reflect.get(layout, 'arrayArgs');
  const scalars = Reflect.get(layout, 'scalarArgs');
  const constants = Reflect.get(layout, 'bufferConstants');
  if (!Array.isArray(arrays) || !Array.isArray(scalars) || !Array.isArray(constants)) fail('paramsLayout has no arrayArgs, scalarArgs or bufferConstants');
  if (constants.length > 0) fail('array constants are not supported by the dispatcher (this package passes arrays as arguments)');
  if (Reflect.get(layout, 'randomSeedOffset') !== null) fail('Math.random in a kernel is not supported by the dispatcher');
  const arrayArguments = arrays.map((slot: unknown): ArrayArgumentSlot => {
    if (!isRecord(slot)) fail('an arrayArgs entry is not an object');
    return { index: numberField(slot, 'index', 'arrayArgs[]'), dimsOffset: numberField(slot, 'dimsOffset', 'arrayArgs[]') };
  });
  const scalarArguments = scalars.map((slot: unknown): ScalarArgumentSlot => {
    if (!isRecord(slot)) fail('a scalarArgs entry is not an object');
    const type = Reflect.get(slot, 'type');
    return { index: numberField(slot, 'index', 'scalarArgs[]'), offset: numberField(slot, 'offset', 'scalarArgs[]'), type: typeof type === 'string' ? type : 'Float' };
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
      const groups = Reflect.get(result, 'groups');
      if (!Array.isArray(groups) || groups.length !== 3 || !groups.every((g) => typeof g === 'number')) fail('_computeDispatch returned no groups');
      return { groups: [groups[0], groups[1], groups[2]], dispatchWidth: numberField(result, 'dispatchWidth', '_computeDispatch()') };
    },
  };
}

/** The `GPUDevice` of a built kernel (gpu.js shares one per process). */
export function deviceOf(kernel: object): GPUDevice {
  const context = field(kernel, 'context');
  const device = isRecord(context) ? Reflect.get(context, 'device') : undefined;
  if (!isRecord(device) || typeof Reflect.get(device, 'createBuffer') !== 'function') fail('context.device is missing');
  return device as GPUDevice;
}
