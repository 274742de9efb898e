/**
 * The GPU.js modes this backend can run in, and the gpu.js kernel class that proves each one ran.
 *
 * gpu.js falls back silently (a `mode: 'gpu'` kernel without a GL context quietly becomes a
 * WebAssembly kernel), so the backend never trusts the mode it asked for: after a kernel's first
 * run it reads the class of the kernel that actually ran and compares it with
 * {@link KERNEL_CLASS_BY_MODE}.
 * @module
 */

/** A mode that names one gpu.js runtime. */
export type ConcreteGpuMode = 'webgpu' | 'headlessgl' | 'webgl2' | 'webgl' | 'webasm' | 'cpu';

/** What a caller may ask for: a concrete mode, or `auto` (the fastest one available, see `chooseAutoMode`). */
export type GpuMode = 'auto' | ConcreteGpuMode;

/** Every concrete mode, in the order `auto` considers them. */
export const CONCRETE_GPU_MODES: readonly ConcreteGpuMode[] = ['webgpu', 'headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu'];

/** Every mode a caller may ask for. */
export const GPU_MODES: readonly GpuMode[] = ['auto', ...CONCRETE_GPU_MODES];

/** The gpu.js kernel class (`kernel.kernel.constructor.name`) that runs each mode. */
export const KERNEL_CLASS_BY_MODE: Readonly<Record<ConcreteGpuMode, string>> = {
  webgpu: 'WebGPUKernel',
  headlessgl: 'HeadlessGLKernel',
  webgl2: 'WebGL2Kernel',
  webgl: 'WebGLKernel',
  webasm: 'WebAssemblyKernel',
  cpu: 'CPUKernel',
};

/** The shading language (or code) gpu.js generates in each mode. */
export const SHADER_LANGUAGE_BY_MODE: Readonly<Record<ConcreteGpuMode, string>> = {
  webgpu: 'WGSL',
  headlessgl: 'GLSL ES 1.00',
  webgl2: 'GLSL ES 3.00',
  webgl: 'GLSL ES 1.00',
  webasm: 'WebAssembly',
  cpu: 'JavaScript',
};

/** Whether `value` names a mode, for parsing command lines and environment variables. */
export function isGpuMode(value: string): value is GpuMode {
  return (GPU_MODES as readonly string[]).includes(value);
}

/** Whether `value` names a concrete mode. */
export function isConcreteGpuMode(value: string): value is ConcreteGpuMode {
  return (CONCRETE_GPU_MODES as readonly string[]).includes(value);
}
