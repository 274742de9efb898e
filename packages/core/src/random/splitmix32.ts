/**
 * SplitMix32: turns one 32-bit seed into a stream of well-mixed 32-bit words, used to fill the
 * 128-bit state of {@link xoshiro128StarStar} (the seeding its authors recommend: nearby seeds such
 * as 0, 1, 2 give unrelated states).
 * @module
 */

/** The golden-ratio increment φ·2³² = 0x9E3779B9 that SplitMix adds before each output. */
const GOLDEN_GAMMA = 0x9e3779b9;

/**
 * The SplitMix32 finaliser: a bijection on 32-bit words with good avalanche (each input bit flips
 * about half of the output bits).
 *
 * ```text
 *   z ← (z ⊕ (z ≫ 16)) · 0x85EBCA6B;  z ← (z ⊕ (z ≫ 13)) · 0xC2B2AE35;  z ← z ⊕ (z ≫ 16)
 * ```
 *
 * (products modulo 2³²). Returns an unsigned 32-bit integer.
 * @example mix32(0) // 0 (the only fixed point worth knowing: hence the increment before mixing)
 */
export function mix32(word: number): number {
  let z = word >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The first `count` outputs of SplitMix32 started at `seed`: output i is
 * mix32(seed + (i + 1)·0x9E3779B9) (mod 2³²).
 * @param seed an unsigned 32-bit integer
 * @returns `count` unsigned 32-bit integers
 */
export function splitmix32(seed: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + GOLDEN_GAMMA) >>> 0;
    out[i] = mix32(state);
  }
  return out;
}
