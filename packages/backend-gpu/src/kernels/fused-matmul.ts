/**
 * Matrix product, bias and activation in one kernel, after tfjs's `fused.matMul` (backend-cpu
 * composes `matmul`, `add` and the activation).
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';
import type { EpilogueConstants } from './epilogue.js';
import type { MatmulConstants } from './matmul.js';

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
