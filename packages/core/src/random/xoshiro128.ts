/**
 * `xoshiro128**` (Blackman and Vigna, 2018): a small, fast generator of 32-bit words with a 128-bit
 * state and period 2¹²⁸ − 1, the generator behind {@link Rng}.
 * Reference: https://prng.di.unimi.it/xoshiro128starstar.c
 * @module
 */

/** Rotates a 32-bit word left by `k` bits. */
function rotl(word: number, k: number): number {
  return (word << k) | (word >>> (32 - k));
}

/**
 * Advances the state `s = [s0, s1, s2, s3]` in place by one step and returns the output word:
 *
 * ```text
 *   result = rotl(s1 · 5, 7) · 9                          (products modulo 2³²)
 *   t = s1 ≪ 9;  s2 ⊕= s0;  s3 ⊕= s1;  s1 ⊕= s2;  s0 ⊕= s3;  s2 ⊕= t;  s3 = rotl(s3, 11)
 * ```
 *
 * The state must not be all zeros (it would stay zero forever).
 * @param state four unsigned 32-bit words, modified in place
 * @returns an unsigned 32-bit integer
 * @example
 * const s = new Uint32Array([1, 2, 3, 4]);
 * xoshiro128StarStar(s); // rotl(2·5, 7)·9 = 1280·9 = 11520
 */
export function xoshiro128StarStar(state: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
  const t = state[1] << 9;
  state[2] ^= state[0];
  state[3] ^= state[1];
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = rotl(state[3], 11);
  return result;
}
