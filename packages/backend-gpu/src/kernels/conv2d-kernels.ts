/**
 * Formula (1), the convolution, and its two gradients. Symbols as in core's `Kernels.conv2d`:
 * input a `[N,C,H,W]`, filter w_rot `[K,C,kh,kw]`, output z `[N,K,outH,outW]`, stride (sy,sx),
 * padding (padY,padX). Out-of-range input reads are zero (padding) and are skipped.
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';
import type { WindowConstants } from './window-constants.js';

/**
 * Forward: z[n,k](oy,ox) = Σ_c Σ_u Σ_v a[n,c](oy·sy + u − padY, ox·sx + v − padX) · w_rot[k,c](u,v).
 * One thread per output element; output `[N,K,outH,outW]` flat.
 */
export function conv2dKernel(this: IKernelFunctionThis<WindowConstants>, x: Float32Array, w: Float32Array): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.outWidth);
  const ox = i - row * this.constants.outWidth;
  const plane = Math.floor((row + 0.5) / this.constants.outHeight);
  const oy = row - plane * this.constants.outHeight;
  const n = Math.floor((plane + 0.5) / this.constants.outChannels);
  const k = plane - n * this.constants.outChannels;
  let sum = 0;
  for (let c = 0; c < this.constants.inChannels; c++) {
    for (let u = 0; u < this.constants.kernelHeight; u++) {
      const iy = oy * this.constants.strideHeight + u - this.constants.padHeight;
      if (iy >= 0 && iy < this.constants.inHeight) {
        const xRow = ((n * this.constants.inChannels + c) * this.constants.inHeight + iy) * this.constants.inWidth;
        const wRow = ((k * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth;
        for (let v = 0; v < this.constants.kernelWidth; v++) {
          const ix = ox * this.constants.strideWidth + v - this.constants.padWidth;
          if (ix >= 0 && ix < this.constants.inWidth) {
            sum += x[xRow + ix] * w[wRow + v];
          }
        }
      }
    }
  }
  return sum;
}

/**
 * ∂L/∂a, the "full" convolution of dy with the filter rotated by 180°:
 * da[n,c](y,x) = Σ_k Σ_u Σ_v dy[n,k](oy,ox) · w_rot[k,c](u,v) over the (u,v) for which
 * oy = (y + padY − u)/sy and ox = (x + padX − v)/sx are whole numbers inside the output.
 * One thread per input element; output `[N,C,H,W]` flat.
 */
export function conv2dBackpropInputKernel(this: IKernelFunctionThis<WindowConstants>, dy: Float32Array, w: Float32Array): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.inWidth);
  const x = i - row * this.constants.inWidth;
  const plane = Math.floor((row + 0.5) / this.constants.inHeight);
  const y = row - plane * this.constants.inHeight;
  const n = Math.floor((plane + 0.5) / this.constants.inChannels);
  const c = plane - n * this.constants.inChannels;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const ty = y + this.constants.padHeight - u;
    const oy = Math.floor((ty + 0.5) / this.constants.strideHeight);
    if (ty >= 0 && oy * this.constants.strideHeight === ty && oy < this.constants.outHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const tx = x + this.constants.padWidth - v;
        const ox = Math.floor((tx + 0.5) / this.constants.strideWidth);
        if (tx >= 0 && ox * this.constants.strideWidth === tx && ox < this.constants.outWidth) {
          for (let k = 0; k < this.constants.outChannels; k++) {
            sum += dy[((n * this.constants.outChannels + k) * this.constants.outHeight + oy) * this.constants.outWidth + ox] *
              w[((k * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth + v];
          }
        }
      }
    }
  }
  return sum;
}

/** {@link WindowConstants} plus how the batch is split: part p sums n ∈ [p·batchChunk, (p+1)·batchChunk). */
export interface Conv2dFilterConstants extends WindowConstants {
  readonly batchChunk: number;
}

/**
 * ∂L/∂w_rot, the correlation of the input with dy, summed over one slice of the batch:
 * dw_p[k,c](u,v) = Σ_{n in slice p} Σ_oy Σ_ox a[n,c](oy·sy + u − padY, ox·sx + v − padX) · dy[n,k](oy,ox).
 * Output `[P,K,C,kh,kw]` flat; the P partial sums are then added by `sumPartsKernel`. Splitting the
 * batch gives a GPU P times more threads than the K·C·kh·kw filter elements alone.
 */
export function conv2dBackpropFilterKernel(this: IKernelFunctionThis<Conv2dFilterConstants>, x: Float32Array, dy: Float32Array): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.kernelWidth);
  const v = i - row * this.constants.kernelWidth;
  const plane = Math.floor((row + 0.5) / this.constants.kernelHeight);
  const u = row - plane * this.constants.kernelHeight;
  const filter = Math.floor((plane + 0.5) / this.constants.inChannels);
  const c = plane - filter * this.constants.inChannels;
  const part = Math.floor((filter + 0.5) / this.constants.outChannels);
  const k = filter - part * this.constants.outChannels;
  let sum = 0;
  for (let j = 0; j < this.constants.batchChunk; j++) {
    const n = part * this.constants.batchChunk + j;
    if (n < this.constants.batch) {
      for (let oy = 0; oy < this.constants.outHeight; oy++) {
        const iy = oy * this.constants.strideHeight + u - this.constants.padHeight;
        if (iy >= 0 && iy < this.constants.inHeight) {
          const xRow = ((n * this.constants.inChannels + c) * this.constants.inHeight + iy) * this.constants.inWidth;
          const dyRow = ((n * this.constants.outChannels + k) * this.constants.outHeight + oy) * this.constants.outWidth;
          for (let ox = 0; ox < this.constants.outWidth; ox++) {
            const ix = ox * this.constants.strideWidth + v - this.constants.padWidth;
            if (ix >= 0 && ix < this.constants.inWidth) {
              sum += x[xRow + ix] * dy[dyRow + ox];
            }
          }
        }
      }
    }
  }
  return sum;
}

/** How many partial sums there are and how long each is. */
export interface SumPartsConstants {
  readonly parts: number;
  readonly partLength: number;
}

/** out[i] = Σ_{p < P} parts[p·L + i]: adds P partial results of length L. */
export function sumPartsKernel(this: IKernelFunctionThis<SumPartsConstants>, parts: Float32Array): number {
  let sum = 0;
  for (let p = 0; p < this.constants.parts; p++) {
    sum += parts[p * this.constants.partLength + this.thread.x];
  }
  return sum;
}
