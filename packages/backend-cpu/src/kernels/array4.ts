/**
 * A four-axis view of a row-major buffer, so that the teaching kernels can write
 * `input.get(n, c, row, col)` instead of computing flat offsets by hand.
 * @module
 */
import type { Shape } from '@lenet/core';

/**
 * A `Float32Array` seen as a 4-D array of `shape` (row-major, C order): element `(i0, i1, i2, i3)`
 * lives at `((i0·d1 + i1)·d2 + i2)·d3 + i3`, where `[d0, d1, d2, d3]` is the shape.
 *
 * Used for NCHW images `[batch, channels, height, width]` and convolution filters
 * `[outChannels, inChannels, kernelHeight, kernelWidth]`.
 *
 * @example
 * const image = new Array4(new Float32Array(2 * 3 * 4 * 5), [2, 3, 4, 5]);
 * image.set(1, 2, 3, 4, 7); // the last element
 * image.get(1, 2, 3, 4);    // 7
 */
export class Array4 {
  /** The extents `[d0, d1, d2, d3]`. */
  readonly shape: Shape;
  /** The row-major values the view reads and writes. */
  readonly data: Float32Array;

  /** Wraps `data` (no copy); `data.length` must be the product of `shape`. */
  constructor(data: Float32Array, shape: Shape) {
    if (shape.length !== 4 || data.length !== shape[0] * shape[1] * shape[2] * shape[3]) {
      throw new RangeError(
        `Array4: a buffer of ${data.length} values cannot be viewed as shape [${shape.join(',')}] ` +
          '(need a 4-D shape whose extents multiply to the buffer length)',
      );
    }
    this.data = data;
    this.shape = shape;
  }

  /** A new zero-filled array of `shape`. */
  static zeros(shape: Shape): Array4 {
    return new Array4(new Float32Array(shape[0] * shape[1] * shape[2] * shape[3]), shape);
  }

  /** The row-major position of element `(i0, i1, i2, i3)`. */
  index(i0: number, i1: number, i2: number, i3: number): number {
    return ((i0 * this.shape[1] + i1) * this.shape[2] + i2) * this.shape[3] + i3;
  }

  /** Element `(i0, i1, i2, i3)`. */
  get(i0: number, i1: number, i2: number, i3: number): number {
    return this.data[this.index(i0, i1, i2, i3)];
  }

  /** Writes `value` to element `(i0, i1, i2, i3)`. */
  set(i0: number, i1: number, i2: number, i3: number, value: number): void {
    this.data[this.index(i0, i1, i2, i3)] = value;
  }

  /** Adds `value` to element `(i0, i1, i2, i3)` (the "scatter" of a backward pass). */
  add(i0: number, i1: number, i2: number, i3: number, value: number): void {
    this.data[this.index(i0, i1, i2, i3)] += value;
  }

  /**
   * Whether `(row, col)` lies inside the image, i.e. is not a padding cell:
   * 0 ≤ row < height (axis 2) and 0 ≤ col < width (axis 3).
   */
  isInside(row: number, col: number): boolean {
    return row >= 0 && row < this.shape[2] && col >= 0 && col < this.shape[3];
  }

  /**
   * Element `(n, c, row, col)` of an image, or 0 when `(row, col)` falls in the zero padding
   * around it. This is how "padding" enters the formulas: the image is read as if surrounded by zeros.
   */
  getOrZero(n: number, c: number, row: number, col: number): number {
    return this.isInside(row, col) ? this.get(n, c, row, col) : 0;
  }
}
