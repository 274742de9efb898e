/**
 * ∂L/∂w_rot of formula (1) in the batch-last layout (`transpose.ts`): each thread sums one example's
 * contribution to one filter element of four filters at once (register blocking, as `conv2d.ts`),
 * so the four lanes of a SIMD quad read four neighbouring floats of a and of dz, and each value of
 * a read is used four times. The sum over the examples follows (`sum-blocked-examples.ts`, which
 * takes the gradient epilogue). Symbols as in backend-cpu's `conv2d-backprop-filter.ts`; `| 0` as in
 * `conv2d.ts`.
 *
 * A thread sums over one block of output rows, not over all of them ({@link filterGradientRowBlocks}):
 * the threads of neighbouring examples read the same cache lines (a line holds 16 examples), and
 * a large map (C1's 28×28) walked whole by one thread evicts them before the next thread reads
 * them; C1's gradient ran 4× slower per multiply-add than C3's before the split.
 * @module
 */
import type { WindowExtents, WindowInfo } from '@lenet/core';
import type { KernelQuad } from '../../runtime/kernel-runner.js';
import type { KernelThis } from '../kernel-this.js';

/** How many output rows one thread sums over, and how many such blocks cover the map. */
export interface RowBlocks {
  readonly rowsPerBlock: number;
  readonly rowBlocks: number;
}

/**
 * The row blocks of a convolution's filter gradient: about 200 output pixels per block (a block
 * reads 5 cache lines per pixel, so the lines of 200 pixels stay in a 2 MiB L2 cache that a
 * 1 KiB stride uses a sixteenth of), one row at least.
 */
export function filterGradientRowBlocks(info: WindowInfo): RowBlocks {
  const rowsPerBlock = Math.max(1, Math.min(info.outHeight, Math.floor(200 / info.outWidth)));
  return { rowsPerBlock, rowBlocks: Math.ceil(info.outHeight / rowsPerBlock) };
}

/**
 * Grid `[N, B·kh·kw, ⌈K/4⌉·C, 4]` for B = rowBlocks, output blocked `[⌈K/4⌉, C, B, kh, kw, N, 4]`
 * (`sum-blocked-examples.ts` sums over B and N); a is `[C, H, W, N]`, dz pixel-major
 * `[outH, outW, K, N]` (`transpose.ts`: the four filters' values of a pixel lie N floats apart):
 * `dw_{n,b}[k,c](u, v) = Σ_{x in block b} Σ_y a[c, x·sh + u − ph, y·sw + v − pw, n] · dz[x, y, k, n]`
 * for the block's filters k = 4·q … 4·q + 3 (past the last filter, the last one again, never read).
 */
export function conv2dBackpropFilterBatchLastKernel(
  this: KernelThis<WindowExtents & RowBlocks>,
  a: Float32Array,
  dz: Float32Array,
): KernelQuad {
  const filterArea = this.constants.kernelHeight * this.constants.kernelWidth;
  const b = Math.floor((this.thread.y + 0.5) / filterArea) | 0;
  const uv = this.thread.y - b * filterArea;
  const u = Math.floor((uv + 0.5) / this.constants.kernelWidth) | 0;
  const v = uv - u * this.constants.kernelWidth;
  const q = Math.floor((this.thread.z + 0.5) / this.constants.inChannels) | 0;
  const c = this.thread.z - q * this.constants.inChannels;
  const k0 = q * 4;
  // dz[·, ·, k0 + i] lies filterStep_i after dz[·, ·, k0] (past the last filter, the last one's)
  const n = this.constants.batch;
  const filtersLeft = this.constants.outChannels - 1 - k0;
  const filterStep1 = filtersLeft < 1 ? filtersLeft * n : 1 * n;
  const filterStep2 = filtersLeft < 2 ? filtersLeft * n : 2 * n;
  const filterStep3 = filtersLeft < 3 ? filtersLeft * n : 3 * n;
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  for (let i = 0; i < this.constants.rowsPerBlock; i++) {
    const x = b * this.constants.rowsPerBlock + i;
    const row = x * this.constants.strideHeight + u - this.constants.padHeight;
    if (x < this.constants.outHeight && row >= 0 && row < this.constants.inHeight) {
      // a[c, row, col, ·] and dz[x, y, k0, ·] for y = 0, then a step of sw columns and one pixel per y
      let aAt = ((c * this.constants.inHeight + row) * this.constants.inWidth + v - this.constants.padWidth) * n;
      let dzAt = (x * this.constants.outWidth * this.constants.outChannels + k0) * n;
      for (let y = 0; y < this.constants.outWidth; y++) {
        const col = y * this.constants.strideWidth + v - this.constants.padWidth;
        if (col >= 0 && col < this.constants.inWidth) {
          const value = a[aAt + this.thread.x];
          sum0 += value * dz[dzAt + this.thread.x];
          sum1 += value * dz[dzAt + filterStep1 + this.thread.x];
          sum2 += value * dz[dzAt + filterStep2 + this.thread.x];
          sum3 += value * dz[dzAt + filterStep3 + this.thread.x];
        }
        aAt += this.constants.strideWidth * n;
        dzAt += this.constants.outChannels * n;
      }
    }
  }
  return [sum0, sum1, sum2, sum3];
}
