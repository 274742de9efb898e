/**
 * The input gradient of formula (1): where the 180° rotation of the kernel reappears.
 * @module
 */
import type { WindowInfo } from '@lenet/core';
import { Array4 } from './array4.js';

/**
 * ∂L/∂a[l−1], the gradient that flows back to the layer's input: the "full" convolution of the
 * output gradient dz = ∂L/∂z with the filter rotated by 180°.
 *
 * **Derivation.** By the chain rule, da(i, j) = Σ_{x,y} dz(x, y) · ∂z(x, y)/∂a(i, j). In formula (1)
 * the input pixel a(i, j) meets the weight w_rot(u, v) in output z(x, y) exactly when
 * i = x·sh + u − ph and j = y·sw + v − pw, so
 *
 * ```text
 *   da[n,c](i, j) = Σ_k Σ_{u=0..p} Σ_{v=0..q} dz[n,k]((i + ph − u)/sh, (j + pw − v)/sw) · w_rot[k,c](u, v)
 * ```
 *
 * counting only the terms whose divisions are exact and land inside dz. Renaming u → p − u,
 * v → q − v (and writing x, y for the input pixel, as the loops do) turns this into a correlation
 * of dz with the **rotated** filter:
 *
 * ```text
 *   da[n,c](x, y) = Σ_k Σ_{u=0..p} Σ_{v=0..q} dzFull[n,k](x + u, y + v) · w_rot[k,c](p − u, q − v)
 * ```
 *
 * where dzFull is dz made ready for a "full" correlation: sh − 1 zero rows stuffed between its rows
 * and sw − 1 zero columns between its columns (undoing the stride), shifted down by p − ph rows and
 * right by q − pw columns, and surrounded by zeros (so every window that touched an input pixel
 * is visited, and windows that did not read 0). With stride 1 and no padding this is the textbook
 * result: dz padded by p rows and q columns of zeros on each side, correlated with rot180(w_rot).
 * A correlation with the rotated filter is a true (flipped) convolution with w_rot itself — which
 * is why the backward pass is called the "full convolution" of dz with the filter.
 *
 * The loops below compute that second formula literally; `readFullDz` returns 0 wherever dzFull
 * holds a stuffed or padding zero.
 *
 * Shapes: dz `[N, K, outH, outW]`, wRot `[K, C, p+1, q+1]` → da `[N, C, H, W]` (all in `info`).
 *
 * @example
 * // 1×1 channels, input 3×3, kernel 2×2 w_rot = [[0,1],[2,3]], stride 1, no padding, dz = ones(2×2):
 * // every input pixel collects the weights of the windows that covered it,
 * // da = [[0,1,1],[2,6,4],[2,5,3]].
 */
export function conv2dBackpropInput(outputGradient: Float32Array, filter: Float32Array, info: WindowInfo): Float32Array {
  const dz = new Array4(outputGradient, info.outShape);
  const wRot = new Array4(filter, info.filterShape);
  const da = Array4.zeros(info.inShape);
  const p = info.kernelHeight - 1;
  const q = info.kernelWidth - 1;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const ph = info.padHeight;
  const pw = info.padWidth;

  /** dzFull(row, col): dz with the stride's zeros stuffed in, shifted by (p − ph, q − pw), zeros outside. */
  const readFullDz = (n: number, k: number, row: number, col: number): number => {
    const stuffedRow = row - (p - ph);
    const stuffedCol = col - (q - pw);
    if (stuffedRow % sh !== 0 || stuffedCol % sw !== 0) return 0; // a zero stuffed in by the stride
    return dz.getOrZero(n, k, stuffedRow / sh, stuffedCol / sw); // 0 in the border
  };

  for (let n = 0; n < info.batch; n++) {
    for (let c = 0; c < info.inChannels; c++) {
      for (let x = 0; x < info.inHeight; x++) {
        for (let y = 0; y < info.inWidth; y++) {
          let sum = 0;
          for (let k = 0; k < info.outChannels; k++) {
            for (let u = 0; u <= p; u++) {
              for (let v = 0; v <= q; v++) {
                sum += readFullDz(n, k, x + u, y + v) * wRot.get(k, c, p - u, q - v);
              }
            }
          }
          da.set(n, c, x, y, sum);
        }
      }
    }
  }
  return da.data;
}
