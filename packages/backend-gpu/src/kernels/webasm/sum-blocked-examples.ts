/**
 * The sum that ends the batch-last filter gradient (`conv2d-backprop-filter.ts`), over the examples
 * and the row blocks. Its input is blocked `[⌈K/4⌉, C, B, kh·kw, N, 4]`: filter k = 4·q + r, channel c,
 * row block b, filter element e = u·kw + v of example n at `((((q·C + c)·B + b)·A + e)·N + n)·4 + r`
 * (A = kh·kw). One thread per element of the gradient `[K, C, kh, kw]`, which takes the gradient
 * epilogue (`../gradient-epilogue.ts`: the SGD update in the compiled step).
 * @module
 */
import type { GradientEpilogueConstants } from '../gradient-epilogue.js';
import type { KernelThis } from '../kernel-this.js';

/** The extents of the blocked per-example gradient: N, C, B and A = kh·kw. */
export interface SumBlockedExamplesConstants {
  readonly batch: number;
  readonly inChannels: number;
  readonly rowBlocks: number;
  readonly filterArea: number;
}

/**
 * Thread i = (k·C + c)·A + e: `dw[k, c, e] = Σ_b Σ_n blocks[((((⌊k/4⌋·C + c)·B + b)·A + e)·N + n)·4 + k mod 4]`,
 * then the epilogue.
 */
export function sumBlockedExamplesKernel(
  this: KernelThis<SumBlockedExamplesConstants & GradientEpilogueConstants>,
  blocks: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  const i = this.thread.x;
  const kc = Math.floor((i + 0.5) / this.constants.filterArea);
  const e = i - kc * this.constants.filterArea;
  const k = Math.floor((kc + 0.5) / this.constants.inChannels);
  const c = kc - k * this.constants.inChannels;
  const q = Math.floor((k + 0.5) / 4);
  let sum = 0;
  for (let b = 0; b < this.constants.rowBlocks; b++) {
    const start =
      (((q * this.constants.inChannels + c) * this.constants.rowBlocks + b) * this.constants.filterArea + e) * this.constants.batch * 4 +
      k -
      q * 4;
    for (let n = 0; n < this.constants.batch; n++) {
      sum += blocks[start + n * 4];
    }
  }
  return this.gradientEpilogue(sum, other[i], lr);
}
