/**
 * The layouts of the webasm kernels in this folder, and the kernels that move a tensor between
 * them: the 2-D transpose, and NCHW to pixel-major.
 *
 * gpu.js's WebAssembly runs four consecutive threads (`this.thread.x` … `x + 3`) at once in SIMD
 * lanes, with `this.thread.y` and `z` the same for all four. The kernels here run on a grid whose x
 * axis is an axis along which their main input is contiguous, so the four lanes read four
 * neighbouring floats (one vector load, with the gpu.js patch) and compute everything else once:
 * - the convolutions put the **example** on the lanes. Their tensors are **batch-last**
 *   `[C, H, W, N]`: NCHW seen as a matrix `[N, C·H·W]`, transposed;
 * - the filter gradient reads dy **pixel-major** `[H, W, K, N]`, so that the values of four
 *   neighbouring channels at a pixel lie N floats apart (`conv2d-backprop-filter.ts`);
 * - the matrix product puts the **output column** on the lanes, reading b `[k, n]` along its rows
 *   (a b read transposed is transposed first).
 * In core's NCHW layout four neighbouring outputs differ in their pixel, and sometimes in their
 * row or channel, so each lane would compute its own index and bounds checks and read alone.
 * @module
 */
import type { KernelThis } from '../kernel-this.js';

/** The extents of the matrix being transposed. */
export interface TransposeConstants {
  readonly rows: number;
  readonly columns: number;
}

/**
 * Grid `[rows, columns]`: out[j·rows + i] = x[i·columns + j], the `[rows, columns]` matrix x as its
 * transpose `[columns, rows]`. NCHW → batch-last is `[N, C·H·W]` → `[C·H·W, N]`, and back.
 */
export function transposeKernel(this: KernelThis<TransposeConstants>, x: Float32Array): number {
  return x[this.thread.x * this.constants.columns + this.thread.y];
}

/** The extents of the NCHW tensor `[N, C, P]` (P = H·W) moved to pixel-major. */
export interface PixelMajorConstants {
  readonly channels: number;
  readonly pixels: number;
}

/** Grid `[N, C, P]`: out[(p·C + c)·N + n] = x[(n·C + c)·P + p], NCHW `[N, C, H, W]` as pixel-major `[H, W, C, N]`. */
export function pixelMajorKernel(this: KernelThis<PixelMajorConstants>, x: Float32Array): number {
  return x[(this.thread.x * this.constants.channels + this.thread.y) * this.constants.pixels + this.thread.z];
}
