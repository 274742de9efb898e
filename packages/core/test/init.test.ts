import { beforeAll, describe, expect, it } from 'vitest';
// Core cannot depend on @lenet/backend-cpu (it depends on core); these tests borrow its source.
import { CpuBackend } from '../../backend-cpu/src/cpu-backend.js';
import { setBackend } from '../src/engine/engine.js';
import { computeFans } from '../src/init/fans.js';
import { kaimingUniformBound, pytorchDefault, pytorchDefaultBound } from '../src/init/pytorch-default.js';
import { uniformValues } from '../src/init/uniform.js';
import { xavierUniform, xavierUniformBound } from '../src/init/xavier.js';
import { zeros } from '../src/init/zeros.js';
import { Parameter } from '../src/nn/parameter.js';
import { Rng } from '../src/random/rng.js';

let backend: CpuBackend;
beforeAll(() => {
  backend = new CpuBackend();
  setBackend(backend);
});

function sampleVariance(values: ArrayLike<number>): number {
  const list = Array.from(values);
  const mean = list.reduce((total, v) => total + v, 0) / list.length;
  return list.reduce((total, v) => total + (v - mean) ** 2, 0) / (list.length - 1);
}

/** The standard error of the sample variance of n draws from U(−a, a): √((μ₄ − σ⁴)/n) = a²·√(4/45/n). */
function uniformVarianceStandardError(a: number, n: number): number {
  return a * a * Math.sqrt(4 / 45 / n);
}

describe('computeFans (PyTorch’s _calculate_fan_in_and_fan_out)', () => {
  it('uses in·kh·kw and out·kh·kw for a conv weight and in, out for a linear weight', () => {
    expect(computeFans([6, 1, 5, 5])).toEqual({ fanIn: 25, fanOut: 150 });
    expect(computeFans([16, 6, 5, 5])).toEqual({ fanIn: 150, fanOut: 400 });
    expect(computeFans([4, 3, 2, 5])).toEqual({ fanIn: 3 * 2 * 5, fanOut: 4 * 2 * 5 }); // non-square kernel
    expect(computeFans([120, 400])).toEqual({ fanIn: 400, fanOut: 120 });
  });

  it('refuses a shape with fewer than 2 axes, naming it', () => {
    expect(() => computeFans([10])).toThrow(/computeFans: shape \[10\] has fewer than 2 axes/);
    expect(() => computeFans([])).toThrow(/shape \[\]/);
  });
});

describe('bounds', () => {
  it('Xavier: a = gain·√(6/(fan_in + fan_out))', () => {
    expect(xavierUniformBound([6, 1, 5, 5])).toBeCloseTo(Math.sqrt(6 / 175), 12);
    expect(xavierUniformBound([120, 400])).toBeCloseTo(Math.sqrt(6 / 520), 12);
    expect(xavierUniformBound([6, 1, 5, 5], 2.5)).toBeCloseTo(2.5 * Math.sqrt(6 / 175), 12);
  });

  it('PyTorch default: kaiming_uniform with a = √5 is 1/√fan_in; plain He uniform (a = 0) is √(6/fan_in)', () => {
    expect(pytorchDefaultBound([120, 400])).toBeCloseTo(0.05, 12);
    expect(pytorchDefaultBound([16, 6, 5, 5])).toBeCloseTo(1 / Math.sqrt(150), 12);
    expect(kaimingUniformBound([16, 6, 5, 5], Math.sqrt(5))).toBeCloseTo(1 / Math.sqrt(150), 12);
    expect(kaimingUniformBound([84, 120])).toBeCloseTo(Math.sqrt(6 / 120), 12);
  });

  it('uniformValues draws U(−a, a) from the generator in order, rounded to float32', () => {
    const values = uniformValues([2, 3], 0.5, new Rng(8));
    const rng = new Rng(8);
    expect(Array.from(values)).toEqual(Array.from({ length: 6 }, () => Math.fround(rng.uniform(-0.5, 0.5))));
    expect(() => uniformValues([2], -1, new Rng(1))).toThrow(/bound of U\(−a, a\) must be finite and ≥ 0, got a = -1 for shape \[2\]/);
  });
});

describe('xavierUniform', () => {
  it('fills a [6,1,5,5] conv weight within ±a, a = √(6/(25+150)), with variance ≈ a²/3', async () => {
    const weight = Parameter.zeros([6, 1, 5, 5]);
    const a = Math.sqrt(6 / (25 + 150));
    expect(xavierUniform(weight, new Rng(3))).toBe(weight);
    const values = await weight.data();
    expect(values.length).toBe(150);
    for (const v of values) expect(Math.abs(v)).toBeLessThanOrEqual(Math.fround(a));
    // P(all 150 draws inside ±0.9a) = 0.9^150 ≈ 1e-7: a smaller bound would show here
    expect(Math.max(...Array.from(values, Math.abs))).toBeGreaterThan(0.9 * a);
    expect(Math.abs(sampleVariance(values) - a * a / 3)).toBeLessThan(5 * uniformVarianceStandardError(a, 150));
    weight.dispose();
  });

  it('matches a²/3 tightly on a large weight, and scales with the gain', async () => {
    const shape = [64, 32, 5, 3];
    const weight = xavierUniform(Parameter.zeros(shape), new Rng(4), 2);
    const a = 2 * Math.sqrt(6 / (32 * 15 + 64 * 15));
    const values = await weight.data();
    expect(Math.abs(sampleVariance(values) - a * a / 3)).toBeLessThan(5 * uniformVarianceStandardError(a, values.length));
    expect(Math.max(...Array.from(values, Math.abs))).toBeLessThanOrEqual(Math.fround(a));
    weight.dispose();
  });

  it('draws the values from the generator in row-major order (reproducible from the seed)', async () => {
    const weight = xavierUniform(Parameter.zeros([2, 3, 1, 2]), new Rng(21));
    const a = Math.sqrt(6 / (3 * 2 + 2 * 2));
    const rng = new Rng(21);
    expect(Array.from(await weight.data())).toEqual(Array.from({ length: 12 }, () => Math.fround(rng.uniform(-a, a))));
    weight.dispose();
  });

  it('keeps the parameter object and leaves no extra buffer behind', async () => {
    const weight = Parameter.zeros([6, 1, 5, 5]);
    const before = backend.liveBuffers();
    const filled = xavierUniform(weight, new Rng(5));
    expect(filled).toBe(weight);
    expect(weight.requiresGrad).toBe(true);
    expect(backend.liveBuffers()).toBe(before);
    expect((await weight.data()).some((v) => v !== 0)).toBe(true);
    weight.dispose();
  });
});

describe('pytorchDefault and zeros', () => {
  it('fills Linear(400,120)’s weight, then its bias, from U(±1/√400) in that order', async () => {
    const weight = Parameter.zeros([120, 400]);
    const bias = Parameter.zeros([120]);
    pytorchDefault(weight, bias, new Rng(11));
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
