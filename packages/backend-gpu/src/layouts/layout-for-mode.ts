/**
 * Which kernel set (`layout-kernels.ts`) a mode runs, decided once when `GpuBackend` is made.
 * @module
 */
import type { KernelLauncher } from '../kernel-launcher.js';
import type { ConcreteGpuMode } from '../mode.js';
import { BatchLastKernels } from './batch-last.js';
import type { LayoutKernels } from './layout-kernels.js';
import { NchwKernels } from './nchw.js';

/**
 * The kernel set of `mode`'s layout, launching through `launcher`: webasm's batch-last kernels
 * (examples on the SIMD lanes), or the NCHW kernels every other mode runs. Reductions are split
 * below `minimumThreads` outputs.
 */
export function layoutKernelsFor(mode: ConcreteGpuMode, launcher: KernelLauncher, minimumThreads: number): LayoutKernels {
  return mode === 'webasm' ? new BatchLastKernels(launcher) : new NchwKernels(launcher, minimumThreads);
}
