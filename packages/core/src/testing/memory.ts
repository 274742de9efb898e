/**
 * Memory: scopes free intermediates (also across `await`), `keep` and `dispose` behave, a disposed
 * tensor cannot be used, a reshape shares its buffer until the last sharer goes, and gradients
 * accumulate over backward calls. Every test counts the backend's live buffers.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { dispose, keep, noGrad, tidy, tidyAsync } from '../engine/memory.js';
import { add } from '../ops/arithmetic.js';
import { crossEntropy, logSoftmax, softmax } from '../ops/softmax.js';
import { broadcastTo, mean, sum, sumTo } from '../ops/reduce.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConformanceContext } from './context.js';
import { expectTensor, gradOf } from './expect-close.js';

/** Disposes `root` and every tensor it was computed from. */
function disposeGraph(root: Tensor): void {
  // Walk through tensors already disposed too: composite ops (sum, mean, crossEntropy) free their
  // internal tensors themselves, but the walk must still reach the inputs behind them.
  const stack = [root];
  const seen = new Set<Tensor>();
  while (stack.length > 0) {
    const tensor = stack.pop();
    if (tensor === undefined || seen.has(tensor)) continue;
    seen.add(tensor);
    stack.push(...tensor.inputs);
    tensor.dispose();
  }
}

