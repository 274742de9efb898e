/**
 * Max pooling and its gradient. Symbols as in backend-cpu's `max-pool2d.ts` and `avg-pool2d.ts`:
 * input a `[N,C,H,W]`, output `[N,C,outH,outW]`, window (kh, kw), stride (sh, sw), padding (ph, pw).
 * Padding cells are ignored (never the maximum); ties go to the first maximum in row-major order.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { KernelThis } from './kernel-this.js';

/** `out[n,c](x, y)` = the max over the window's cells inside the input. One output element per thread. */
export function maxPool2dKernel(this: KernelThis<WindowExtents>, a: Float32Array): number {
  const i = this.thread.x;
  const ncx = Math.floor((i + 0.5) / this.constants.outWidth);
  const y = i - ncx * this.constants.outWidth;
  const nc = Math.floor((ncx + 0.5) / this.constants.outHeight);
  const x = ncx - nc * this.constants.outHeight;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  const ph = this.constants.padHeight;
  const pw = this.constants.padWidth;
  // the first cell in the window starts the maximum (as backend-cpu does), not a sentinel like
  // −3.4e38, which would differ from −∞ inputs
  let best = 0;
  let found = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const row = x * sh + u - ph;
    if (row >= 0 && row < this.constants.inHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const col = y * sw + v - pw;
        if (col >= 0 && col < this.constants.inWidth) {
          const value = a[(nc * this.constants.inHeight + row) * this.constants.inWidth + col];
          if (found === 0 || value > best) {
            best = value;
            found = 1;
          }
        }
      }
    }
  }
  return best;
}

/**
 * `da[n,c](x, y) = Σ dOut[n,c](outRow, outCol)` over the windows (outRow, outCol) that cover input
 * pixel (x, y) and whose arg-max is (x, y). One input element per thread; each thread recomputes
 * the arg-max of the (at most kh·kw) windows that cover its pixel.
 */
export function maxPool2dBackpropKernel(this: KernelThis<WindowExtents>, dOut: Float32Array, a: Float32Array): number {
  const i = this.thread.x;
  const ncx = Math.floor((i + 0.5) / this.constants.inWidth);
  const y = i - ncx * this.constants.inWidth;
  const nc = Math.floor((ncx + 0.5) / this.constants.inHeight);
  const x = ncx - nc * this.constants.inHeight;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  const ph = this.constants.padHeight;
  const pw = this.constants.padWidth;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const outRowTimesStride = x + ph - u;
    const outRow = Math.floor((outRowTimesStride + 0.5) / sh);
    if (outRowTimesStride >= 0 && outRow * sh === outRowTimesStride && outRow < this.constants.outHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const outColTimesStride = y + pw - v;
        const outCol = Math.floor((outColTimesStride + 0.5) / sw);
        if (outColTimesStride >= 0 && outCol * sw === outColTimesStride && outCol < this.constants.outWidth) {
          let best = 0;
          let bestRow = -1;
          let bestCol = -1;
          for (let wu = 0; wu < this.constants.kernelHeight; wu++) {
            const row = outRow * sh + wu - ph;
            if (row >= 0 && row < this.constants.inHeight) {
              for (let wv = 0; wv < this.constants.kernelWidth; wv++) {
                const col = outCol * sw + wv - pw;
                if (col >= 0 && col < this.constants.inWidth) {
                  const value = a[(nc * this.constants.inHeight + row) * this.constants.inWidth + col];
                  if (bestRow < 0 || value > best) {
                    best = value;
                    bestRow = row;
                    bestCol = col;
                  }
                }
              }
            }
          }
          if (bestRow === x && bestCol === y) {
            sum += dOut[(nc * this.constants.outHeight + outRow) * this.constants.outWidth + outCol];
          }
        }
      }
    }
  }
  return sum;
}
