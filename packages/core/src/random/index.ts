/**
 * Seeded randomness: {@link Rng} (`xoshiro128**` seeded by SplitMix32).
 * @module
 */
export { Rng } from './rng.js';
export { mix32, splitmix32 } from './splitmix32.js';
export { xoshiro128StarStar } from './xoshiro128.js';
