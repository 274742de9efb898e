/**
 * The activations of formula (2), a = f(z), and their gradients, written once for every kernel of
 * this package: each is a snippet of kernel source that the element-wise kernels below, the fused
 * kernels' epilogue (`epilogue.ts`) and the gradient epilogue (`gradient-epilogue.ts`) splice in
 * (`kernel-this.ts` says how). The activations are core's list (`FUSED_ACTIVATIONS`), and a
 * kernel's activation code is the position in that list, so a new activation in core is a compile
 * error here until it has its snippets.
 * @module
 */
import { FUSED_ACTIVATIONS, type FusedActivation } from '@lenet/core';
import type { KernelThis } from './kernel-this.js';

/** One activation as kernel source. Each function takes the names of locals and returns statements that end in `return`. */
export interface ActivationSnippet {
  /** Returns f(z). */
  readonly forward: (z: string) => string;
  /** Returns dy · f′, with f′ written through `input`: y = f(x) or x, as core's `activationGrad` reads it. */
  readonly gradient: (dy: string, input: string) => string;
}

/** Every activation of core's `FUSED_ACTIVATIONS` (identity included) as kernel source, as backend-cpu's kernels compute them. */
export const ACTIVATION_SNIPPETS: { readonly [F in FusedActivation]: ActivationSnippet } = {
  identity: {
    forward: (z) => `return ${z};`,
    gradient: (dy) => `return ${dy};`,
  },
  sigmoid: {
    // σ(z) = 1 / (1 + e^(−z)), written so that e^(·) never overflows: e^z / (1 + e^z) for z < 0; σ′ = y·(1 − y)
    forward: (z) => `const e = Math.exp(-Math.abs(${z}));\nif (${z} >= 0) {\n  return 1 / (1 + e);\n}\nreturn e / (1 + e);`,
    gradient: (dy, y) => `return ${dy} * ${y} * (1 - ${y});`,
  },
  tanh: {
    // tanh z = sign(z) · (1 − e^(−2|z|)) / (1 + e^(−2|z|)), which never overflows; tanh′ = 1 − y²
    forward: (z) =>
      `const e2 = Math.exp(-2 * Math.abs(${z}));\nconst t = (1 - e2) / (1 + e2);\nif (${z} < 0) {\n  return -t;\n}\nreturn t;`,
    gradient: (dy, y) => `return ${dy} * (1 - ${y} * ${y});`,
  },
  relu: {
    // max(0, z); ReLU′ = [x > 0] (the same as [y > 0], which the fused kernels' epilogue reads)
    forward: (z) => `return Math.max(0, ${z});`,
    gradient: (dy, x) => `if (${x} > 0) {\n  return ${dy};\n}\nreturn 0;`,
  },
};

/** The code a kernel's constants carry for `f`: its position in core's `FUSED_ACTIVATIONS` (identity 0). */
export function activationCode(f: FusedActivation): number {
  return FUSED_ACTIVATIONS.indexOf(f);
}

/**
 * The activation of a code.
 * @throws RangeError for a code that is not a position in core's `FUSED_ACTIVATIONS`
 */
export function activationOfCode(code: number): FusedActivation {
  const f = FUSED_ACTIVATIONS[code];
  if (f === undefined) {
    throw new RangeError(`activation code ${code} is not one of core's FUSED_ACTIVATIONS (${FUSED_ACTIVATIONS.join(', ')})`);
  }
  return f;
}

/** The activation of the element-wise kernels below, as {@link activationCode}. */
export interface ActivationConstants {
  readonly activation: number;
}

/** out[i] = f(x[i]), element-wise (core's `unary` for an activation). */
export function activationKernel(this: KernelThis<ActivationConstants>, x: Float32Array): number {
  const z = x[this.thread.x];
  return this.activate(z);
}

/** dx[i] = dy[i] · f′, f′ written through input[i] (y = f(x) or x, see core's `activationGrad`). */
export function activationGradKernel(this: KernelThis<ActivationConstants>, input: Float32Array, dy: Float32Array): number {
  const at = input[this.thread.x];
  const d = dy[this.thread.x];
  return this.activationGradient(d, at);
}
