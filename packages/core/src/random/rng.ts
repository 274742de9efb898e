/**
 * The seeded random generator behind every random choice in LeNet.ts (initial weights, the data
 * order of each epoch), so that a run is reproducible from one number.
 * @module
 */
import { mix32, splitmix32 } from './splitmix32.js';
import { xoshiro128StarStar } from './xoshiro128.js';

/** 2³², the number of distinct 32-bit words. */
const TWO_POW_32 = 0x1_0000_0000;

/** FNV-1a, 32-bit: a string label → a 32-bit word, for {@link Rng.derive}. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

function checkUint32(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= TWO_POW_32) {
    throw new RangeError(`${what} must be an integer in [0, 2^32 - 1], got ${value}`);
  }
}

/**
 * A seeded pseudo-random generator: **xoshiro128\*\*** (`xoshiro128StarStar` in this folder) with its
 * 128-bit state filled from the 32-bit seed by **SplitMix32** (`splitmix32`). The same
 * seed gives the same sequence on every machine and JavaScript engine (only 32-bit integer
 * arithmetic and `Math.log`/`Math.cos`/`Math.sqrt` are used).
 *
 * Independent streams come from {@link Rng.derive}, which depends only on the seed and a key — not
 * on how many numbers were drawn — so, for example, the data order of epoch e is a function of
 * (seed, e) alone and a resumed run sees exactly the same batches.
 *
 * @example
 * const rng = new Rng(42);
 * rng.next();             // in [0, 1)
 * rng.normal(0, 0.1);     // a draw from N(0, 0.1²)
 * rng.derive(3).shuffle([0, 1, 2, 3]); // the same permutation whenever seed 42 and key 3 are used
 */
export class Rng {
  /** The seed this generator was made from, an integer in [0, 2³² − 1]. */
  readonly seed: number;
  private readonly state: Uint32Array;

  /** @param seed an integer in [0, 2³² − 1]; throws a `RangeError` otherwise. */
  constructor(seed: number) {
    checkUint32('Rng: the seed', seed);
    this.seed = seed;
    this.state = splitmix32(seed, 4);
  }

  /** The next raw 32-bit output of `xoshiro128**`, an integer in [0, 2³² − 1]. */
  nextUint32(): number {
    return xoshiro128StarStar(this.state);
  }

  /**
   * A uniform draw from [0, 1): u = w / 2³² for the next 32-bit word w (so the resolution is 2⁻³²).
   */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * A uniform draw from [lo, hi): lo + (hi − lo)·u with u = {@link Rng.next}.
   * Mean (lo + hi)/2, variance (hi − lo)²/12.
   * @throws RangeError when lo or hi is not finite or lo > hi.
   */
  uniform(lo: number, hi: number): number {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new RangeError(`Rng.uniform: needs finite lo ≤ hi, got lo = ${lo}, hi = ${hi}`);
    }
    return lo + (hi - lo) * this.next();
  }

  /**
   * A draw from the normal distribution N(mean, std²) by the Box–Muller transform:
   *
   * ```text
   *   z = √(−2 ln u₁) · cos(2π u₂),  u₁ ∈ (0, 1], u₂ ∈ [0, 1);  result = mean + std·z
   * ```
   *
   * Two uniforms per call; the sine twin is not cached, so the generator's state is only its four
   * words.
   * @throws RangeError when mean is not finite or std is negative or not finite.
   */
  normal(mean = 0, std = 1): number {
    if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
      throw new RangeError(`Rng.normal: needs a finite mean and a finite std ≥ 0, got mean = ${mean}, std = ${std}`);
    }
    const u1 = 1 - this.next();
    const u2 = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * A uniform integer in {0, 1, …, n − 1}, without modulo bias: 32-bit words at or above the largest
   * multiple of n below 2³² are rejected and redrawn, and the remainder mod n is returned.
   * @param n a positive integer ≤ 2³²
   * @throws RangeError otherwise.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let word = this.nextUint32();
    while (word >= limit) word = this.nextUint32();
    return word % n;
  }

  /**
   * Shuffles `array` in place by Fisher–Yates — for i from n − 1 down to 1, swap a[i] with a[j],
   * j = int(i + 1) — so each of the n! orders is equally likely. Returns the same array.
   * @example new Rng(1).shuffle([0, 1, 2, 3, 4]) // a permutation of 0..4
   */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = array[i];
      array[i] = array[j];
      array[j] = held;
    }
    return array;
  }

  /**
   * A new generator for the stream named `key`, seeded with mix32(seed ⊕ mix32(h(key) + 0x9E3779B9))
   * where h is the identity on 32-bit integers and FNV-1a on strings. It depends only on this
   * generator's seed and the key, never on what was drawn from it, and does not advance it.
   * @param key a non-negative 32-bit integer (e.g. an epoch) or a label (e.g. `'init'`, `'data'`)
   * @example new Rng(7).derive('data').derive(epoch) // the data order of `epoch`
   */
  derive(key: number | string): Rng {
    let keyWord: number;
    if (typeof key === 'string') {
      keyWord = hashLabel(key);
    } else {
      checkUint32('Rng.derive: a numeric key', key);
      keyWord = key;
    }
    return new Rng(mix32(this.seed ^ mix32((keyWord + 0x9e3779b9) >>> 0)));
  }
}
