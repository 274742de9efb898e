/**
 * Float64 reference implementations, written straight from the formulas, that the forward checks
 * compare a backend with over drawn shapes. They favour plainness over speed (the sizes are tiny).
 * @module
 */
import type { ActivationOp, FusedActivation } from '../ops/activations.js';
import { expandRank } from '../shape/broadcast.js';
import { sizeOf, stridesOf, type Shape } from '../shape/shape.js';
import type { WindowInfo } from '../shape/window-info.js';

/** Row-major offset of an NCHW element. */
function at4(shape: Shape, n: number, c: number, y: number, x: number): number {
  return ((n * shape[1] + c) * shape[2] + y) * shape[3] + x;
}

/**
 * Formula (1): z[n,k](y,x) = Σ_c Σ_u Σ_v a[n,c](y·sy + u − py, x·sx + v − px) · w[k,c](u,v),
 * reads outside the input being zero. `x` is `info.inShape`, `w` is `info.filterShape`.
 */
export function referenceConv2d(x: readonly number[], w: readonly number[], info: WindowInfo): number[] {
  const out: number[] = [];
  for (let n = 0; n < info.batch; n++) {
    for (let k = 0; k < info.outChannels; k++) {
      for (let oy = 0; oy < info.outHeight; oy++) {
        for (let ox = 0; ox < info.outWidth; ox++) {
          let total = 0;
          for (let c = 0; c < info.inChannels; c++) {
            for (let u = 0; u < info.kernelHeight; u++) {
              for (let v = 0; v < info.kernelWidth; v++) {
                const iy = oy * info.strideHeight + u - info.padHeight;
                const ix = ox * info.strideWidth + v - info.padWidth;
                if (iy < 0 || iy >= info.inHeight || ix < 0 || ix >= info.inWidth) continue;
                total += x[at4(info.inShape, n, c, iy, ix)] * w[at4(info.filterShape, k, c, u, v)];
              }
            }
          }
          out.push(total);
        }
      }
    }
  }
  return out;
}

/**
 * Pooling: the mean of each window with padding cells counted as zeros (divisor kh·kw), or the
 * maximum of its real cells.
 */
export function referencePool2d(kind: 'avg' | 'max', x: readonly number[], info: WindowInfo): number[] {
  const out: number[] = [];
  for (let n = 0; n < info.batch; n++) {
    for (let c = 0; c < info.inChannels; c++) {
      for (let oy = 0; oy < info.outHeight; oy++) {
        for (let ox = 0; ox < info.outWidth; ox++) {
          let total = 0;
          let largest = Number.NEGATIVE_INFINITY;
          for (let u = 0; u < info.kernelHeight; u++) {
            for (let v = 0; v < info.kernelWidth; v++) {
              const iy = oy * info.strideHeight + u - info.padHeight;
              const ix = ox * info.strideWidth + v - info.padWidth;
              if (iy < 0 || iy >= info.inHeight || ix < 0 || ix >= info.inWidth) continue;
              const value = x[at4(info.inShape, n, c, iy, ix)];
              total += value;
              largest = Math.max(largest, value);
            }
          }
          out.push(kind === 'avg' ? total / (info.kernelHeight * info.kernelWidth) : largest);
        }
      }
    }
  }
  return out;
}

/** C = op(A)·op(B) with A stored `[m,k]` (or `[k,m]` when transposed) and B `[k,n]` (or `[n,k]`). */
export function referenceMatmul(
  a: readonly number[],
  b: readonly number[],
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): number[] {
  const out: number[] = [];
  for (let row = 0; row < m; row++) {
    for (let column = 0; column < n; column++) {
      let total = 0;
      for (let i = 0; i < k; i++) {
        const left = transposeA ? a[i * m + row] : a[row * k + i];
        const right = transposeB ? b[column * k + i] : b[i * n + column];
        total += left * right;
      }
      out.push(total);
    }
  }
  return out;
}

/** The row-major offset in an operand of `shape` (broadcast to `outShape`) of the output element at `offset`. */
function broadcastOffset(offset: number, outShape: Shape, shape: Shape): number {
  const aligned = expandRank(shape, outShape.length);
  const alignedStrides = stridesOf(aligned);
  let remaining = offset;
  let source = 0;
  stridesOf(outShape).forEach((stride, axis) => {
    const coordinate = Math.floor(remaining / stride);
    remaining -= coordinate * stride;
    if (aligned[axis] !== 1) source += coordinate * alignedStrides[axis];
  });
  return source;
}

/** out = a ∘ b with NumPy broadcasting to `outShape`. */
export function referenceBinary(
  op: (a: number, b: number) => number,
  a: readonly number[],
  aShape: Shape,
  b: readonly number[],
  bShape: Shape,
  outShape: Shape,
): number[] {
  return Array.from({ length: sizeOf(outShape) }, (_, offset) =>
    op(a[broadcastOffset(offset, outShape, aShape)], b[broadcastOffset(offset, outShape, bShape)]),
  );
}

/** Sums `x` of `shape` down to `target` (same rank, 1 on the summed axes). */
export function referenceSumTo(x: readonly number[], shape: Shape, target: Shape): number[] {
  const out = new Array<number>(sizeOf(target)).fill(0);
  x.forEach((value, offset) => {
    out[broadcastOffset(offset, shape, target)] += value;
  });
  return out;
}

/** An activation in float64, for the checks: f, and whether f has a kink at 0 (finite differences then stay away from it). */
export interface ReferenceActivation {
  /** f(z). */
  readonly f: (z: number) => number;
  /** Whether f′ jumps at 0 (relu). */
  readonly kinkAtZero: boolean;
}

/** Every activation of core's `ACTIVATIONS`, written from its formula. */
export const REFERENCE_ACTIVATIONS: { readonly [F in ActivationOp]: ReferenceActivation } = {
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), kinkAtZero: false },
  tanh: { f: (z) => Math.tanh(z), kinkAtZero: false },
  relu: { f: (z) => Math.max(0, z), kinkAtZero: true },
  silu: { f: (z) => z / (1 + Math.exp(-z)), kinkAtZero: false },
};

/** f(z) in float64 for a fused activation (`identity`: z). */
export function referenceActivation(activation: FusedActivation, z: number): number {
  return activation === 'identity' ? z : REFERENCE_ACTIVATIONS[activation].f(z);
}
