/**
 * `@lenet/backend-cpu`: a readable CPU backend. Every kernel is the textbook formula over
 * `Float32Array`, with loops named after the formula's symbols; it is the reference the other
 * backends are tested against.
 *
 * @example
 * import { setBackend } from '@lenet/core';
 * import { CpuBackend } from '@lenet/backend-cpu';
 * setBackend(new CpuBackend());
 * @module
 */
export { CpuBackend } from './cpu-backend.js';
export * as kernels from './kernels/index.js';
