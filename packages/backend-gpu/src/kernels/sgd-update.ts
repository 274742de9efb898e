/**
 * The plain SGD update of one parameter in one kernel (backend-cpu composes it from `affine` and
 * `sub`).
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';
import type { NoConstants } from './elementwise.js';

/** out[i] = w[i] − lr · g[i]: the plain SGD update of one parameter (lr is an argument, so a schedule needs no new kernel). */
export function sgdUpdateKernel(this: IKernelFunctionThis<NoConstants>, w: Float32Array, g: Float32Array, lr: number): number {
  return w[this.thread.x] - lr * g[this.thread.x];
}
