/**
 * Average pooling, the downsample step of formula (3) (a convolution layer followed by pooling, as in
 * LeNet-5's S2 and S4), and its backward pass side by side.
 * @module
 */
import type { WindowInfo } from '@lenet/core';
import { Array4 } from './array4.js';

/**
 * The mean of each (p+1)×(q+1) window, channel by channel:
 *
 * ```text
 *   out[n,c](x, y) = 1/((p+1)(q+1)) · Σ_{u=0..p} Σ_{v=0..q} a[n,c](x·sh + u − ph, y·sw + v − pw)
 * ```
 *
 * Padding cells read as zeros and count in the divisor, which is always the full window size
 * (PyTorch's `count_include_pad=True`).
 *
 * Shapes: a `[N, C, H, W]` → out `[N, C, outH, outW]` (in `info`).
 * @example
 * // a 2×4 image [[1,2,3,4],[5,6,7,8]], window 2×2, stride 2 → [[3.5, 5.5]]
 */
export function avgPool2d(input: Float32Array, info: WindowInfo): Float32Array {
  const a = new Array4(input, info.inShape);
  const out = Array4.zeros(info.outShape);
  const p = info.kernelHeight - 1;
  const q = info.kernelWidth - 1;
  const windowSize = info.kernelHeight * info.kernelWidth;

  for (let n = 0; n < info.batch; n++) {
    for (let c = 0; c < info.inChannels; c++) {
      for (let x = 0; x < info.outHeight; x++) {
        for (let y = 0; y < info.outWidth; y++) {
          let sum = 0;
          for (let u = 0; u <= p; u++) {
            for (let v = 0; v <= q; v++) {
              sum += a.getOrZero(n, c, x * info.strideHeight + u - info.padHeight, y * info.strideWidth + v - info.padWidth);
            }
          }
          out.set(n, c, x, y, sum / windowSize);
        }
      }
    }
  }
  return out.data;
}

/**
 * The backward pass of {@link avgPool2d}: each output's gradient is spread evenly back over its
 * window, every input cell receiving dOut/((p+1)(q+1)) from each window that covers it (cells
 * covered by several overlapping windows add up; padding cells receive nothing, they are not inputs):
 *
 * ```text
 *   da[n,c](x·sh + u − ph, y·sw + v − pw) += dOut[n,c](x, y) / ((p+1)(q+1))
 * ```
 *
 * Shapes: dOut `[N, C, outH, outW]` → da `[N, C, H, W]` (in `info`).
 */
export function avgPool2dBackprop(outputGradient: Float32Array, info: WindowInfo): Float32Array {
  const dOut = new Array4(outputGradient, info.outShape);
  const da = Array4.zeros(info.inShape);
  const p = info.kernelHeight - 1;
  const q = info.kernelWidth - 1;
  const windowSize = info.kernelHeight * info.kernelWidth;

  for (let n = 0; n < info.batch; n++) {
    for (let c = 0; c < info.inChannels; c++) {
      for (let x = 0; x < info.outHeight; x++) {
        for (let y = 0; y < info.outWidth; y++) {
          const share = dOut.get(n, c, x, y) / windowSize;
          for (let u = 0; u <= p; u++) {
            for (let v = 0; v <= q; v++) {
              const row = x * info.strideHeight + u - info.padHeight;
              const col = y * info.strideWidth + v - info.padWidth;
              if (da.isInside(row, col)) da.add(n, c, row, col, share);
            }
          }
        }
      }
    }
  }
  return da.data;
}
