/**
 * The filter gradient of formula (1): what the learning step uses to update w_rot.
 * @module
 */
import type { WindowInfo } from '@lenet/core';
import { Array4 } from './array4.js';

/**
 * ∂L/∂w_rot, the gradient of the stored filter: the correlation of the layer's input with the output
 * gradient dz = ∂L/∂z.
 *
 * **Derivation.** By the chain rule, `dw_rot(u, v) = Σ_{x,y} dz(x, y) · ∂z(x, y)/∂w_rot(u, v)`, and in
 * formula (1) the weight `w_rot[k,c](u, v)` multiplies `a[n,c](x·sh + u − ph, y·sw + v − pw)` in
 * every output `z[n,k](x, y)`. Summing over the batch as well:
 *
 * ```text
 *   dw_rot[k,c](u, v) = Σ_n Σ_x Σ_y a[n,c](x·sh + u − ph, y·sw + v − pw) · dz[n,k](x, y)
 * ```
 *
 * This is formula (1) again with the roles swapped: the input a is correlated with dz, which acts as
 * the "kernel" (spread out by the stride). No rotation appears, because the forward pass used w_rot
 * as stored — the gradient is directly the gradient of the weights that are kept, in PyTorch's layout.
 *
 * Shapes: a `[N, C, H, W]`, dz `[N, K, outH, outW]` → dw_rot `[K, C, p+1, q+1]` (all in `info`).
 *
 * @example
 * // 1×1 channels, input 3×3 = 0..8, kernel 2×2, stride 1, no padding, dz = ones(2×2):
 * // dw_rot(u, v) is the sum of the 2×2 block of the input starting at (u, v),
 * // dw_rot = [[0+1+3+4, 1+2+4+5], [3+4+6+7, 4+5+7+8]] = [[8, 12], [20, 24]].
 */
export function conv2dBackpropFilter(input: Float32Array, outputGradient: Float32Array, info: WindowInfo): Float32Array {
  const a = new Array4(input, info.inShape);
  const dz = new Array4(outputGradient, info.outShape);
  const dwRot = Array4.zeros(info.filterShape);
  const p = info.kernelHeight - 1;
  const q = info.kernelWidth - 1;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const ph = info.padHeight;
  const pw = info.padWidth;

  for (let k = 0; k < info.outChannels; k++) {
    for (let c = 0; c < info.inChannels; c++) {
      for (let u = 0; u <= p; u++) {
        for (let v = 0; v <= q; v++) {
          let sum = 0;
          for (let n = 0; n < info.batch; n++) {
            for (let x = 0; x < info.outHeight; x++) {
              for (let y = 0; y < info.outWidth; y++) {
                sum += a.getOrZero(n, c, x * sh + u - ph, y * sw + v - pw) * dz.get(n, k, x, y);
              }
            }
          }
          dwRot.set(k, c, u, v, sum);
        }
      }
    }
  }
  return dwRot.data;
}
