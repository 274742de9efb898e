/**
 * The batch-last layout `[C,H,W,N]` of the WebAssembly convolutions, and the two kernels that move a
 * tensor into it and back.
 *
 * gpu.js's WebAssembly runs four consecutive threads at once in SIMD lanes. Four threads that differ
 * only in the example n read four neighbouring floats of a batch-last tensor, which is one vector
 * load, and everything else they compute (the pixel, the channel, the window, which filter weight)
 * is the same for all four, which is one scalar computation. In core's NCHW layout four neighbouring
 * outputs differ in their pixel, and sometimes in their row or channel, so each lane computes its
 * own index and its own bounds checks, and reads its element on its own. So in webasm the
 * convolutions move their inputs to `[C,H,W,N]`, run on a grid of threads `[N, …]` (thread.x is n,
 * the lane axis), and move the result back; everything else stays NCHW.
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';

/** How many examples, and the size of one example (C·H·W). */
export interface BatchLastConstants {
  readonly batch: number;
  readonly exampleSize: number;
}

/** Grid `[N, C·H·W]`: out[s·N + n] = x[n·(C·H·W) + s], NCHW `[N, C, H, W]` → batch-last `[C, H, W, N]`. */
export function toBatchLastKernel(this: IKernelFunctionThis<BatchLastConstants>, x: Float32Array): number {
  return x[this.thread.x * this.constants.exampleSize + this.thread.y];
}

/** Grid `[C·H·W, N]`: out[n·(C·H·W) + s] = t[s·N + n], batch-last `[C, H, W, N]` → NCHW `[N, C, H, W]`. */
export function fromBatchLastKernel(this: IKernelFunctionThis<BatchLastConstants>, t: Float32Array): number {
  return t[this.thread.x * this.constants.batch + this.thread.y];
}
