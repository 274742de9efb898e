/**
 * The plain SGD update w − lr · g, written once: the `sgdUpdate` kernel and the gradient epilogue
 * that folds the update into a gradient kernel (`gradient-epilogue.ts`) both splice this source
 * (backend-cpu composes it from `affine` and `sub`).
 * @module
 */
import type { NoConstants } from './elementwise.js';
import type { KernelThis } from './kernel-this.js';

/** The source of w − lr · g, for three expressions. */
export function sgdUpdateSource(w: string, lr: string, g: string): string {
  return `${w} - ${lr} * ${g}`;
}

/** out[i] = w[i] − lr · g[i]: the plain SGD update of one parameter (lr is an argument, so a schedule needs no new kernel). */
export function sgdUpdateKernel(this: KernelThis<NoConstants>, w: Float32Array, g: Float32Array, lr: number): number {
  return this.sgdUpdate(w[this.thread.x], lr, g[this.thread.x]);
}
