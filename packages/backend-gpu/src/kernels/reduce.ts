/**
 * Broadcasting to a larger shape and its backward pass, summing broadcast axes away. Shapes are
 * padded on the left to rank 4 (see `binary.ts`); an input is read through strides that are 0 on
 * the axes it broadcasts along.
 * @module
 */
import { broadcastStrides, type Shape } from '@lenet/core';
import { toRank4 } from '../rank4.js';
import type { GradientEpilogueConstants } from './gradient-epilogue.js';
import type { KernelThis } from './kernel-this.js';

/** Output extents (axes 1..3) and the strides of x, 0 on the axes where x has extent 1. */
export interface BroadcastToConstants {
  readonly outDim1: number;
  readonly outDim2: number;
  readonly outDim3: number;
  readonly xStride0: number;
  readonly xStride1: number;
  readonly xStride2: number;
  readonly xStride3: number;
}

/** out[i₀,i₁,i₂,i₃] = x[i₀·s₀ + i₁·s₁ + i₂·s₂ + i₃·s₃], the strides s being 0 where x has extent 1. */
export function broadcastToKernel(this: KernelThis<BroadcastToConstants>, x: Float32Array): number {
  const i = this.thread.x;
  const r2 = Math.floor((i + 0.5) / this.constants.outDim3);
  const i3 = i - r2 * this.constants.outDim3;
  const r1 = Math.floor((r2 + 0.5) / this.constants.outDim2);
  const i2 = r2 - r1 * this.constants.outDim2;
  const i0 = Math.floor((r1 + 0.5) / this.constants.outDim1);
  const i1 = r1 - i0 * this.constants.outDim1;
  return x[i0 * this.constants.xStride0 + i1 * this.constants.xStride1 + i2 * this.constants.xStride2 + i3 * this.constants.xStride3];
}

/**
 * The extents of x (rank 4), the output's extents on axes 1..3, and how far each output
 * element sums along each axis: `reduce_k` = x's extent on a summed axis, 1 on a kept one.
 */
export interface SumToConstants {
  readonly xDim1: number;
  readonly xDim2: number;
  readonly xDim3: number;
  readonly outDim1: number;
  readonly outDim2: number;
  readonly outDim3: number;
  readonly reduce0: number;
  readonly reduce1: number;
  readonly reduce2: number;
  readonly reduce3: number;
}

/**
 * out[o₀,o₁,o₂,o₃] = Σ_{j₀ < reduce₀} Σ_{j₁} Σ_{j₂} Σ_{j₃} x[o₀+j₀, o₁+j₁, o₂+j₂, o₃+j₃]:
 * on a summed axis o_k = 0 and j_k runs over x's extent; on a kept axis j_k = 0.
 */
export function sumToKernel(
  this: KernelThis<SumToConstants & GradientEpilogueConstants>,
  x: Float32Array,
  other: Float32Array,
  lr: number,
): number {
  const i = this.thread.x;
  const r2 = Math.floor((i + 0.5) / this.constants.outDim3);
  const o3 = i - r2 * this.constants.outDim3;
  const r1 = Math.floor((r2 + 0.5) / this.constants.outDim2);
  const o2 = r2 - r1 * this.constants.outDim2;
  const o0 = Math.floor((r1 + 0.5) / this.constants.outDim1);
  const o1 = r1 - o0 * this.constants.outDim1;
  let sum = 0;
  for (let j0 = 0; j0 < this.constants.reduce0; j0++) {
    for (let j1 = 0; j1 < this.constants.reduce1; j1++) {
      for (let j2 = 0; j2 < this.constants.reduce2; j2++) {
        const base = (((o0 + j0) * this.constants.xDim1 + o1 + j1) * this.constants.xDim2 + o2 + j2) * this.constants.xDim3 + o3;
        for (let j3 = 0; j3 < this.constants.reduce3; j3++) {
          sum += x[base + j3];
        }
      }
    }
  }
  return this.gradientEpilogue(sum, other[i], lr);
}

/** The constants of broadcasting `x` to `outShape` (both padded to rank 4). */
export function broadcastToConstants(x: Shape, outShape: Shape): BroadcastToConstants {
  const out = toRank4(outShape, 'broadcastTo');
  const [s0, s1, s2, s3] = broadcastStrides(toRank4(x, 'broadcastTo'), out);
  return { outDim1: out[1], outDim2: out[2], outDim3: out[3], xStride0: s0, xStride1: s1, xStride2: s2, xStride3: s3 };
}

/** The constants of summing `x` (rank 4) down to `out` (rank 4, 1 on the summed axes). */
export function sumToConstants(x: readonly number[], out: readonly number[]): SumToConstants {
  const [r0, r1, r2, r3] = x.map((extent, axis) => (out[axis] === 1 ? extent : 1));
  return {
    xDim1: x[1],
    xDim2: x[2],
    xDim3: x[3],
    outDim1: out[1],
    outDim2: out[2],
    outDim3: out[3],
    reduce0: r0,
    reduce1: r1,
    reduce2: r2,
    reduce3: r3,
  };
}
