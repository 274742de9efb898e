/**
 * The fused ops against what they fuse. Every activation (enumerated, not drawn) with and without a
 * bias, over drawn shapes, strides and paddings:
 * - the forward pass against a float64 reference of f(conv2d(x, w) + b) or f(op(a)·op(b) + b), recording
 *   gradients and not (an activation whose gradient reads z runs in one kernel only when not recording);
 * - every gradient (input, weight, bias) against the gradient of the unfused composition of core's
 *   own ops on the same backend, for a random upstream gradient, within a tolerance relative to
 *   the size of that gradient;
 * - the loss seed against autograd of `crossEntropy`, the running metrics against a float64
 *   reference, and the SGD update against w − η·g.
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, mul } from '../ops/arithmetic.js';
import { activation as applyActivation, FUSED_ACTIVATIONS, type FusedActivation } from '../ops/activations.js';
import { conv2d } from '../ops/conv2d.js';
import { fusedConv2d } from '../ops/fused-conv2d.js';
import { fusedMatmul } from '../ops/fused-matmul.js';
import { matmul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { accumulateClassificationMetrics, crossEntropy, crossEntropyGrad } from '../ops/softmax.js';
import { Parameter } from '../nn/parameter.js';
import { SGD } from '../optim/sgd.js';
import { noGrad } from '../engine/memory.js';
import { sizeOf } from '../shape/shape.js';
import { computeConv2dInfo } from '../shape/window-info.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { valuesIn, windowAxes } from './arbitraries.js';
import type { ConformanceContext } from './context.js';
import { expectAllClose, expectTensor, gradOf } from './expect-close.js';
import { referenceActivation, referenceConv2d, referenceMatmul } from './reference.js';
import { describeFoldedBackwardChecks, describeGradientEpilogueChecks } from './gradient-epilogue-checks.js';
import { scopedTest } from './scoped.js';

/** The unfused activation op. */
function activate(f: FusedActivation, z: Tensor): Tensor {
  return f === 'identity' ? z : applyActivation(f, z);
}

/**
 * Asserts that two gradients agree within tolerance · max(1, max |expected|): relative to the
 * gradient's own size, so a small gradient that is wrong (or zero) cannot hide under an absolute bound.
 */
async function expectGradientsClose(actual: Tensor, expected: Tensor, tolerance: number, what: string): Promise<void> {
  const [got, want] = [await actual.data(), await expected.data()];
  const scale = want.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
  expectAllClose(
    Array.from(got, (value) => value / Math.max(scale, 1e-6)),
    Array.from(want, (value) => value / Math.max(scale, 1e-6)),
    tolerance,
    `${what} (relative to max |gradient| ${scale.toExponential(2)})`,
  );
}

