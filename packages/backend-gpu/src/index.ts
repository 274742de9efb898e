/**
 * `@lenet/backend-gpu`: core's kernels in GPU.js — GLSL and WGSL shaders (or WebAssembly), with
 * the data kept on the device between ops.
 *
 * @example
 * import { createGpuBackend } from '@lenet/backend-gpu';
 * const backend = await createGpuBackend({ mode: 'auto' });
 * console.log(backend.mode, backend.device, backend.reason);
 * @module
 */
export { createGpuBackend, chooseAutoMode, prepareMode, type CreateGpuBackendOptions, type ModeProbe } from './create-gpu-backend.js';
export {
  KernelRunner,
  type CompiledKernel,
  type KernelArgument,
  type KernelArrayArgument,
  type KernelFunction,
  type KernelQuad,
  type KernelRunnerOptions,
  type KernelThreads,
} from './runtime/kernel-runner.js';
export type { DeviceHandle, StoredValue } from './runtime/device-value.js';
export { DispatchedBuffer, MAX_PENDING_DISPATCHES, WebGpuDispatcher, type DispatchCounts } from './runtime/webgpu-dispatcher.js';
export { GpuBackend, type GpuBackendSettings } from './gpu-backend.js';
export {
  CONCRETE_GPU_MODES,
  GPU_MODES,
  KERNEL_CLASS_BY_MODE,
  SHADER_LANGUAGE_BY_MODE,
  isConcreteGpuMode,
  isGpuMode,
  type ConcreteGpuMode,
  type GpuMode,
} from './mode.js';
export { GpuModeFallbackError, GpuModeUnavailableError } from './setup/mode-unavailable-error.js';
export { isSoftwareRenderer } from './setup/software-renderer.js';
export { flatIndexOfNchw, nchwOfFlatIndex, MAX_EXACT_INDEX, type NchwIndex } from './layout.js';
export { kernelSource, formatKernelSource, type KernelSourceListing } from './cli/kernel-source.js';
export { kernelNames, isKernelName, type KernelEntry, type KernelName } from './kernel-table.js';
import { KERNELS as KERNEL_FUNCTIONS, type KernelEntry, type KernelName } from './kernel-table.js';
/**
 * The one kernel table (`kernel-table.ts`): every GPU.js kernel function by short name, with what it
 * computes. Inside the package each entry keeps its kernel's own function type; here it is a plain
 * entry, so the API pages list it without each kernel's constants interface.
 */
export const KERNELS: Readonly<Record<KernelName, KernelEntry>> = KERNEL_FUNCTIONS;
export type { KernelSourceFunction } from './kernels/kernel-splice.js';
