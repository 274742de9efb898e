/**
 * Element-wise kernels: one output element per thread, `i = this.thread.x` (see `layout.ts`).
 * Each is a plain top-level function, because gpu.js parses its source text into GLSL, WGSL or
 * WebAssembly: it may use only its arguments, `this.thread`, `this.constants` and `Math`.
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';

/** Kernels with no constants. */
export type NoConstants = Record<string, never>;

/** out[i] = x[i]: puts uploaded values into a device buffer. */
export function copyKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  return x[this.thread.x];
}

/**
 * out[i] = value. The value is an argument, not a constant, so one compiled kernel serves every
 * value (and ±∞ or NaN never have to be written into shader source).
 */
export function fillKernel(this: IKernelFunctionThis<NoConstants>, value: number): number {
  return value;
}

/** out[i] = x[i] · scale + shift (scale and shift are arguments, so one compiled kernel serves every value). */
export function affineKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array, scale: number, shift: number): number {
  return x[this.thread.x] * scale + shift;
}

/** out[i] = −x[i] */
export function negKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  return -x[this.thread.x];
}

/** out[i] = e^x[i] */
export function expKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  return Math.exp(x[this.thread.x]);
}

/** out[i] = ln x[i] */
export function logKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  return Math.log(x[this.thread.x]);
}

/** out[i] = √x[i] */
export function sqrtKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  return Math.sqrt(x[this.thread.x]);
}

/** out[i] = x[i]² */
export function squareKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  const v = x[this.thread.x];
  return v * v;
}

/**
 * out[i] = σ(x[i]) = 1 / (1 + e^(−x)), written so that e^(·) never overflows:
 * for x < 0 it is e^x / (1 + e^x).
 */
export function sigmoidKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  const v = x[this.thread.x];
  const e = Math.exp(-Math.abs(v));
  if (v >= 0) {
    return 1 / (1 + e);
  }
  return e / (1 + e);
}

/** out[i] = tanh x[i] = sign(x) · (1 − e^(−2|x|)) / (1 + e^(−2|x|)), which never overflows. */
export function tanhKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  const v = x[this.thread.x];
  const e = Math.exp(-2 * Math.abs(v));
  const t = (1 - e) / (1 + e);
  if (v < 0) {
    return -t;
  }
  return t;
}

/** out[i] = max(0, x[i]) */
export function reluKernel(this: IKernelFunctionThis<NoConstants>, x: Float32Array): number {
  return Math.max(0, x[this.thread.x]);
}
