/**
 * The layers of `nn` on the backend under test: `describe()` (output shapes, parameter and
 * connection counts, LeCun's way), the shapes the layers really produce, their errors, and their
 * forward passes against the formulas — `Linear` as x·Wᵀ + b, `Conv2d` as formula (1) plus the bias
 * over drawn geometries whose height and width differ, activations, pooling and `Flatten` — within
 * the backend's tolerance.
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tidy } from '../engine/memory.js';
import { AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, Parameter, ReLU, Sequential, Sigmoid, SiLU, Tanh } from '../nn/index.js';
import { Rng } from '../random/rng.js';
import { computeConv2dInfo } from '../shape/window-info.js';
import { tensor } from '../tensor/creation.js';
import { windowAxes } from './arbitraries.js';
import type { ConformanceContext } from './context.js';
import { expectAllClose, expectTensor } from './expect-close.js';
import { d2lLeNet, present, wave } from './networks.js';
import { referenceConv2d } from './reference.js';
import { scopedTest } from './scoped.js';

/** Registers the layer checks. */
export function describeLayerChecks(context: ConformanceContext): void {
  const runs = { numRuns: context.numRuns, ...(context.seed === undefined ? {} : { seed: context.seed }) };

  describe('nn layers: describe(), output shapes, parameter and connection counts', () => {
    it('traces d2l’s LeNet layer by layer, with LeCun’s connection counts', () => {
      const net = d2lLeNet(new Rng(6));
      const rows = net.trace([256, 1, 28, 28]);
      expect(rows.map((row) => [row.name, [...row.outputShape], row.parameters, row.connections])).toEqual([
        ['0', [256, 6, 28, 28], 6 * 25 + 6, 28 * 28 * 6 * 26], // C1: 122,304 connections, as LeCun counts them
        ['1', [256, 6, 28, 28], 0, 0],
        ['2', [256, 6, 14, 14], 0, 14 * 14 * 6 * 4],
        ['3', [256, 16, 10, 10], 16 * 6 * 25 + 16, 10 * 10 * 16 * (6 * 25 + 1)],
        ['4', [256, 16, 10, 10], 0, 0],
        ['5', [256, 16, 5, 5], 0, 5 * 5 * 16 * 4],
        ['6', [256, 400], 0, 0],
        ['7', [256, 120], 48_120, 120 * 401],
        ['8', [256, 120], 0, 0],
        ['9', [256, 84], 10_164, 84 * 121],
        ['10', [256, 84], 0, 0],
        ['11', [256, 10], 850, 10 * 85],
      ]);
      expect(rows[0].connections).toBe(122_304);
      expect(rows[3].inputShape).toEqual([256, 6, 14, 14]);
      const total = net.describe([256, 1, 28, 28]);
      expect(total.outputShape).toEqual([256, 10]);
      expect(total.parameters).toBe(net.numParameters());
      expect(total.connections).toBe(rows.reduce((sum, row) => sum + row.connections, 0));
      net.dispose();
    });

    it('handles non-square kernels, strides and paddings that differ along height and width', () => {
      const rng = new Rng(7);
      const conv = new Conv2d(3, 4, [3, 2], { stride: [2, 1], padding: [1, 0], rng });
      // outH = ⌊(7 + 2 − 3)/2⌋ + 1 = 4, outW = ⌊(6 + 0 − 2)/1⌋ + 1 = 5
      expect(conv.describe([2, 3, 7, 6])).toEqual({
        outputShape: [2, 4, 4, 5],
        parameters: 4 * 3 * 3 * 2 + 4,
        connections: 4 * 5 * 4 * (3 * 3 * 2 + 1),
      });
      const noBias = new Conv2d(3, 4, [3, 2], { stride: [2, 1], padding: [1, 0], bias: false, rng });
      expect(noBias.describe([2, 3, 7, 6])).toEqual({ outputShape: [2, 4, 4, 5], parameters: 72, connections: 4 * 5 * 4 * 18 });
      expect(noBias.namedParameters().map(([name]) => name)).toEqual(['weight']);
      // pooling: window [3,2], stride [1,2], padding [1,0] on [1,2,5,7]: outH = ⌊(5+2−3)/1⌋+1 = 5, outW = ⌊(7−2)/2⌋+1 = 3
      expect(new MaxPool2d([3, 2], [1, 2], [1, 0]).describe([1, 2, 5, 7])).toEqual({
        outputShape: [1, 2, 5, 3],
        parameters: 0,
        connections: 5 * 3 * 2 * 6,
      });
      expect(new AvgPool2d([3, 2], [1, 2], [1, 0]).outputShape([1, 2, 5, 7])).toEqual([1, 2, 5, 3]);
      const linear = new Linear(400, 120, { rng });
      expect(linear.describe([8, 400])).toEqual({ outputShape: [8, 120], parameters: 48_120, connections: 48_120 });
      expect(new Flatten().describe([3, 16, 5, 4]).outputShape).toEqual([3, 320]);
      for (const layer of [conv, noBias, linear]) layer.dispose();
    });

    it('agrees with the shapes the layers actually produce', async () => {
      const net = d2lLeNet(new Rng(8));
      const x = tensor(wave(2 * 28 * 28), [2, 1, 28, 28]);
      await scopedTest(context, async () => {
        let activation = x;
        for (const row of net.trace([2, 1, 28, 28])) {
          activation = row.layer.call(activation);
          expect(activation.shape, `layer ${row.name}`).toEqual(row.outputShape);
        }
      });
      x.dispose();
      net.dispose();
    });

    it('names the layer and the shapes when an input does not fit', () => {
      const rng = new Rng(9);
      const linear = new Linear(400, 120, { rng });
      expect(() => linear.describe([8, 16, 5, 5])).toThrow(
        /Linear\(400, 120\): input has shape \[8,16,5,5\] but must be \[batch, 400\]; add a Flatten\(\) before it/,
      );
      expect(() => linear.describe([8, 300])).toThrow(/input has shape \[8,300\] but must be \[batch, 400\]/);
      const net = new Sequential(new Conv2d(1, 6, 5, { rng }), new Flatten(), new Linear(400, 10, { rng }));
      expect(() => net.trace([1, 1, 28, 28])).toThrow(/Sequential: layer 2 \(Linear\) cannot take input \[1,3456\]/);
      expect(() => net.describe([1, 3, 28, 28])).toThrow(/layer 0 \(Conv2d\).*expects 1 input channels but the input has 3/);
      const x = tensor(wave(3 * 400), [3, 400]);
      expect(() => tidy(() => net.layers[2].call(x.reshape([3, 16, 5, 5])))).toThrow(/Linear\(400, 10\).*\[3,16,5,5\]/);
      x.dispose();
      net.dispose();
      linear.dispose();
    });

    it('rejects bad layer arguments, naming them, and leaves no buffer behind', () => {
      const rng = new Rng(10);
      const before = context.backend.liveBuffers();
      expect(() => new Conv2d(0, 6, 5, { rng })).toThrow(/Conv2d: inChannels must be an integer ≥ 1, got 0/);
      expect(() => new Conv2d(1, 6, [5, 2.5], { rng })).toThrow(/Conv2d: kernel width must be an integer ≥ 1, got 2\.5/);
      expect(() => new Conv2d(1, 6, 5, { stride: [1, 0], rng })).toThrow(/Conv2d: stride \(width\) must be an integer ≥ 1, got 0/);
      expect(() => new Conv2d(1, 6, 5, { padding: -1, rng })).toThrow(/Conv2d: padding \(height\) must be an integer ≥ 0, got -1/);
      expect(() => new Linear(10, -3, { rng })).toThrow(/Linear: outFeatures must be a positive integer, got -3/);
      expect(() => new AvgPool2d(2, 2, 2)).toThrow(/AvgPool2d: padding \[2,2\] must be at most half the kernel \[2,2\]/);
      expect(() => new MaxPool2d(2, 0)).toThrow(/MaxPool2d: stride \(height\) must be a positive integer, got 0/);
      expect(() => new Parameter(new Float32Array(5), [2, 3])).toThrow(/Parameter: 5 values cannot fill shape \[2,3\], which holds 6/);
      expect(context.backend.liveBuffers()).toBe(before);
    });
  });

  describe('nn layers: forward passes against their formulas', () => {
    it('Linear computes x·Wᵀ + b', async () => {
      const layer = new Linear(3, 2, { rng: new Rng(12) });
      const w = await layer.weight.data();
      const b = await present(layer.bias, 'a bias').data();
      const xValues = [0.5, -1, 2, 3, 0.25, -0.75, -2, 1, 0.5, 1.5, -0.5, 0];
      const expected: number[] = [];
      for (let n = 0; n < 4; n++) {
        for (let j = 0; j < 2; j++) {
          let total = b[j];
          for (let i = 0; i < 3; i++) total += xValues[n * 3 + i] * w[j * 3 + i];
          expected.push(total);
        }
      }
      await scopedTest(context, () => expectTensor(layer.call(tensor(xValues, [4, 3])), [4, 2], expected, 'Linear(3, 2)'));
      layer.dispose();
    });

    it('Conv2d computes formula (1) + b[k] over drawn geometries (height and width differ), with or without bias', async () => {
      const geometry = fc.record({
        batch: fc.integer({ min: 1, max: 2 }),
        inChannels: fc.integer({ min: 1, max: 3 }),
        outChannels: fc.integer({ min: 1, max: 3 }),
        window: windowAxes('conv'),
        bias: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1000 }),
      });
      await fc.assert(
        fc.asyncProperty(geometry, async (g) => {
          const layer = new Conv2d(g.inChannels, g.outChannels, g.window.kernel, {
            stride: g.window.stride,
            padding: g.window.padding,
            bias: g.bias,
            rng: new Rng(g.seed),
          });
          const info = computeConv2dInfo([g.batch, g.inChannels, ...g.window.size], layer.weight.shape, g.window.stride, g.window.padding);
          const w = Array.from(await layer.weight.data());
          const b = layer.bias === null ? null : await layer.bias.data();
          const x = wave(info.batch * info.inChannels * info.inHeight * info.inWidth, g.seed);
          const plane = info.outHeight * info.outWidth;
          const expected = referenceConv2d(x, w, info).map(
            (z, offset) => z + (b === null ? 0 : b[Math.floor(offset / plane) % info.outChannels]),
          );
          const described = layer.describe(info.inShape);
          expect(described.outputShape).toEqual(info.outShape);
          expect(described.parameters).toBe(layer.numParameters());
          expect(described.connections).toBe(
            plane * g.outChannels * (g.inChannels * info.kernelHeight * info.kernelWidth + (g.bias ? 1 : 0)),
          );
          await scopedTest(context, () => expectTensor(layer.call(tensor(x, info.inShape)), info.outShape, expected, 'Conv2d'));
          layer.dispose();
        }),
        runs,
      );
    });

    it('Conv2d with stride [2,1] and padding [1,0] on a [2,2,5,4] input: the hand-written loops of formula (1)', async () => {
      const [N, C, H, W, K, kh, kw, sh, sw, ph, pw] = [2, 2, 5, 4, 3, 3, 2, 2, 1, 1, 0];
      const layer = new Conv2d(C, K, [kh, kw], { stride: [sh, sw], padding: [ph, pw], rng: new Rng(13) });
      const w = await layer.weight.data();
      const b = await present(layer.bias, 'a bias').data();
      const xValues = wave(N * C * H * W, 0.3);
      const outH = Math.floor((H + 2 * ph - kh) / sh) + 1;
      const outW = Math.floor((W + 2 * pw - kw) / sw) + 1;
      const expected: number[] = [];
      for (let n = 0; n < N; n++)
        for (let k = 0; k < K; k++)
          for (let i = 0; i < outH; i++)
            for (let j = 0; j < outW; j++) {
              let total = b[k];
              for (let c = 0; c < C; c++)
                for (let u = 0; u < kh; u++)
                  for (let v = 0; v < kw; v++) {
                    const row = i * sh + u - ph;
                    const col = j * sw + v - pw;
                    if (row < 0 || row >= H || col < 0 || col >= W) continue;
                    total += xValues[((n * C + c) * H + row) * W + col] * w[((k * C + c) * kh + u) * kw + v];
                  }
              expected.push(total);
            }
      await scopedTest(context, () =>
        expectTensor(layer.call(tensor(xValues, [N, C, H, W])), [N, K, outH, outW], expected, 'Conv2d(2, 3, [3,2])'),
      );
      layer.dispose();
    });

    it('activations, pooling and Flatten compute their formulas', async () => {
      const values = [-2, -0.5, 0, 0.5, 1, 3, -1, 2];
      await scopedTest(context, async () => {
        const x = tensor(values, [1, 2, 2, 2]);
        const { tolerance } = context.backend;
        expectAllClose(
          await new Sigmoid().call(x).data(),
          values.map((v) => 1 / (1 + Math.exp(-v))),
          tolerance,
          'Sigmoid',
        );
        expectAllClose(await new Tanh().call(x).data(), values.map(Math.tanh), tolerance, 'Tanh');
        expectAllClose(
          await new ReLU().call(x).data(),
          values.map((v) => Math.max(0, v)),
          tolerance,
          'ReLU',
        );
        expectAllClose(
          await new SiLU().call(x).data(),
          values.map((v) => v / (1 + Math.exp(-v))),
          tolerance,
          'SiLU',
        );
        await expectTensor(new AvgPool2d(2).call(x), [1, 2, 1, 1], [(-2 - 0.5 + 0 + 0.5) / 4, (1 + 3 - 1 + 2) / 4], 'AvgPool2d(2)');
        await expectTensor(new MaxPool2d(2).call(x), [1, 2, 1, 1], [0.5, 3], 'MaxPool2d(2)');
        await expectTensor(new Flatten().call(x), [1, 8], values, 'Flatten()');
      });
    });
  });
}
