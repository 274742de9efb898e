/**
 * headless-gl and Dawn (the `webgpu` package) cannot share one process: gl drives Mesa through
 * GLX, Dawn through EGL, and whichever comes second fails (Dawn finds no adapter, or the next gl
 * call kills the process with an X `BadAccess` error). The first of them to start claims the
 * process; asking for the other afterwards is a clear error instead of a crash. The claim lives
 * on `globalThis`, so two copies of this package in one process still see each other.
 * @module
 */
import { GpuModeUnavailableError } from './mode-unavailable-error.js';

/** The two native graphics stacks that exclude each other. */
export type NativeGraphicsStack = 'webgpu' | 'headlessgl';

const CLAIM_KEY = Symbol.for('@lenet/backend-gpu/native-graphics-claim');

/** Which stack this process has started, if any. */
export function nativeGraphicsClaim(): NativeGraphicsStack | null {
  const claim: unknown = Reflect.get(globalThis, CLAIM_KEY);
  return claim === 'webgpu' || claim === 'headlessgl' ? claim : null;
}

/**
 * Claims the process for `stack`, or throws if the other stack already runs here.
 * @throws GpuModeUnavailableError naming both stacks and how to separate them.
 */
export function claimNativeGraphics(stack: NativeGraphicsStack): void {
  const current = nativeGraphicsClaim();
  if (current !== null && current !== stack) {
    throw new GpuModeUnavailableError(
      stack,
      `this process already started ${current} (${current === 'webgpu' ? 'Dawn over EGL' : 'headless-gl over GLX'}), ` +
        'and headless-gl and Dawn cannot share one process (the second one fails or crashes it)',
      "run the two modes in separate processes (separate test files under vitest's default forks pool, or separate node commands)",
    );
  }
  Reflect.set(globalThis, CLAIM_KEY, stack);
}
