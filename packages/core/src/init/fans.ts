/**
 * Fan-in and fan-out of a weight tensor, as PyTorch's `_calculate_fan_in_and_fan_out` computes them;
 * every initialiser's bound is a function of these two numbers.
 * @module
 */
import { formatShape, sizeOf, type Shape } from '../shape/shape.js';

/** How many inputs feed one output unit (`fanIn`) and how many outputs one input feeds (`fanOut`). */
export interface Fans {
  /** Inputs per output unit: in · kh · kw. */
  readonly fanIn: number;
  /** Outputs per input unit: out · kh · kw. */
  readonly fanOut: number;
}

/**
 * The fans of a weight of shape `[out, in, ...kernel]`, with r = the product of the kernel extents
 * (the receptive field; 1 for a `Linear` weight `[out, in]`):
 *
 * ```text
 *   fan_in = in · r,   fan_out = out · r
 * ```
 *
 * @example
 * computeFans([120, 400])     // Linear(400, 120): { fanIn: 400, fanOut: 120 }
 * computeFans([6, 1, 5, 5])   // Conv2d(1, 6, 5):  { fanIn: 1·25 = 25, fanOut: 6·25 = 150 }
 * @throws RangeError for fewer than 2 axes (a bias has no fans of its own).
 */
export function computeFans(shape: Shape): Fans {
  if (shape.length < 2) {
    throw new RangeError(
      `computeFans: shape ${formatShape(shape)} has fewer than 2 axes; fans need a weight [out, in, ...kernel] ` +
        "(a bias uses the fan-in of its layer's weight)",
    );
  }
  const receptiveField = sizeOf(shape.slice(2));
  return { fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField };
}
