/**
 * Fused kernels, after tfjs's `fused.conv2d` and `fused.matMul`: a layer's product, its bias and
 * its activation (formulas (1) and (2)) in one launch and one output buffer, instead of three.
 * The bias and the activation are compile-time constants, so each compiled kernel has no branch
 * left but the one it uses.
 *
 * Activation codes (`FUSED_ACTIVATIONS` in core): 0 identity, 1 sigmoid, 2 tanh, 3 relu, written
 * exactly as the element-wise kernels write them, so a fused layer gives the same values as the
 * unfused one.
 * @module
 */
import type { FusedActivation, TensorInfo } from '@lenet/core';
import type { IKernelFunctionThis } from 'gpu.js';
import type { MatmulConstants } from './matmul-kernel.js';
import type { WindowConstants } from './window-constants.js';

/** What a fused kernel adds after the sum: the bias (1 when there is one) and the activation code. */
export interface EpilogueConstants {
  readonly hasBias: number;
  readonly activation: number;
}

/**
 * a[n,k](oy,ox) = f(Σ_c Σ_u Σ_v a[n,c](oy·sy + u − padY, ox·sx + v − padX) · w_rot[k,c](u,v) + b[k]).
 * One thread per output element, output `[N,K,outH,outW]` flat; `bias` is w itself when there is
 * no bias (never read then).
 */
export function fusedConv2dKernel(
  this: IKernelFunctionThis<WindowConstants & EpilogueConstants>,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array,
): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.outWidth);
  const ox = i - row * this.constants.outWidth;
  const plane = Math.floor((row + 0.5) / this.constants.outHeight);
  const oy = row - plane * this.constants.outHeight;
  const n = Math.floor((plane + 0.5) / this.constants.outChannels);
  const k = plane - n * this.constants.outChannels;
  let z = 0;
  for (let c = 0; c < this.constants.inChannels; c++) {
    for (let u = 0; u < this.constants.kernelHeight; u++) {
      const iy = oy * this.constants.strideHeight + u - this.constants.padHeight;
      if (iy >= 0 && iy < this.constants.inHeight) {
        const xRow = ((n * this.constants.inChannels + c) * this.constants.inHeight + iy) * this.constants.inWidth;
        const wRow = ((k * this.constants.inChannels + c) * this.constants.kernelHeight + u) * this.constants.kernelWidth;
        for (let v = 0; v < this.constants.kernelWidth; v++) {
          const ix = ox * this.constants.strideWidth + v - this.constants.padWidth;
          if (ix >= 0 && ix < this.constants.inWidth) {
            z += x[xRow + ix] * w[wRow + v];
          }
        }
      }
    }
  }
  if (this.constants.hasBias === 1) {
    z += bias[k];
  }
  if (this.constants.activation === 1) {
    const e = Math.exp(-Math.abs(z));
    if (z >= 0) {
      return 1 / (1 + e);
    }
    return e / (1 + e);
  }
  if (this.constants.activation === 2) {
    const e2 = Math.exp(-2 * Math.abs(z));
    const t = (1 - e2) / (1 + e2);
    if (z < 0) {
      return -t;
    }
    return t;
  }
  if (this.constants.activation === 3) {
    return Math.max(0, z);
  }
  return z;
}

/**
 * y[r,c] = f(Σ_{p<k} op(a)[r,p] · op(b)[p,c] + bias[c]), with out `[m,n]` flat (r = ⌊i / n⌋,
 * c = i − r·n); `bias` is b itself when there is no bias (never read then).
 */
export function fusedMatmulKernel(
  this: IKernelFunctionThis<MatmulConstants & EpilogueConstants>,
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array,
): number {
  const i = this.thread.x;
  const r = Math.floor((i + 0.5) / this.constants.outColumns);
  const c = i - r * this.constants.outColumns;
  const aBase = r * this.constants.aRowStride;
  const bBase = c * this.constants.bColStride;
  let z = 0;
  for (let p = 0; p < this.constants.inner; p++) {
    z += a[aBase + p * this.constants.aColStride] * b[bBase + p * this.constants.bRowStride];
  }
  if (this.constants.hasBias === 1) {
    z += bias[c];
  }
  if (this.constants.activation === 1) {
    const e = Math.exp(-Math.abs(z));
    if (z >= 0) {
      return 1 / (1 + e);
    }
    return e / (1 + e);
  }
  if (this.constants.activation === 2) {
    const e2 = Math.exp(-2 * Math.abs(z));
    const t = (1 - e2) / (1 + e2);
    if (z < 0) {
      return -t;
    }
    return t;
  }
  if (this.constants.activation === 3) {
    return Math.max(0, z);
  }
  return z;
}

/** out[i] = w[i] − lr · g[i]: the plain SGD update of one parameter (lr is an argument, so a schedule needs no new kernel). */
export function sgdUpdateKernel(this: IKernelFunctionThis<Record<string, never>>, w: Float32Array, g: Float32Array, lr: number): number {
  return w[this.thread.x] - lr * g[this.thread.x];
}

/** The activation codes of the fused kernels: the order of `FusedActivation` in core's `FUSED_ACTIVATIONS`. */
const ACTIVATION_CODES: Readonly<Record<FusedActivation, number>> = { identity: 0, sigmoid: 1, tanh: 2, relu: 3 };

/** The epilogue constants of a fused kernel: whether there is a bias, and the activation's code. */
export function epilogueConstants(bias: TensorInfo | null, activation: FusedActivation): EpilogueConstants {
  return { hasBias: bias === null ? 0 : 1, activation: ACTIVATION_CODES[activation] };
}
