/**
 * Max pooling, the downsample step of formula (3) as most modern networks take it, and its backward
 * pass side by side.
 * @module
 */
import type { WindowInfo } from '@lenet/core';
import { Array4 } from './array4.js';

/** Where a window's maximum is: its input row and column. */
interface ArgMax {
  readonly row: number;
  readonly col: number;
}

/**
 * The position of the maximum of window (x, y) of image (n, c): the first one in row-major order on
 * ties (a later cell must be strictly larger to win). Padding cells are skipped; core guarantees that
 * every window holds at least one real cell (padding is at most half the kernel).
 */
function argMaxOfWindow(a: Array4, n: number, c: number, x: number, y: number, info: WindowInfo): ArgMax {
  const p = info.kernelHeight - 1;
  const q = info.kernelWidth - 1;
  let best: ArgMax = { row: -1, col: -1 };
  let bestValue = -Infinity;
  for (let u = 0; u <= p; u++) {
    for (let v = 0; v <= q; v++) {
      const row = x * info.strideHeight + u - info.padHeight;
      const col = y * info.strideWidth + v - info.padWidth;
      if (!a.isInside(row, col)) continue; // padding is ignored, not read as 0
      const value = a.get(n, c, row, col);
      if (best.row < 0 || value > bestValue) {
        best = { row, col };
        bestValue = value;
      }
    }
  }
  return best;
}

/**
 * The largest value of each (p+1)×(q+1) window, channel by channel:
 *
 * ```text
 *   out[n,c](x, y) = max_{u=0..p, v=0..q} a[n,c](x·sh + u − ph, y·sw + v − pw)
 * ```
 *
 * over the cells inside the image: padding cells are ignored (as in PyTorch), so an all-negative
 * window next to the border still gives its negative maximum.
 *
 * Shapes: a `[N, C, H, W]` → out `[N, C, outH, outW]` (in `info`).
 * @example
 * // a 2×4 image [[1,2,3,4],[5,6,7,8]], window 2×2, stride 2 → [[6, 8]]
 */
export function maxPool2d(input: Float32Array, info: WindowInfo): Float32Array {
  const a = new Array4(input, info.inShape);
  const out = Array4.zeros(info.outShape);
  for (let n = 0; n < info.batch; n++) {
    for (let c = 0; c < info.inChannels; c++) {
      for (let x = 0; x < info.outHeight; x++) {
        for (let y = 0; y < info.outWidth; y++) {
          const { row, col } = argMaxOfWindow(a, n, c, x, y, info);
          out.set(n, c, x, y, a.get(n, c, row, col));
        }
      }
    }
  }
  return out.data;
}

/**
 * The backward pass of {@link maxPool2d}: the maximum is the only cell of a window that changes the
 * output, so each output's gradient goes, whole, to its window's arg-max (the first in row-major order
 * on ties); every other cell gets 0 from that window. Overlapping windows add up.
 *
 * ```text
 *   da[n,c](argmax of window (x, y)) += dOut[n,c](x, y)
 * ```
 *
 * Shapes: dOut `[N, C, outH, outW]`, a `[N, C, H, W]` (the forward input) → da `[N, C, H, W]`.
 */
export function maxPool2dBackprop(outputGradient: Float32Array, input: Float32Array, info: WindowInfo): Float32Array {
  const dOut = new Array4(outputGradient, info.outShape);
  const a = new Array4(input, info.inShape);
  const da = Array4.zeros(info.inShape);
  for (let n = 0; n < info.batch; n++) {
    for (let c = 0; c < info.inChannels; c++) {
      for (let x = 0; x < info.outHeight; x++) {
        for (let y = 0; y < info.outWidth; y++) {
          const { row, col } = argMaxOfWindow(a, n, c, x, y, info);
          da.add(n, c, row, col, dOut.get(n, c, x, y));
        }
      }
    }
  }
  return da.data;
}
