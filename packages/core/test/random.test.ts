import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/random/rng.js';
import { mix32, splitmix32 } from '../src/random/splitmix32.js';
import { xoshiro128StarStar } from '../src/random/xoshiro128.js';

function draws(count: number, draw: () => number): number[] {
  return Array.from({ length: count }, draw);
}

function meanOf(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0) / values.length;
}

function varianceOf(values: readonly number[]): number {
  const m = meanOf(values);
  return values.reduce((total, v) => total + (v - m) ** 2, 0) / (values.length - 1);
}

describe('xoshiro128**', () => {
  it('gives the reference outputs for the state [1, 2, 3, 4] (worked by hand)', () => {
    // Step 1: rotl(2·5, 7)·9 = 1280·9 = 11520, then the state becomes [7, 0, 1026, 12288].
    // Step 2: s1 = 0 so the output is 0; the state becomes [12295, 1029, 1029, 12288·2^11].
    // Step 3: rotl(1029·5, 7)·9 = 5145·128·9 = 5927040.
    const state = new Uint32Array([1, 2, 3, 4]);
    expect(xoshiro128StarStar(state)).toBe(11520);
    expect(Array.from(state)).toEqual([7, 0, 1026, 12288]);
    expect(xoshiro128StarStar(state)).toBe(0);
    expect(Array.from(state)).toEqual([12295, 1029, 1029, 25165824]);
    expect(xoshiro128StarStar(state)).toBe(5927040);
  });

  it('returns unsigned 32-bit words even when the top bit is set', () => {
    const state = new Uint32Array([0xffffffff, 0xfffffff0, 0x80000000, 0x12345678]);
    for (let i = 0; i < 100; i++) {
      const word = xoshiro128StarStar(state);
      expect(Number.isInteger(word) && word >= 0 && word < 2 ** 32).toBe(true);
    }
  });
});

describe('SplitMix32', () => {
  it('mix32 matches the finaliser written out with BigInt arithmetic', () => {
    const reference = (word: number): number => {
      const m = (1n << 32n) - 1n;
      let z = BigInt(word);
      z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & m;
      z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & m;
      return Number(z ^ (z >> 16n));
    };
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (word) => mix32(word) === reference(word)));
  });

  it('output i is mix32(seed + (i + 1)·0x9E3779B9)', () => {
    const seed = 12345;
    const words = splitmix32(seed, 3);
    for (let i = 0; i < 3; i++) {
      expect(words[i]).toBe(mix32(Number((BigInt(seed) + BigInt(i + 1) * 0x9e3779b9n) % (1n << 32n))));
    }
  });
});

