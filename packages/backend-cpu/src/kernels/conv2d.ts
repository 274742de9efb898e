/**
 * The forward convolution, formula (1), written as it reads.
 * @module
 */
import type { WindowInfo } from '@lenet/core';
import { Array4 } from './array4.js';

/**
 * Formula (1): the pre-activation z of layer l for filter k is the input a of layer l−1
 * cross-correlated with the filter w_rot:
 *
 * ```text
 *   z[l](x, y) = Σ_{u=0..p} Σ_{v=0..q} a[l−1](x + u, y + v) · w_rot[l,k](u, v)
 * ```
 *
 * where p + 1 and q + 1 are the kernel's height and width. x runs down the rows and y across the
 * columns, u and v likewise inside the kernel. Around this core the kernel adds
 * - **channels**: z sums the formula over every input channel c, with one 2-D filter w_rot[k,c] each;
 * - **stride** (sh, sw), as in `WindowInfo`: the window moves sh rows / sw columns per output pixel, so it starts at
 *   (x·sh, y·sw);
 * - **padding** (ph, pw): the input is read as if surrounded by ph zero rows and pw zero
 *   columns, so the window's top-left corner is at (x·sh − ph, y·sw − pw);
 * - **batch**: every example n is convolved independently.
 *
 * Altogether, for example n and filter k:
 *
 * ```text
 *   z[n,k](x, y) = Σ_c Σ_{u=0..p} Σ_{v=0..q} a[n,c](x·sh + u − ph, y·sw + v − pw) · w_rot[k,c](u, v)
 * ```
 *
 * **Why a "convolution" is a cross-correlation.** The convolution of mathematics flips the kernel:
 * (a ∗ w)(x, y) = Σ a(x + u, y + v) · w(p − u, q − v). Every framework (PyTorch, TensorFlow, and
 * this one) skips the flip and slides the kernel as stored, a cross-correlation. Nothing is lost:
 * the stored weights *are* w_rot, the kernel already rotated by 180°, and since the network learns
 * them from random values it simply learns the rotated kernel. So the weight tensor here is named
 * `wRot`, holds PyTorch's layout `[outChannels, inChannels, kh, kw]`, and moves to and from
 * PyTorch unchanged. The rotation shows up only in the backward pass
 * (see `conv2dBackpropInput`).
 *
 * Shapes: a `[N, C, H, W]`, wRot `[K, C, p+1, q+1]` → z `[N, K, outH, outW]` (all in `info`).
 *
 * @example
 * // The 3×3 input 0..8 with the 2×2 kernel 0..3, stride 1, no padding:
 * //   z(0,0) = 0·0 + 1·1 + 3·2 + 4·3 = 19, and the whole output is [[19, 25], [37, 43]].
 */
export function conv2d(input: Float32Array, filter: Float32Array, info: WindowInfo): Float32Array {
  const a = new Array4(input, info.inShape);
  const wRot = new Array4(filter, info.filterShape);
  const z = Array4.zeros(info.outShape);
  const p = info.kernelHeight - 1;
  const q = info.kernelWidth - 1;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const ph = info.padHeight;
  const pw = info.padWidth;

  for (let n = 0; n < info.batch; n++) {
    for (let k = 0; k < info.outChannels; k++) {
      for (let x = 0; x < info.outHeight; x++) {
        for (let y = 0; y < info.outWidth; y++) {
          let sum = 0;
          for (let c = 0; c < info.inChannels; c++) {
            for (let u = 0; u <= p; u++) {
              for (let v = 0; v <= q; v++) {
                sum += a.getOrZero(n, c, x * sh + u - ph, y * sw + v - pw) * wRot.get(k, c, u, v);
              }
            }
          }
          z.set(n, k, x, y, sum);
        }
      }
    }
  }
  return z.data;
}
