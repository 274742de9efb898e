/**
 * ∂L/∂a of formula (1) in the batch-last layout (`transpose.ts`), as `../conv2d-backprop-input.ts`
 * computes it, for the four examples of a SIMD quad at once and four input channels per thread
 * (register blocking, as `conv2d.ts`): each value of dz read is used four times. Symbols as in
 * backend-cpu's `conv2d-backprop-input.ts`; `| 0` as in `conv2d.ts`.
 * @module
 */
import type { WindowExtents } from '@lenet/core';
import type { KernelQuad } from '../../runtime/kernel-runner.js';
import type { KernelThis } from '../kernel-this.js';

/**
 * Grid `[N, H·W, ⌈C/4⌉, 4]`, output blocked batch-last `[⌈C/4⌉, H, W, N, 4]` (`unblock.ts`); dz is
 * `[K, outH, outW, N]`: input pixel (x, y) collects `da[c, x, y, n] = Σ_u Σ_v Σ_k dz[k, row, col, n] · w_rot[k,c](u, v)`
 * over the windows that read it, row = (x + ph − u)/sh and col = (y + pw − v)/sw whole numbers
 * inside the output, for the block's channels c = 4·z … 4·z + 3 (past the last, the last again, never read).
 */
export function conv2dBackpropInputBatchLastKernel(this: KernelThis<WindowExtents>, dz: Float32Array, wRot: Float32Array): KernelQuad {
  const x = Math.floor((this.thread.y + 0.5) / this.constants.inWidth) | 0;
  const y = this.thread.y - x * this.constants.inWidth;
  const c0 = this.thread.z * 4;
  const sh = this.constants.strideHeight;
  const sw = this.constants.strideWidth;
  // w_rot[k, c0 + i] lies channelStep_i after w_rot[k, c0] (past the last channel, the last one's)
  const channelSize = this.constants.kernelHeight * this.constants.kernelWidth;
  const channelsLeft = this.constants.inChannels - 1 - c0;
  const channelStep1 = channelsLeft < 1 ? channelsLeft * channelSize : 1 * channelSize;
  const channelStep2 = channelsLeft < 2 ? channelsLeft * channelSize : 2 * channelSize;
  const channelStep3 = channelsLeft < 3 ? channelsLeft * channelSize : 3 * channelSize;
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const rowTimesStride = x + this.constants.padHeight - u;
    const row = Math.floor((rowTimesStride + 0.5) / sh) | 0;
    if (rowTimesStride >= 0 && row * sh === rowTimesStride && row < this.constants.outHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const colTimesStride = y + this.constants.padWidth - v;
        const col = Math.floor((colTimesStride + 0.5) / sw) | 0;
        if (colTimesStride >= 0 && col * sw === colTimesStride && col < this.constants.outWidth) {
          // dz[k, row, col, ·] and w_rot[k, c0, u, v] for k = 0, then a step of one channel / filter per k
          let dzAt = (row * this.constants.outWidth + col) * this.constants.batch;
          let wAt = (c0 * this.constants.kernelHeight + u) * this.constants.kernelWidth + v;
          for (let k = 0; k < this.constants.outChannels; k++) {
            const value = dz[dzAt + this.thread.x];
            sum0 += value * wRot[wAt];
            sum1 += value * wRot[wAt + channelStep1];
            sum2 += value * wRot[wAt + channelStep2];
            sum3 += value * wRot[wAt + channelStep3];
            dzAt += this.constants.outHeight * this.constants.outWidth * this.constants.batch;
            wAt += this.constants.inChannels * this.constants.kernelHeight * this.constants.kernelWidth;
          }
        }
      }
    }
  }
  return [sum0, sum1, sum2, sum3];
}
