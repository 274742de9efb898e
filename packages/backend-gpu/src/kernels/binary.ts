/**
 * Binary element-wise ops with NumPy broadcasting. Shapes are padded on the left to rank 4, so
 * `[K]` becomes `[1,1,1,K]` and `[N,K]` becomes `[1,1,N,K]`; the output's flat index `i` is split
 * into four coordinates (i₀, i₁, i₂, i₃) as in `layout.ts`. An input is read through strides
 * that are 0 on the axes it broadcasts along, so one kernel serves every pair of shapes.
 * @module
 */
import { broadcastStrides, type Shape } from '@lenet/core';
import type { KernelThis } from './kernel-this.js';
import { toRank4 } from '../rank4.js';

/** Output extents (axes 1..3; axis 0 needs none) and the strides of both inputs, 0 on broadcast axes. */
export interface BinaryBroadcastConstants {
  readonly outDim1: number;
  readonly outDim2: number;
  readonly outDim3: number;
  readonly aStride0: number;
  readonly aStride1: number;
  readonly aStride2: number;
  readonly aStride3: number;
  readonly bStride0: number;
  readonly bStride1: number;
  readonly bStride2: number;
  readonly bStride3: number;
}

/** out[i₀,i₁,i₂,i₃] = a[…] + b[…] with NumPy broadcasting. */
export function addKernel(this: KernelThis<BinaryBroadcastConstants>, a: Float32Array, b: Float32Array): number {
  const i = this.thread.x;
  const r2 = Math.floor((i + 0.5) / this.constants.outDim3);
  const i3 = i - r2 * this.constants.outDim3;
  const r1 = Math.floor((r2 + 0.5) / this.constants.outDim2);
  const i2 = r2 - r1 * this.constants.outDim2;
  const i0 = Math.floor((r1 + 0.5) / this.constants.outDim1);
  const i1 = r1 - i0 * this.constants.outDim1;
  const ia = i0 * this.constants.aStride0 + i1 * this.constants.aStride1 + i2 * this.constants.aStride2 + i3 * this.constants.aStride3;
  const ib = i0 * this.constants.bStride0 + i1 * this.constants.bStride1 + i2 * this.constants.bStride2 + i3 * this.constants.bStride3;
  return a[ia] + b[ib];
}

/** out[i₀,i₁,i₂,i₃] = a[…] − b[…] with NumPy broadcasting. */
export function subKernel(this: KernelThis<BinaryBroadcastConstants>, a: Float32Array, b: Float32Array): number {
  const i = this.thread.x;
  const r2 = Math.floor((i + 0.5) / this.constants.outDim3);
  const i3 = i - r2 * this.constants.outDim3;
  const r1 = Math.floor((r2 + 0.5) / this.constants.outDim2);
  const i2 = r2 - r1 * this.constants.outDim2;
  const i0 = Math.floor((r1 + 0.5) / this.constants.outDim1);
  const i1 = r1 - i0 * this.constants.outDim1;
  const ia = i0 * this.constants.aStride0 + i1 * this.constants.aStride1 + i2 * this.constants.aStride2 + i3 * this.constants.aStride3;
  const ib = i0 * this.constants.bStride0 + i1 * this.constants.bStride1 + i2 * this.constants.bStride2 + i3 * this.constants.bStride3;
  return a[ia] - b[ib];
}

/** out[i₀,i₁,i₂,i₃] = a[…] · b[…] with NumPy broadcasting. */
export function mulKernel(this: KernelThis<BinaryBroadcastConstants>, a: Float32Array, b: Float32Array): number {
  const i = this.thread.x;
  const r2 = Math.floor((i + 0.5) / this.constants.outDim3);
  const i3 = i - r2 * this.constants.outDim3;
  const r1 = Math.floor((r2 + 0.5) / this.constants.outDim2);
  const i2 = r2 - r1 * this.constants.outDim2;
  const i0 = Math.floor((r1 + 0.5) / this.constants.outDim1);
  const i1 = r1 - i0 * this.constants.outDim1;
  const ia = i0 * this.constants.aStride0 + i1 * this.constants.aStride1 + i2 * this.constants.aStride2 + i3 * this.constants.aStride3;
  const ib = i0 * this.constants.bStride0 + i1 * this.constants.bStride1 + i2 * this.constants.bStride2 + i3 * this.constants.bStride3;
  return a[ia] * b[ib];
}

/** out[i₀,i₁,i₂,i₃] = a[…] / b[…] with NumPy broadcasting. */
export function divKernel(this: KernelThis<BinaryBroadcastConstants>, a: Float32Array, b: Float32Array): number {
  const i = this.thread.x;
  const r2 = Math.floor((i + 0.5) / this.constants.outDim3);
  const i3 = i - r2 * this.constants.outDim3;
  const r1 = Math.floor((r2 + 0.5) / this.constants.outDim2);
  const i2 = r2 - r1 * this.constants.outDim2;
  const i0 = Math.floor((r1 + 0.5) / this.constants.outDim1);
  const i1 = r1 - i0 * this.constants.outDim1;
  const ia = i0 * this.constants.aStride0 + i1 * this.constants.aStride1 + i2 * this.constants.aStride2 + i3 * this.constants.aStride3;
  const ib = i0 * this.constants.bStride0 + i1 * this.constants.bStride1 + i2 * this.constants.bStride2 + i3 * this.constants.bStride3;
  return a[ia] / b[ib];
}

/** The constants of `op` on operands `a` and `b` broadcast to `outShape` (each padded to rank 4). */
export function binaryConstants(op: string, a: Shape, b: Shape, outShape: Shape): BinaryBroadcastConstants {
  const out = toRank4(outShape, op);
  const [a0, a1, a2, a3] = broadcastStrides(toRank4(a, op), out);
  const [b0, b1, b2, b3] = broadcastStrides(toRank4(b, op), out);
  return {
    outDim1: out[1],
    outDim2: out[2],
    outDim3: out[3],
    aStride0: a0,
    aStride1: a1,
    aStride2: a2,
    aStride3: a3,
    bStride0: b0,
    bStride1: b1,
    bStride2: b2,
    bStride3: b3,
  };
}
