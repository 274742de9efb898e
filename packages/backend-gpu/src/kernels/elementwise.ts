/**
 * Element-wise kernels: one output element per thread, `i = this.thread.x` (see `layout.ts`); the
 * activations are in `activations.ts`.
 * Each is a plain top-level function, because gpu.js parses its source text into GLSL, WGSL or
 * WebAssembly: it may use only its arguments, `this.thread`, `this.constants` and `Math`.
 * @module
 */
import type { KernelThis } from './kernel-this.js';

/** Kernels with no constants. */
export type NoConstants = Record<string, never>;

/** out[i] = x[i]: puts uploaded values into a device buffer. */
export function copyKernel(this: KernelThis<NoConstants>, x: Float32Array): number {
  return x[this.thread.x];
}

/**
 * out[i] = value. The value is an argument, not a constant, so one compiled kernel serves every
 * value (and ±∞ or NaN never have to be written into shader source).
 */
export function fillKernel(this: KernelThis<NoConstants>, value: number): number {
  return value;
}

/** out[i] = x[i] · scale + shift (scale and shift are arguments, so one compiled kernel serves every value). */
export function affineKernel(this: KernelThis<NoConstants>, x: Float32Array, scale: number, shift: number): number {
  return x[this.thread.x] * scale + shift;
}

/** out[i] = −x[i] */
export function negKernel(this: KernelThis<NoConstants>, x: Float32Array): number {
  return -x[this.thread.x];
}

/** out[i] = e^x[i] */
export function expKernel(this: KernelThis<NoConstants>, x: Float32Array): number {
  return Math.exp(x[this.thread.x]);
}

/** out[i] = ln x[i] */
export function logKernel(this: KernelThis<NoConstants>, x: Float32Array): number {
  return Math.log(x[this.thread.x]);
}

/** out[i] = √x[i] */
export function sqrtKernel(this: KernelThis<NoConstants>, x: Float32Array): number {
  return Math.sqrt(x[this.thread.x]);
}

/** out[i] = x[i]² */
export function squareKernel(this: KernelThis<NoConstants>, x: Float32Array): number {
  const v = x[this.thread.x];
  return v * v;
}
