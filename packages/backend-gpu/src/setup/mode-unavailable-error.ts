/**
 * The one error this package throws when a mode cannot run here: it names the mode, says why,
 * and says how to get it. The backend never falls back to another mode on its own.
 * @module
 */
import type { GpuMode } from '../mode.js';

/**
 * Thrown by `createGpuBackend` when the requested mode is not available.
 * @example
 * // GpuModeUnavailableError: gpu.js mode "headlessgl" is not available: headless-gl needs an X
 * // display and DISPLAY is not set. To get it: run under `xvfb-run -a`, or install Xvfb ...
 */
export class GpuModeUnavailableError extends Error {
  /** The error's class name, as `Error.name`. */
  override readonly name = 'GpuModeUnavailableError';

  /**
   * @param mode the mode that was asked for
   * @param reason why it cannot run here
   * @param remedy what to do to get it
   */
  constructor(
    readonly mode: GpuMode,
    readonly reason: string,
    readonly remedy: string,
  ) {
    super(`gpu.js mode "${mode}" is not available: ${reason}. To get it: ${remedy}`);
  }
}

/**
 * Thrown when gpu.js ran a kernel in another mode than the one asked for (gpu.js falls back
 * silently, so the backend checks the class of every kernel it compiles).
 */
export class GpuModeFallbackError extends Error {
  /** The error's class name, as `Error.name`. */
  override readonly name = 'GpuModeFallbackError';

  /**
   * @param kernelName the kernel function that was compiled
   * @param expectedClass the gpu.js kernel class of the requested mode
   * @param actualClass the class that actually ran
   * @param fallbackReason gpu.js's own reason, when it gives one
   */
  constructor(
    readonly kernelName: string,
    readonly expectedClass: string,
    readonly actualClass: string,
    readonly fallbackReason: string | null,
  ) {
    super(
      `gpu.js ran kernel ${kernelName} as ${actualClass} instead of ${expectedClass}` +
        (fallbackReason === null ? '' : ` (${fallbackReason})`) +
        '; this backend does not fall back silently: choose that mode explicitly or fix the kernel',
    );
  }
}
