/**
 * The small pure pieces: the NCHW index mapping every kernel inlines, the rank-4 broadcasting view,
 * software-renderer detection (what `auto` decides on).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGpuBackend, flatIndexOfNchw, isSoftwareRenderer, MAX_EXACT_INDEX, nchwOfFlatIndex } from '../src/index.js';
import { broadcastStrides } from '@lenet/core';
import { toRank4 } from '../src/rank4.js';

describe('the NCHW ↔ flat index mapping (layout.ts)', () => {
  it('round-trips every element of random non-square shapes, as the kernels compute it', () => {
    const shapeAndIndex = fc
      .tuple(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 1, max: 31 }),
      )
      .chain((shape) =>
        fc.record({ shape: fc.constant(shape), index: fc.integer({ min: 0, max: shape[0] * shape[1] * shape[2] * shape[3] - 1 }) }),
      );
    fc.assert(
      fc.property(shapeAndIndex, ({ shape, index }) => {
        const at = nchwOfFlatIndex(shape, index);
        expect(at.n).toBeLessThan(shape[0]);
        expect(at.c).toBeLessThan(shape[1]);
        expect(at.x).toBeLessThan(shape[2]);
        expect(at.y).toBeLessThan(shape[3]);
        expect(Math.min(at.n, at.c, at.y, at.x)).toBeGreaterThanOrEqual(0);
        expect(flatIndexOfNchw(shape, at)).toBe(index);
      }),
    );
  });

  it('decomposes a hand-worked index: 67 in [2,3,4,5] is n=1, c=0, row x=1, column y=2 (60 + 5 + 2)', () => {
    expect(nchwOfFlatIndex([2, 3, 4, 5], 67)).toEqual({ n: 1, c: 0, x: 1, y: 2 });
  });
});

describe('the rank-4 broadcasting view (rank4.ts)', () => {
  it('pads shapes with leading 1s and rejects rank 5, naming the op', () => {
    expect(toRank4([7], 'add')).toEqual([1, 1, 1, 7]);
    expect(toRank4([2, 3], 'add')).toEqual([1, 1, 2, 3]);
    expect(toRank4([], 'add')).toEqual([1, 1, 1, 1]);
    expect(() => toRank4([1, 2, 3, 4, 5], 'sumTo')).toThrow('sumTo: shape [1,2,3,4,5] has rank 5; the gpu.js backend handles rank ≤ 4');
  });

  it('gives stride 0 exactly on the broadcast axes', () => {
    // [1,6,1,1] (a bias) read as [2,6,3,4]: only the channel axis moves, one element per channel
    expect(broadcastStrides([1, 6, 1, 1], [2, 6, 3, 4])).toEqual([0, 1, 0, 0]);
    // a full [2,3,4,5] tensor keeps its row-major strides
    expect(broadcastStrides([2, 3, 4, 5], [2, 3, 4, 5])).toEqual([60, 20, 5, 1]);
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]); // leading axes added, broadcast ones 0
  });
});

describe('software rasterisers (what auto avoids)', () => {
  it.each([
    ['llvmpipe-llvm-15-0-6-256-bits- (OpenGL ES 3.2 Mesa 22.3.6)', true],
    ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', true],
    ['google swiftshader', true],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', true],
    ['nvidia hopper NVIDIA H200', false],
    ['ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0)', false],
    ['apple m2', false],
  ])('%s → software %s', (name, software) => {
    expect(isSoftwareRenderer(name)).toBe(software);
  });
});

describe('the exact-index limit (MAX_EXACT_INDEX, enforced where kernels are launched)', () => {
  it('refuses a kernel whose output or input is larger than 2^23 elements, naming the kernel and the fix, before running it', async () => {
    const backend = await createGpuBackend({ mode: 'cpu' });
    try {
      expect(() => backend.fill([MAX_EXACT_INDEX + 1], 0)).toThrow(
        /fillKernel: a buffer of 8388609 elements is larger than 8388608 \(2\^23\).*smaller batch/,
      );
      const small = backend.fill([MAX_EXACT_INDEX], 1); // at the limit: allowed
      expect(backend.liveBuffers()).toBe(1);
      backend.dispose(small);
    } finally {
      backend.destroy();
    }
  });
});