describe('Rng', () => {
  it('repeats its sequence for the same seed and differs for neighbouring seeds', () => {
    const a = draws(50, () => new Rng(42).next());
    const sequenceA = (() => {
      const rng = new Rng(42);
      return draws(50, () => rng.nextUint32());
    })();
    const sequenceB = (() => {
      const rng = new Rng(42);
      return draws(50, () => rng.nextUint32());
    })();
    const sequenceC = (() => {
      const rng = new Rng(43);
      return draws(50, () => rng.nextUint32());
    })();
    expect(sequenceA).toEqual(sequenceB);
    expect(new Set(a).size).toBe(1); // a fresh generator always starts the same way
    const equalPositions = sequenceA.filter((word, i) => word === sequenceC[i]).length;
    expect(equalPositions).toBe(0);
  });

  it('starts from the SplitMix32 state of the seed', () => {
    const state = splitmix32(7, 4);
    const expected = draws(5, () => xoshiro128StarStar(state));
    const rng = new Rng(7);
    expect(draws(5, () => rng.nextUint32())).toEqual(expected);
  });

  it('next() is the 32-bit word divided by 2^32, in [0, 1)', () => {
    const words = new Rng(9);
    const unit = new Rng(9);
    for (let i = 0; i < 1000; i++) {
      const u = unit.next();
      expect(u).toBe(words.nextUint32() / 2 ** 32);
      expect(u >= 0 && u < 1).toBe(true);
    }
  });

  it('uniform(lo, hi) stays in [lo, hi) with mean (lo+hi)/2 and variance (hi−lo)²/12 within 5 standard errors', () => {
    const rng = new Rng(2024);
    const lo = -3;
    const hi = 5;
    const n = 100_000;
    const values = draws(n, () => rng.uniform(lo, hi));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...values)).toBeLessThan(hi);
    const variance = (hi - lo) ** 2 / 12;
    // standard error of the mean: σ/√n; of the sample variance: σ²·√(4/5 / n) for a uniform (excess kurtosis −6/5)
    expect(Math.abs(meanOf(values) - (lo + hi) / 2)).toBeLessThan(5 * Math.sqrt(variance / n));
    expect(Math.abs(varianceOf(values) - variance)).toBeLessThan(5 * variance * Math.sqrt(0.8 / n));
  });

  it('normal(mean, std) has the right mean, variance and tail mass within 5 standard errors', () => {
    const rng = new Rng(31337);
    const mean = 1.5;
    const std = 0.25;
    const n = 100_000;
    const values = draws(n, () => rng.normal(mean, std));
    // standard error of the mean: std/√n; of the sample variance: std²·√(2/n)
    expect(Math.abs(meanOf(values) - mean)).toBeLessThan((5 * std) / Math.sqrt(n));
    expect(Math.abs(varianceOf(values) - std ** 2)).toBeLessThan(5 * std ** 2 * Math.sqrt(2 / n));
    // P(|z| > 1.96) = 0.05: a binomial proportion with standard error √(0.05·0.95/n)
    const tail = values.filter((v) => Math.abs(v - mean) > 1.96 * std).length / n;
    expect(Math.abs(tail - 0.05)).toBeLessThan(5 * Math.sqrt((0.05 * 0.95) / n));
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('int(n) is uniform over 0..n−1 (chi-square with 9 degrees of freedom below 33.7, the 0.01% tail)', () => {
    const rng = new Rng(5);
    const n = 10;
    const count = 50_000;
    const histogram = new Array<number>(n).fill(0);
    for (let i = 0; i < count; i++) histogram[rng.int(n)] += 1;
    const expected = count / n;
    const chiSquare = histogram.reduce((total, observed) => total + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(33.7);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (bound, seed) => {
        const value = new Rng(seed).int(bound);
        return Number.isInteger(value) && value >= 0 && value < bound;
      }),
    );
  });

  it('shuffle returns a permutation of its input, in place', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 40 }), fc.nat({ max: 2 ** 32 - 1 }), (values, seed) => {
        const copy = [...values];
        const shuffled = new Rng(seed).shuffle(copy);
        expect(shuffled).toBe(copy);
        expect([...shuffled].sort((a, b) => a - b)).toEqual([...values].sort((a, b) => a - b));
      }),
    );
  });

  it('shuffle makes every order of 3 items equally likely (each of the 6 within 5 standard errors of 1/6)', () => {
    const rng = new Rng(77);
    const trials = 60_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < trials; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const standardError = Math.sqrt(trials * (1 / 6) * (5 / 6));
    for (const count of counts.values()) expect(Math.abs(count - trials / 6)).toBeLessThan(5 * standardError);
  });

  it('derive(key) depends only on the seed and the key, and does not advance the parent', () => {
    const parent = new Rng(100);
    const first = parent.derive(3).nextUint32();
    parent.next();
    parent.next();
    expect(parent.derive(3).nextUint32()).toBe(first);
    expect(new Rng(100).derive(3).seed).toBe(parent.derive(3).seed);

    const untouched = new Rng(100);
    untouched.derive(3);
    untouched.derive('data');
    expect(untouched.nextUint32()).toBe(new Rng(100).nextUint32());

    const streams = [
      parent.derive(0),
      parent.derive(1),
      parent.derive(2),
      parent.derive('init'),
      parent.derive('data'),
      new Rng(101).derive(0),
    ];
    const seeds = new Set(streams.map((stream) => stream.seed));
    expect(seeds.size).toBe(streams.length);
  });

  it('rejects seeds, keys and arguments that are out of range, naming them', () => {
    expect(() => new Rng(-1)).toThrow(/Rng: the seed must be an integer in \[0, 2\^32 - 1\], got -1/);
    expect(() => new Rng(1.5)).toThrow(/seed.*1\.5/);
    expect(() => new Rng(2 ** 32)).toThrow(/seed/);
    expect(() => new Rng(1).derive(-2)).toThrow(/Rng\.derive: a numeric key.*-2/);
    expect(() => new Rng(1).int(0)).toThrow(/Rng\.int: n must be.*got 0/);
    expect(() => new Rng(1).uniform(2, 1)).toThrow(/Rng\.uniform.*lo = 2, hi = 1/);
    expect(() => new Rng(1).normal(0, -1)).toThrow(/Rng\.normal.*std = -1/);
  });
});