/** Registers the fused-op checks. */
export function describeFusedChecks(context: ConformanceContext): void {
  const runs = { numRuns: Math.max(2, Math.ceil(context.numRuns / 4)), ...(context.seed === undefined ? {} : { seed: context.seed }) };

  describe('fused ops: the same function and gradients as the ops they fuse', () => {
    for (const activation of FUSED_ACTIVATIONS) {
      for (const withBias of [true, false]) {
        const label = `${activation}${withBias ? ' + bias' : ', no bias'}`;

        it(`fusedConv2d (${label})`, async () => {
          const drawn = fc
            .record({
              batch: fc.integer({ min: 1, max: 6 }),
              inChannels: fc.integer({ min: 1, max: 3 }),
              outChannels: fc.integer({ min: 1, max: 3 }),
              window: windowAxes('conv'),
            })
            .chain((g) => {
              const info = computeConv2dInfo(
                [g.batch, g.inChannels, ...g.window.size],
                [g.outChannels, g.inChannels, ...g.window.kernel],
                g.window.stride,
                g.window.padding,
              );
              return fc.record({
                window: fc.constant(g.window),
                info: fc.constant(info),
                x: valuesIn(sizeOf(info.inShape), -2, 2),
                w: valuesIn(sizeOf(info.filterShape), -1, 1),
                b: valuesIn(g.outChannels, -1, 1),
                upstream: valuesIn(sizeOf(info.outShape), -1, 1),
              });
            });
          await fc.assert(
            fc.asyncProperty(drawn, (d) =>
              scopedTest(context, async () => {
                const options = { stride: d.window.stride, padding: d.window.padding };
                const [K, outH, outW] = [d.info.outChannels, d.info.outHeight, d.info.outWidth];
                const z = referenceConv2d(d.x, d.w, d.info);
                const expected = z.map((value, i) =>
                  referenceActivation(activation, value + (withBias ? d.b[Math.floor(i / (outH * outW)) % K] : 0)),
                );
                const make = (): Tensor[] => [
                  tensor(d.x, d.info.inShape, { requiresGrad: true }),
                  tensor(d.w, d.info.filterShape, { requiresGrad: true }),
                  tensor(d.b, [K], { requiresGrad: true }),
                ];
                const upstream = tensor(d.upstream, d.info.outShape);
                const [x, w, b] = make();
                const fused = fusedConv2d(x, w, withBias ? b : null, activation, options);
                await expectTensor(fused, d.info.outShape, expected, `fusedConv2d ${label}`);
                const inference = noGrad(() => fusedConv2d(x, w, withBias ? b : null, activation, options));
                await expectTensor(inference, d.info.outShape, expected, `fusedConv2d ${label}, recording no gradient (one kernel)`);
                sum(mul(fused, upstream)).backward();
                const [x2, w2, b2] = make();
                const convolved = conv2d(x2, w2, options);
                const unfused = activate(activation, withBias ? add(convolved, b2.reshape([1, K, 1, 1])) : convolved);
                sum(mul(unfused, upstream)).backward();
                const tolerance = 3 * context.backend.tolerance;
                await expectGradientsClose(gradOf(x), gradOf(x2), tolerance, `fusedConv2d ${label} ∂L/∂x`);
                await expectGradientsClose(gradOf(w), gradOf(w2), tolerance, `fusedConv2d ${label} ∂L/∂w`);
                if (withBias) await expectGradientsClose(gradOf(b), gradOf(b2), tolerance, `fusedConv2d ${label} ∂L/∂b`);
                else expect(b.grad, 'a bias that was not passed gets no gradient').toBeNull();
                for (const t of [x, w, b, x2, w2, b2]) t.grad?.dispose();
              }),
            ),
            runs,
          );
        });

        it(`fusedMatmul (${label})`, async () => {
          const drawn = fc
            .record({
              m: fc.integer({ min: 1, max: 4 }),
              k: fc.integer({ min: 1, max: 5 }),
              n: fc.integer({ min: 1, max: 4 }),
              transposeA: fc.boolean(),
              transposeB: fc.boolean(),
            })
            .chain((g) =>
              fc.record({
                g: fc.constant(g),
                a: valuesIn(g.m * g.k, -2, 2),
                b: valuesIn(g.k * g.n, -1, 1),
                bias: valuesIn(g.n, -1, 1),
                upstream: valuesIn(g.m * g.n, -1, 1),
              }),
            );
          await fc.assert(
            fc.asyncProperty(drawn, (d) =>
              scopedTest(context, async () => {
                const { m, k, n, transposeA, transposeB } = d.g;
                const aShape = transposeA ? [k, m] : [m, k];
                const bShape = transposeB ? [n, k] : [k, n];
                const z = referenceMatmul(d.a, d.b, m, k, n, transposeA, transposeB);
                const expected = z.map((value, i) => referenceActivation(activation, value + (withBias ? d.bias[i % n] : 0)));
                const make = (): Tensor[] => [
                  tensor(d.a, aShape, { requiresGrad: true }),
                  tensor(d.b, bShape, { requiresGrad: true }),
                  tensor(d.bias, [n], { requiresGrad: true }),
                ];
                const upstream = tensor(d.upstream, [m, n]);
                const [a, b, bias] = make();
                const fused = fusedMatmul(a, b, withBias ? bias : null, activation, { transposeA, transposeB });
                await expectTensor(fused, [m, n], expected, `fusedMatmul ${label}`);
                const inference = noGrad(() => fusedMatmul(a, b, withBias ? bias : null, activation, { transposeA, transposeB }));
                await expectTensor(inference, [m, n], expected, `fusedMatmul ${label}, recording no gradient (one kernel)`);
                sum(mul(fused, upstream)).backward();
                const [a2, b2, bias2] = make();
                const product = matmul(a2, b2, { transposeA, transposeB });
                const unfused = activate(activation, withBias ? add(product, bias2) : product);
                sum(mul(unfused, upstream)).backward();
                const tolerance = 3 * context.backend.tolerance;
                await expectGradientsClose(gradOf(a), gradOf(a2), tolerance, `fusedMatmul ${label} ∂L/∂a`);
                await expectGradientsClose(gradOf(b), gradOf(b2), tolerance, `fusedMatmul ${label} ∂L/∂b`);
                if (withBias) await expectGradientsClose(gradOf(bias), gradOf(bias2), tolerance, `fusedMatmul ${label} ∂L/∂bias`);
                else expect(bias.grad, 'a bias that was not passed gets no gradient').toBeNull();
                for (const t of [a, b, bias, a2, b2, bias2]) t.grad?.dispose();
              }),
            ),
            runs,
          );
        });
      }
    }

    const classification = fc.record({ batch: fc.integer({ min: 1, max: 6 }), classes: fc.integer({ min: 2, max: 5 }) }).chain((g) =>
      fc.record({
        g: fc.constant(g),
        // a coarse grid makes ties between logits common, to check "the first largest wins"
        logits: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: g.batch * g.classes, maxLength: g.batch * g.classes }),
        labels: fc.array(fc.integer({ min: 0, max: g.classes - 1 }), { minLength: g.batch, maxLength: g.batch }),
        previous: valuesIn(2, 0, 50),
      }),
    );

    it('crossEntropyGrad equals the gradient autograd gives crossEntropy', async () => {
      await fc.assert(
        fc.asyncProperty(classification, (d) =>
          scopedTest(context, async () => {
            const { batch, classes } = d.g;
            const logits = tensor(d.logits, [batch, classes], { requiresGrad: true });
            const labels = tensor(d.labels, [batch]);
            crossEntropy(logits, labels).backward();
            const expected: number[] = [];
            for (let n = 0; n < batch; n++) {
              const row = d.logits.slice(n * classes, (n + 1) * classes);
              const total = row.reduce((s, v) => s + Math.exp(v), 0);
              row.forEach((v, c) => expected.push((Math.exp(v) / total - (c === d.labels[n] ? 1 : 0)) / batch));
            }
            await expectTensor(crossEntropyGrad(logits, labels), [batch, classes], expected, 'crossEntropyGrad');
            await expectGradientsClose(
              crossEntropyGrad(logits, labels),
              gradOf(logits),
              3 * context.backend.tolerance,
              'crossEntropyGrad vs autograd',
            );
            logits.grad?.dispose();
          }),
        ),
        runs,
      );
    });

    it('accumulateClassificationMetrics adds the summed loss and the correct count (first arg-max on ties)', async () => {
      await fc.assert(
        fc.asyncProperty(classification, (d) =>
          scopedTest(context, async () => {
            const { batch, classes } = d.g;
            let lossSum = 0;
            let correct = 0;
            for (let n = 0; n < batch; n++) {
              const row = d.logits.slice(n * classes, (n + 1) * classes);
              const largest = Math.max(...row);
              lossSum += Math.log(row.reduce((s, v) => s + Math.exp(v - largest), 0)) + largest - row[d.labels[n]];
              if (row.indexOf(largest) === d.labels[n]) correct++;
            }
            const out = accumulateClassificationMetrics(
              tensor(d.previous, [2]),
              tensor(d.logits, [batch, classes]),
              tensor(d.labels, [batch]),
            );
            await expectTensor(out, [2], [d.previous[0] + lossSum, d.previous[1] + correct], 'accumulateClassificationMetrics');
          }),
        ),
        runs,
      );
    });

    it('plain SGD with fused: true updates each parameter by one kernel to w − η·g, as the unfused step does', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ w: valuesIn(6, -1, 1), g: valuesIn(6, -1, 1), lr: fc.integer({ min: 1, max: 100 }).map((v) => v / 100) }),
          (d) =>
            scopedTest(context, async () => {
              const parameter = new Parameter(Float32Array.from(d.w), [2, 3]);
              parameter.grad = tensor(d.g, [2, 3]);
              const optimizer = new SGD([parameter], { lr: d.lr });
              const before = context.backend.liveBuffers();
              optimizer.step({ fused: true });
              expect(context.backend.liveBuffers(), 'the update replaces the parameter buffer, leaving no intermediate').toBe(before);
              await expectTensor(
                parameter,
                [2, 3],
                d.w.map((w, i) => w - d.lr * d.g[i]),
                'fused SGD step',
              );
              optimizer.step();
              await expectTensor(
                parameter,
                [2, 3],
                d.w.map((w, i) => w - 2 * d.lr * d.g[i]),
                'SGD step by the ops of the formula, after the fused one',
              );
              optimizer.zeroGrad();
              parameter.dispose();
            }),
        ),
        runs,
      );
    });
  });
  describeGradientEpilogueChecks(context);
  describeFoldedBackwardChecks(context);
}
