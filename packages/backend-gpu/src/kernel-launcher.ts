/**
 * Launching a kernel over tensors, the one path every op of `GpuBackend` and of `webasm-kernels.ts`
 * takes: each input's stored value is looked up, the kernel runs once they are all there (WebGPU
 * and threaded webasm hand out promises), the inputs are kept alive while the kernel is queued, and
 * its output is registered as a new buffer.
 * @module
 */
import type { DataId, GradientEpilogue, TensorInfo } from '@lenet/core';
import { gradientEpilogueArguments, gradientEpilogueConstants, type GradientEpilogueConstants } from './kernels/gradient-epilogue.js';
import type { BufferStore, StoredEntry } from './runtime/buffer-store.js';
import { toStoredValue, type StoredValue } from './runtime/device-value.js';
import { isSettled, whenAll, type Eventually } from './runtime/eventually.js';
import { threadCount, type KernelArgument, type KernelFunction, type KernelRunner, type KernelThreads } from './runtime/kernel-runner.js';

/** One input of a launch: a stored tensor, a scalar, or host values (an upload's copy kernel). */
export type LaunchInput = TensorInfo | number | Float32Array;

/** Runs kernels over the tensors of one store with one runner. */
export class KernelLauncher {
  constructor(
    private readonly store: BufferStore,
    private readonly runner: KernelRunner,
  ) {}

  /** Runs `kernel` over `threads` with `constants` baked in, and registers its output as a new buffer. */
  launch<C extends object>(kernel: KernelFunction<C>, constants: C, threads: KernelThreads, inputs: readonly LaunchInput[]): DataId {
    const entries = inputs.map((input) =>
      typeof input === 'number' || input instanceof Float32Array ? input : this.store.entry(input.dataId, kernel.name),
    );
    const readers = entries.filter((entry): entry is StoredEntry => typeof entry !== 'number' && !(entry instanceof Float32Array));
    const values: Eventually<KernelArgument>[] = entries.map((entry) => {
      if (typeof entry === 'number') return entry;
      if (entry instanceof Float32Array) return { value: entry, size: entry.length };
      const { value, size } = entry;
      return isSettled(value) ? { value, size } : value.then((settled) => ({ value: settled, size }));
    });
    const result = whenAll(values, (args) => this.run(kernel, constants, threads, args));
    if (result instanceof Promise) {
      // The kernel is queued behind a promise (WebGPU, threaded webasm): its inputs must outlive
      // it even if they are disposed meanwhile.
      this.store.holdUntil(readers, result);
    }
    return this.store.register(result, threadCount(threads));
  }

  /**
   * {@link launch} for a kernel that takes a gradient epilogue (`kernels/gradient-epilogue.ts`): its
   * constants, and its two trailing arguments after `inputs` (the epilogue's tensor and learning rate).
   */
  launchWithEpilogue<C extends object>(
    kernel: KernelFunction<C & GradientEpilogueConstants>,
    constants: C,
    threads: KernelThreads,
    inputs: readonly [TensorInfo, ...TensorInfo[]],
    epilogue: GradientEpilogue | undefined,
  ): DataId {
    const withEpilogue = { ...constants, ...gradientEpilogueConstants(epilogue) };
    return this.launch(kernel, withEpilogue, threads, [...inputs, ...gradientEpilogueArguments(epilogue, inputs[0])]);
  }

  /** Frees a buffer (once the kernels queued on it have run). */
  dispose(dataId: DataId): void {
    this.store.dispose(dataId);
  }

  private run<C extends object>(
    kernel: KernelFunction<C>,
    constants: C,
    threads: KernelThreads,
    args: readonly KernelArgument[],
  ): Eventually<StoredValue> {
    const result = this.runner.run(kernel, constants, threads, args);
    if (result instanceof Promise) {
      return result.then((value: unknown) => toStoredValue(value, kernel.name));
    }
    return toStoredValue(result, kernel.name);
  }
}
