/**
 * The arithmetic of `init`: fans, bounds and the values drawn, which need no backend. Filling
 * parameters on a backend is part of the conformance suite (`src/testing/init-checks.ts`), which
 * every backend runs.
 */
import { describe, expect, it } from 'vitest';
import { computeFans } from '../src/init/fans.js';
import { kaimingUniformBound, pytorchDefaultBound } from '../src/init/pytorch-default.js';
import { uniformValues } from '../src/init/uniform.js';
import { xavierUniformBound } from '../src/init/xavier.js';
import { Rng } from '../src/random/rng.js';

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