/** Registers the memory tests. */
export function describeMemory(context: ConformanceContext): void {
  const live = () => context.backend.liveBuffers();

  describe('memory: scopes, keep, dispose', () => {
    it('tidy frees every intermediate and keeps the returned tensor', async () => {
      const before = live();
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const y = tidy(() => x.mul(2).add(1).square().sum([1]));
      // x and y live; the three intermediates (mul, add, square) and sum's internals are gone.
      expect(live()).toBe(before + 2);
      await expectTensor(y, [2], [9 + 25 + 49, 81 + 121 + 169], 'tidy result');
      dispose(x, y);
      expect(live()).toBe(before);
    });

    it('tidy keeps arrays and objects of returned tensors, and tensors passed to keep', () => {
      const before = live();
      let kept: Tensor | null = null;
      const result = tidy(() => {
        const a = tensor([1, 2], [2]);
        const b = a.add(1);
        kept = keep(b.mul(3));
        b.sub(1); // made and dropped: freed
        return { pair: [a, b], scalar: a.sum() };
      });
      expect(live()).toBe(before + 4);
      dispose(...result.pair, result.scalar, kept);
      expect(live()).toBe(before);
    });

    it('nested tidy: the inner result belongs to the outer scope', () => {
      const before = live();
      const outer = tidy(() => {
        const inner = tidy(() => tensor([1, 2, 3], [3]).exp());
        expect(inner.isDisposed).toBe(false);
        return inner.sum();
      });
      expect(live()).toBe(before + 1);
      expect(outer.isDisposed).toBe(false);
      outer.dispose();
      expect(live()).toBe(before);
    });

    it('tidy frees everything when its function throws, and rejects a Promise', () => {
      const before = live();
      expect(() =>
        tidy(() => {
          tensor([1, 2, 3], [3]).neg();
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(live()).toBe(before);
      expect(() => tidy(() => Promise.resolve(tensor([1], [1])))).toThrow(/tidy: the function returned a Promise; use `await tidyAsync/);
      expect(live()).toBe(before);
    });

    it('tidyAsync keeps its scope open across await and frees at the end', async () => {
      const before = live();
      const result = await tidyAsync(async () => {
        const a = tensor([1, 2, 3, 4], [2, 2]);
        const values = await a.data();
        const b = a.mul(values[3]); // made after the await: still in this scope
        await b.data();
        const c = b.add(a);
        expect(live()).toBe(before + 3);
        return c;
      });
      expect(live()).toBe(before + 1);
      await expectTensor(result, [2, 2], [5, 10, 15, 20], 'tidyAsync result');
      result.dispose();
      expect(live()).toBe(before);
    });

    it('dispose twice is harmless; dispose() skips null and disposed tensors', () => {
      const before = live();
      const t = tensor([1, 2], [2]);
      t.dispose();
      expect(t.isDisposed).toBe(true);
      t.dispose();
      dispose(t, null, undefined);
      expect(live()).toBe(before);
    });

    it('using a disposed tensor is an error that names it', async () => {
      const before = live();
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const y = tensor([1, 1, 1, 1, 1, 1], [2, 3]);
      x.dispose();
      expect(() => add(y, x)).toThrow(/^add: input .*\[2,3\] was already disposed/);
      expect(() => x.relu()).toThrow(/^relu: input .*\[2,3\] was already disposed/);
      await expect(x.data()).rejects.toThrow(/\[2,3\] was used after it was disposed/);
      y.dispose();
      expect(live()).toBe(before);
    });

    it('reshape shares the buffer; it is freed when the last sharer is disposed', async () => {
      const before = live();
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const r = x.reshape([3, 2]);
      const f = r.flatten(0);
      expect(live()).toBe(before + 1);
      expect(r.dataId).toBe(x.dataId);
      x.dispose();
      expect(live()).toBe(before + 1);
      await expectTensor(r, [3, 2], [1, 2, 3, 4, 5, 6], 'reshape after its source was disposed');
      r.dispose();
      expect(live()).toBe(before + 1);
      await expectTensor(f, [6], [1, 2, 3, 4, 5, 6], 'flatten after its sources were disposed');
      f.dispose();
      expect(live()).toBe(before);
    });

    it('assign swaps a leaf’s data in place and frees the old buffer', async () => {
      const before = live();
      const w = tensor([1, 2, 3], [3], { requiresGrad: true });
      tidy(() => w.assign(w.mul(10)));
      expect(live()).toBe(before + 1);
      await expectTensor(w, [3], [10, 20, 30], 'assigned values');
      w.dispose();
      expect(live()).toBe(before);
    });
  });

  describe('memory: nested scopes', () => {
    it('an inner tidy that returns an older tensor does not hand it to the outer scope to free', async () => {
      const kept = keep(tensor([1, 2, 3], [3]));
      const outerMade = tidy(() => {
        const same = tidy(() => kept);
        expect(same).toBe(kept);
        return kept.mul(2);
      });
      expect(kept.isDisposed).toBe(false);
      expect(Array.from(await kept.data())).toEqual([1, 2, 3]);
      expect(Array.from(await outerMade.data())).toEqual([2, 4, 6]);
      dispose(kept, outerMade);
    });

    it('a tensor made in the outer scope and returned by an inner one is still freed by the outer scope', () => {
      const before = live();
      tidy(() => {
        const outer = tensor([1, 2], [2]);
        const returned = tidy(() => outer);
        expect(returned.isDisposed).toBe(false);
        return undefined;
      });
      expect(live()).toBe(before);
    });
  });

  describe('memory: composite ops', () => {
    it('sum, mean and crossEntropy keep no hidden buffer once their result and inputs are disposed', () => {
      const start = live();
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const labels = tensor([2, 0], [2]);
      const row = tensor([1, 2, 3], [3]);
      const results = [sum(x), sum(x, [1]), mean(x), mean(x, [0], true), crossEntropy(x, labels), broadcastTo(row, [2, 3])];
      expect(live()).toBeGreaterThan(start);
      dispose(...results, x, labels, row);
      expect(live()).toBe(start);
    });

    it('sumTo and broadcastTo to the same shape return a new tensor: disposing it leaves the input alive', async () => {
      const x = tensor([1, 2, 3, 4], [2, 2]);
      const summed = sumTo(x, [2, 2]);
      const broadcast = broadcastTo(x, [2, 2]);
      expect(summed).not.toBe(x);
      expect(broadcast).not.toBe(x);
      dispose(summed, broadcast);
      expect(Array.from(await x.data())).toEqual([1, 2, 3, 4]);
      x.dispose();
    });
  });

  describe('memory: gradients', () => {
    it('gradients accumulate over two backward calls (as in PyTorch) until disposed', async () => {
      const before = live();
      const x = tensor([1, -2, 3], [3], { requiresGrad: true });
      tidy(() => x.square().sum().backward()); // ∂/∂x Σx² = 2x
      expect(live()).toBe(before + 2);
      await expectTensor(gradOf(x), [3], [2, -4, 6], 'first gradient');
      tidy(() => x.mul(3).sum().backward()); // + ∂/∂x Σ3x = 3
      expect(live()).toBe(before + 2);
      await expectTensor(gradOf(x), [3], [5, -1, 9], 'accumulated gradient');
      dispose(x.grad, x);
      expect(live()).toBe(before);
    });

    it('backward() outside any scope leaves only the gradients behind', () => {
      const start = live();
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3], { requiresGrad: true });
      const y = tensor([0.5, -1, 2], [3], { requiresGrad: true });
      const logits = tensor([1, 2, 3, 0.5, -1, 2], [2, 3], { requiresGrad: true });
      // Ops whose gradients are built from several kernels: division with broadcasting (da, a/b,
      // the product, sumTo), sqrt, square, softmax and logSoftmax.
      const outputs: Array<[string, Tensor]> = [
        ['div', x.div(y).sum()],
        ['sqrt', x.sqrt().sum()],
        ['square', x.square().sum()],
        ['softmax', softmax(logits).mul(logits).sum()],
        ['logSoftmax', logSoftmax(logits).mul(logits).sum()],
      ];
      for (const [op, output] of outputs) {
        const before = live();
        const gradsBefore = [x, y, logits].filter((t) => t.grad !== null).length;
        output.backward();
        const newGrads = [x, y, logits].filter((t) => t.grad !== null).length - gradsBefore;
        expect(live(), `live buffers after backward() through ${op}: one more per new gradient`).toBe(before + newGrads);
      }
      dispose(x.grad, y.grad, logits.grad);
      for (const [, output] of outputs) disposeGraph(output);
      expect(live()).toBe(start);
    });

    it('noGrad records no gradient; detach shares the data but cuts the graph', async () => {
      const before = live();
      const x = tensor([1, -2, 3], [3], { requiresGrad: true });
      tidy(() => {
        const unrecorded = noGrad(() => x.mul(2).sum());
        expect(unrecorded.requiresGrad).toBe(false);
        expect(() => unrecorded.backward()).toThrow(/^backward: .* does not depend on any tensor with requiresGrad/);
        const constant = x.detach();
        expect(constant.requiresGrad).toBe(false);
        expect(constant.dataId).toBe(x.dataId);
        // y = Σ c ⊙ x with c = x held constant: ∂y/∂x = c, not 2x
        constant.mul(x).sum().backward();
      });
      await expectTensor(gradOf(x), [3], [1, -2, 3], 'gradient through a detached factor');
      dispose(x.grad, x);
      expect(live()).toBe(before);
    });

    it('a tensor used twice gets the sum of both paths', async () => {
      const before = live();
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3], { requiresGrad: true });
      // y = Σ (x·x + x): ∂y/∂x = 2x + 1, through mul (twice) and add
      tidy(() => add(x.mul(x), x).sum().backward());
      await expectTensor(gradOf(x), [2, 3], [3, 5, 7, 9, 11, 13], 'gradient of x·x + x');
      dispose(x.grad, x);
      expect(live()).toBe(before);
    });
  });
}
