/**
 * Example-based checks at LeNet's real sizes (batch 4), where loops run long enough to expose a
 * truncated loop bound or an index that loses precision: C1 `[4,1,28,28]`·`[6,1,5,5]` padding 2,
 * S2 2×2, C3 `[4,6,14,14]`·`[16,6,5,5]`, S4, F5 400→120, plus one strided, asymmetrically padded
 * convolution.
 * @module
 */
import { it } from 'vitest';
import { computeConv2dInfo, computePool2dInfo, sizeOf, type WindowInfo } from '@lenet/core';
import { seededValues } from './seeded-values.js';
import type { TwinBackends } from './twin-backends.js';

const CONVOLUTIONS: ReadonlyArray<[string, WindowInfo]> = [
  ['C1 [4,1,28,28]·[6,1,5,5] pad 2', computeConv2dInfo([4, 1, 28, 28], [6, 1, 5, 5], 1, 2)],
  ['C3 [4,6,14,14]·[16,6,5,5]', computeConv2dInfo([4, 6, 14, 14], [16, 6, 5, 5], 1, 0)],
  ['[3,2,17,11]·[5,2,4,3] stride [2,3] pad [1,2]', computeConv2dInfo([3, 2, 17, 11], [5, 2, 4, 3], [2, 3], [1, 2])],
];

const POOLS: ReadonlyArray<[string, WindowInfo]> = [
  ['S2 [4,6,28,28] 2×2', computePool2dInfo([4, 6, 28, 28], 2)],
  ['S4 [4,16,10,10] 2×2', computePool2dInfo([4, 16, 10, 10], 2)],
  ['[2,3,9,13] window [3,2] stride [2,1] pad [1,1]', computePool2dInfo([2, 3, 9, 13], [3, 2], [2, 1], [1, 1])],
];

/** Registers the LeNet-sized checks. */
export function describeLenetShapes(twins: () => TwinBackends): void {
  it.each(CONVOLUTIONS)('convolution %s, forward and both gradients, matches backend-cpu', async (_name, info) => {
    const twin = twins();
    try {
      const x = twin.upload(seededValues(11, sizeOf(info.inShape)), info.inShape);
      const w = twin.upload(seededValues(12, sizeOf(info.filterShape), -0.3, 0.3), info.filterShape);
      const dy = twin.upload(seededValues(13, sizeOf(info.outShape)), info.outShape);
      await twin.expectSame('conv2d', [x, w], (b, [xi, wi]) => b.conv2d(xi, wi, info));
      await twin.expectSame('conv2dBackpropInput', [dy, w], (b, [dyi, wi]) => b.conv2dBackpropInput(dyi, wi, info));
      await twin.expectSame('conv2dBackpropFilter', [x, dy], (b, [xi, dyi]) => b.conv2dBackpropFilter(xi, dyi, info));
      await twin.expectSame('sumTo (bias gradient)', [dy], (b, [dyi]) => b.sumTo(dyi, [1, info.outChannels, 1, 1]));
    } finally {
      twin.disposeAll();
    }
  });

  it.each(POOLS)('pooling %s, forward and gradient, matches backend-cpu', async (_name, info) => {
    const twin = twins();
    try {
      const x = twin.upload(seededValues(21, sizeOf(info.inShape)), info.inShape);
      const dy = twin.upload(seededValues(22, sizeOf(info.outShape)), info.outShape);
      await twin.expectSame('avgPool2d', [x], (b, [xi]) => b.avgPool2d(xi, info));
      await twin.expectSame('avgPool2dBackprop', [dy], (b, [dyi]) => b.avgPool2dBackprop(dyi, info));
      await twin.expectSame('maxPool2d', [x], (b, [xi]) => b.maxPool2d(xi, info));
      await twin.expectSame('maxPool2dBackprop', [dy, x], (b, [dyi, xi]) => b.maxPool2dBackprop(dyi, xi, info));
    } finally {
      twin.disposeAll();
    }
  });

  it('F5 400→120 forward and both gradients (y = x·Wᵀ, dx = dy·W, dW = dyᵀ·x) match backend-cpu', async () => {
    const twin = twins();
    try {
      const x = twin.upload(seededValues(31, 4 * 400), [4, 400]);
      const w = twin.upload(seededValues(32, 120 * 400, -0.1, 0.1), [120, 400]);
      const dy = twin.upload(seededValues(33, 4 * 120), [4, 120]);
      await twin.expectSame('x·Wᵀ', [x, w], (b, [xi, wi]) => b.matmul(xi, wi, false, true));
      await twin.expectSame('dy·W', [dy, w], (b, [dyi, wi]) => b.matmul(dyi, wi, false, false));
      await twin.expectSame('dyᵀ·x', [dy, x], (b, [dyi, xi]) => b.matmul(dyi, xi, true, false));
    } finally {
      twin.disposeAll();
    }
  });
}
