/**
 * Test values from a seed: fast-check draws the seed (and shrinks it), a small PRNG fills the
 * arrays, so large inputs cost nothing to generate and every failure replays from its seed.
 * @module
 */

/** mulberry32: a 32-bit PRNG, uniform on [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` values uniform on [lo, hi) from `seed`. */
export function seededValues(seed: number, size: number, lo = -2, hi = 2): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: size }, () => lo + (hi - lo) * next());
}

/** `size` class indices in 0..classes−1, as floats (core's label format). */
export function seededLabels(seed: number, size: number, classes: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: size }, () => Math.floor(next() * classes));
}
