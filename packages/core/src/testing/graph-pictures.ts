/**
 * `toDot` draws the graph that made a tensor: one node per op, named after it, and edges labelled
 * with the shapes they carry.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { toDot } from '../autograd/graph-dot.js';
import { matmul } from '../ops/matmul.js';
import { relu } from '../ops/activations.js';
import { tensor } from '../tensor/creation.js';
import type { ConformanceContext } from './context.js';
import { scopedTest } from './scoped.js';

/** Registers the graph-picture test. */
export function describeGraphPictures(context: ConformanceContext): void {
  describe('graph pictures', () => {
    it('toDot names the ops and labels each edge with its shape', () =>
      scopedTest(context, async () => {
        const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
        const w = tensor(
          Array.from({ length: 12 }, (_, i) => i / 12),
          [3, 4],
          { requiresGrad: true },
        );
        w.name = 'weight';
        const product = matmul(x, w);
        const activated = relu(product);
        const dot = toDot(activated);
        expect(dot).toMatch(/^digraph \{/);
        expect(dot.trimEnd()).toMatch(/\}$/);
        // One box per op, one ellipse per leaf (the parameter under its name).
        expect(dot).toContain(`t${product.id} [label="matmul"`);
        expect(dot).toContain(`t${activated.id} [label="relu"`);
        expect(dot).toMatch(new RegExp(`t${w.id} \\[label="weight\\\\n\\[3,4\\]"`));
        expect(dot).toMatch(new RegExp(`t${x.id} \\[label="input\\\\n\\[2,3\\]"`));
        // Edges carry the shape of the tensor that flows along them.
        expect(dot).toContain(`t${x.id} -> t${product.id} [label="[2,3]"]`);
        expect(dot).toContain(`t${w.id} -> t${product.id} [label="[3,4]"]`);
        expect(dot).toContain(`t${product.id} -> t${activated.id} [label="[2,4]"]`);
        expect(dot.match(/->/g)?.length, 'edges: x→matmul, w→matmul, matmul→relu, relu→output').toBe(4);
      }));
  });
}
