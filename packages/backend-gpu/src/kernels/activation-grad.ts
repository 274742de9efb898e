/**
 * The backward pass of the activations of formula (2), a = f(z): dz = da · f′, one element per
 * thread, f′ written through whichever of z or a = f(z) is cheaper (as backend-cpu's
 * `activation-grad.ts`).
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';
import type { NoConstants } from './elementwise.js';

/** dx[i] = dy[i] · y[i] · (1 − y[i]) where y = σ(x). */
export function sigmoidGradKernel(this: IKernelFunctionThis<NoConstants>, y: Float32Array, dy: Float32Array): number {
  const s = y[this.thread.x];
  return dy[this.thread.x] * s * (1 - s);
}

/** dx[i] = dy[i] · (1 − y[i]²) where y = tanh x. */
export function tanhGradKernel(this: IKernelFunctionThis<NoConstants>, y: Float32Array, dy: Float32Array): number {
  const t = y[this.thread.x];
  return dy[this.thread.x] * (1 - t * t);
}

/** dx[i] = dy[i] · [x[i] > 0]. */
export function reluGradKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array, dy: Float32Array): number {
  if (x[this.thread.x] > 0) {
    return dy[this.thread.x];
  }
  return 0;
}
