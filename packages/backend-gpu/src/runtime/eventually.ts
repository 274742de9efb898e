/**
 * A value now or later. WebGPU kernels return promises (their build and readback are
 * asynchronous), WebGL and WebAssembly kernels return values; the backend treats both the same
 * way and only waits where it must. Core's kernels are synchronous, so a WebGPU result is kept
 * as a promise of its buffer and the next kernel is chained onto it.
 * @module
 */

/** A value of type `T`, or a promise of one. */
export type Eventually<T> = T | Promise<T>;

/**
 * Calls `f` with the settled values of `inputs`: at once when none is a promise (so the WebGL
 * and WebAssembly modes never leave the current task), after all settle otherwise.
 */
export function whenAll<T, R>(inputs: readonly Eventually<T>[], f: (values: readonly T[]) => Eventually<R>): Eventually<R> {
  if (inputs.every(isSettled)) {
    return f(inputs);
  }
  return Promise.all(inputs).then(f);
}

/** Whether `value` is already there (not a promise). */
export function isSettled<T>(value: Eventually<T>): value is T {
  return !(value instanceof Promise);
}
