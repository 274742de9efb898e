/**
 * `init` on the backend under test: Xavier uniform, PyTorch's default and zeros fill parameters in
 * place with the values the seeded generator gives (compared exactly: the backend only stores
 * them), within the bound and with the variance of U(−a, a), and leave no buffer behind. The
 * bounds themselves are plain arithmetic, tested in core without a backend.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { pytorchDefault } from '../init/pytorch-default.js';
import { xavierUniform } from '../init/xavier.js';
import { zeros } from '../init/zeros.js';
import { Parameter } from '../nn/parameter.js';
import { Rng } from '../random/rng.js';
import type { ConformanceContext } from './context.js';

/** The unbiased sample variance. */
function sampleVariance(values: ArrayLike<number>): number {
  const list = Array.from(values);
  const mean = list.reduce((total, v) => total + v, 0) / list.length;
  return list.reduce((total, v) => total + (v - mean) ** 2, 0) / (list.length - 1);
}

/**
 * The standard error of the sample variance of n draws from U(−a, a): √((μ₄ − σ⁴)/n) = a²·√(4/45/n).
 * A variance 5 standard errors off fails (a wrong bound by 10 % is ~20 of them at n = 48,000).
 */
function uniformVarianceStandardError(a: number, n: number): number {
  return a * a * Math.sqrt(4 / 45 / n);
}

/** Registers the `init` checks. */
export function describeInitChecks(context: ConformanceContext): void {
  describe('init: parameters filled in place', () => {
    it('xavierUniform fills a [6,1,5,5] conv weight within ±a, a = √(6/(25+150)), with variance ≈ a²/3', async () => {
      const weight = Parameter.zeros([6, 1, 5, 5]);
      const a = Math.sqrt(6 / (25 + 150));
      expect(xavierUniform(weight, new Rng(3))).toBe(weight);
      const values = await weight.data();
      expect(values.length).toBe(150);
      for (const v of values) expect(Math.abs(v)).toBeLessThanOrEqual(Math.fround(a));
      // P(all 150 draws inside ±0.9a) = 0.9^150 ≈ 1e-7: a smaller bound would show here
      expect(Math.max(...Array.from(values, Math.abs))).toBeGreaterThan(0.9 * a);
      expect(Math.abs(sampleVariance(values) - (a * a) / 3)).toBeLessThan(5 * uniformVarianceStandardError(a, 150));
      weight.dispose();
    });

    it('xavierUniform matches a²/3 tightly on a large non-square weight, and scales with the gain', async () => {
      const shape = [64, 32, 5, 3];
      const weight = xavierUniform(Parameter.zeros(shape), new Rng(4), 2);
      const a = 2 * Math.sqrt(6 / (32 * 15 + 64 * 15));
      const values = await weight.data();
      expect(Math.abs(sampleVariance(values) - (a * a) / 3)).toBeLessThan(5 * uniformVarianceStandardError(a, values.length));
      expect(Math.max(...Array.from(values, Math.abs))).toBeLessThanOrEqual(Math.fround(a));
      weight.dispose();
    });

    it('xavierUniform draws the values from the generator in row-major order (reproducible from the seed)', async () => {
      const weight = xavierUniform(Parameter.zeros([2, 3, 1, 2]), new Rng(21));
      const a = Math.sqrt(6 / (3 * 2 + 2 * 2));
      const rng = new Rng(21);
      expect(Array.from(await weight.data())).toEqual(Array.from({ length: 12 }, () => Math.fround(rng.uniform(-a, a))));
      weight.dispose();
    });

    it('xavierUniform keeps the parameter object and leaves no extra buffer behind', async () => {
      const weight = Parameter.zeros([6, 1, 5, 5]);
      const before = context.backend.liveBuffers();
      const filled = xavierUniform(weight, new Rng(5));
      expect(filled).toBe(weight);
      expect(weight.requiresGrad).toBe(true);
      expect(context.backend.liveBuffers()).toBe(before);
      expect((await weight.data()).some((v) => v !== 0)).toBe(true);
      weight.dispose();
    });

    it('pytorchDefault fills Linear(400,120)’s weight, then its bias, from U(±1/√400) in that order', async () => {
      const weight = Parameter.zeros([120, 400]);
      const bias = Parameter.zeros([120]);
      const before = context.backend.liveBuffers();
      pytorchDefault(weight, bias, new Rng(11));
      expect(context.backend.liveBuffers()).toBe(before);
      const rng = new Rng(11);
      const expectedWeight = Array.from({ length: 48_000 }, () => Math.fround(rng.uniform(-0.05, 0.05)));
      const expectedBias = Array.from({ length: 120 }, () => Math.fround(rng.uniform(-0.05, 0.05)));
      expect(Array.from(await weight.data())).toEqual(expectedWeight);
      expect(Array.from(await bias.data())).toEqual(expectedBias);
      const variance = sampleVariance(await weight.data());
      expect(Math.abs(variance - 0.05 ** 2 / 3)).toBeLessThan(5 * uniformVarianceStandardError(0.05, 48_000));
      weight.dispose();
      bias.dispose();
    });

    it('zeros sets every value to 0 in place', async () => {
      const bias = new Parameter(Float32Array.of(1, -2, 3), [3]);
      expect(zeros(bias)).toBe(bias);
      expect(Array.from(await bias.data())).toEqual([0, 0, 0]);
      bias.dispose();
    });
  });
}
