/**
 * Build-time checks: a generated page states numbers only after the code has been checked against
 * an independent computation (a hand-written formula in float64, or a published value).
 * @module
 */

/** Throws when `actual` and `expected` differ anywhere by more than `tolerance`. */
export function assertClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  if (actual.length !== expected.length) {
    throw new Error(`docs generate: ${what}: ${actual.length} values, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(
        `docs generate: ${what}: value ${i} is ${actual[i]}, expected ${expected[i]} (tolerance ${tolerance}); ` +
          `the code and the page's worked example disagree`,
      );
    }
  }
}
