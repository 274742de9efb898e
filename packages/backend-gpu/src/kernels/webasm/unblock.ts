/**
 * The register-blocked kernels (`conv2d.ts`, `conv2d-backprop-input.ts`) compute four channels per
 * thread, and a thread's four values lie side by side: their output is **blocked batch-last**
 * `[⌈K/4⌉, P, N, 4]` (channel k = 4·q + r of pixel p of example n at `((q·P + p)·N + n)·4 + r`).
 * This kernel moves it to NCHW `[N, K, P]`, and adds the fused epilogue (bias and activation,
 * `../epilogue.ts`) on the way, as the NCHW kernels do after their sums.
 * @module
 */
import type { EpilogueConstants } from '../epilogue.js';
import type { KernelThis } from '../kernel-this.js';

/** The extents of a blocked batch-last tensor: N, K and P. */
export interface UnblockConstants {
  readonly batch: number;
  readonly channels: number;
  readonly pixels: number;
}

/**
 * Grid `[K·P, N]`: out[n, k, p] = f(blocks[((⌊k/4⌋·P + p)·N + n)·4 + k mod 4] + bias[k]).
 * `bias` is `blocks` itself when there is no bias (never read then).
 */
export function unblockKernel(this: KernelThis<UnblockConstants & EpilogueConstants>, blocks: Float32Array, bias: Float32Array): number {
  const k = Math.floor((this.thread.x + 0.5) / this.constants.pixels) | 0;
  const p = this.thread.x - k * this.constants.pixels;
  const q = Math.floor((k + 0.5) / 4) | 0;
  const z = blocks[((q * this.constants.pixels + p) * this.constants.batch + this.thread.y) * 4 + k - q * 4];
  return this.fusedEpilogue(z, bias[k]);
}
