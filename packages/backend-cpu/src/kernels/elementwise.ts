/**
 * Element-wise kernels with one input: out[i] = f(x[i]). Includes the activations of formula (2),
 * a = f(z), applied to every value of a layer's pre-activation z (their formulas: `activations.ts`).
 * @module
 */
import type { ActivationOp, UnaryOp } from '@lenet/core';
import { ACTIVATION_FORMULAS } from './activations.js';

/** The scalar function behind each `UnaryOp` that is not an activation (those are in `activations.ts`). */
const mathFunctions: Record<Exclude<UnaryOp, ActivationOp>, (x: number) => number> = {
  neg: (x) => -x,
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  sqrt: (x) => Math.sqrt(x),
  square: (x) => x * x,
};

function isActivation(op: UnaryOp): op is ActivationOp {
  return Object.hasOwn(ACTIVATION_FORMULAS, op);
}

/**
 * out[i] = f(x[i]) for the unary op `op` (see `UnaryOp`); the shape is kept.
 * @example unary('relu', Float32Array.of(-1, 2)) // [0, 2]
 */
export function unary(op: UnaryOp, x: Float32Array): Float32Array {
  const f = isActivation(op) ? ACTIVATION_FORMULAS[op].f : mathFunctions[op];
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  return out;
}

/**
 * out[i] = x[i] · scale + shift: scaling, shifting, `1 − x` (scale −1, shift 1) and the like.
 * @example affine(Float32Array.of(1, 2), -1, 1) // [0, -1]
 */
export function affine(x: Float32Array, scale: number, shift: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * scale + shift;
  return out;
}

/**
 * A buffer of `size` elements, every one equal to `value`.
 * @example fill(3, 0.5) // [0.5, 0.5, 0.5]
 */
export function fill(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
