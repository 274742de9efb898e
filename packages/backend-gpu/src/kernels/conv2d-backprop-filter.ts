/**
 * ∂L/∂w_rot of formula (1). Symbols as in backend-cpu's `conv2d-backprop-filter.ts`: a
 * `[N,C,H,W]`, dz `[N,K,outH,outW]` → dw_rot `[K,C,kh,kw]`; (x, y) runs over the output pixels;
 * stride (sh, sw), padding (ph, pw). A long reduction with few outputs (LeNet's C1 has 150 filter
 * elements and sums 256·28·28 terms each), so the batch is split into P slices, one thread per
 * (slice, filter element), and `sumPartsKernel` adds the slices.
 * @module
 */
import type { WindowExtents, WindowInfo } from '@lenet/core';
import type { GradientEpilogueConstants } from './gradient-epilogue.js';
import type { KernelThis } from './kernel-this.js';

/** {@link WindowExtents} plus how the batch is split: slice p sums n ∈ [p·batchChunk, (p+1)·batchChunk). */
export interface Conv2dFilterConstants extends WindowExtents {
  readonly batchChunk: number;
}

/**
 * `dw_p[k,c](u, v) = Σ_{n in slice p} Σ_x Σ_y a[n,c](x·sh + u − ph, y·sw + v − pw) · dz[n,k](x, y)`.
 * Output `[P,K,C,kh,kw]` flat.
 */
export function conv2dBackpropFilterKernel(
  this: KernelThis<Conv2dFilterConstants & GradientEpilogueConstants>,
  a: Float32Array,
  dz: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  const i = this.thread.x;
  const pkcu = Math.floor((i + 0.5) / this.constants.kernelWidth);
  const v = i - pkcu * this.constants.kernelWidth;
  const pkc = Math.floor((pkcu + 0.5) / this.constants.kernelHeight);
  const u = pkcu - pkc * this.constants.kernelHeight;
  const pk = Math.floor((pkc + 0.5) / this.constants.inChannels);
  const c = pkc - pk * this.constants.inChannels;
  const part = Math.floor((pk + 0.5) / this.constants.outChannels);
  const k = pk - part * this.constants.outChannels;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  const ph = this.constants.padHeight;
  const pw = this.constants.padWidth;
  let sum = 0;
  for (let j = 0; j < this.constants.batchChunk; j++) {
    const n = part * this.constants.batchChunk + j;
    if (n < this.constants.batch) {
      for (let x = 0; x < this.constants.outHeight; x++) {
        const row = x * sh + u - ph;
        if (row >= 0 && row < this.constants.inHeight) {
          const aRow = ((n * this.constants.inChannels + c) * this.constants.inHeight + row) * this.constants.inWidth;
          const dzRow = ((n * this.constants.outChannels + k) * this.constants.outHeight + x) * this.constants.outWidth;
          for (let y = 0; y < this.constants.outWidth; y++) {
            const col = y * sw + v - pw;
            if (col >= 0 && col < this.constants.inWidth) {
              sum += a[aRow + col] * dz[dzRow + y];
            }
          }
        }
      }
    }
  }
  return this.gradientEpilogue(sum, other[i], lr);
}

/** How many partial sums there are and how long each is. */
export interface SumPartsConstants {
  readonly parts: number;
  readonly partLength: number;
}

/** out[i] = Σ_{p < P} parts[p·L + i]: adds the P slices' partial filter gradients of length L. */
export function sumPartsKernel(
  this: KernelThis<SumPartsConstants & GradientEpilogueConstants>,
  parts: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  let sum = 0;
  for (let p = 0; p < this.constants.parts; p++) {
    sum += parts[p * this.constants.partLength + this.thread.x];
  }
  return this.gradientEpilogue(sum, other[this.thread.x], lr);
}

/**
 * How the batch is split for {@link conv2dBackpropFilterKernel}: into as many slices as give the
 * device at least `minimumThreads` threads (slices × filter elements), at most one per example.
 * One slice (`parts` 1) means no `sumPartsKernel` is needed.
 */
export function filterGradientSplit(info: WindowInfo, minimumThreads: number): { readonly batchChunk: number; readonly parts: number } {
  const filterSize = info.outChannels * info.inChannels * info.kernelHeight * info.kernelWidth;
  const wantedParts = Math.ceil(minimumThreads / filterSize);
  const batchChunk = Math.ceil(info.batch / Math.max(1, Math.min(info.batch, wantedParts)));
  return { batchChunk, parts: Math.ceil(info.batch / batchChunk) };
}
