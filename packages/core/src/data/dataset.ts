/**
 * `Dataset`: PyTorch's map-style data set, the source a {@link DataLoader} draws batches from.
 * @module
 */

/**
 * A data set of `length` examples that can be read in any order, by index (PyTorch's map-style
 * `Dataset`: `__len__` and `__getitem__`).
 * @typeParam Example what one example is, e.g. `{ image: Float32Array; label: number }`
 */
export interface Dataset<Example> {
  /** The number of examples; valid indices are 0 … length − 1. */
  readonly length: number;
  /** The example at `index`. */
  get(index: number): Example;
}

/**
 * A {@link Dataset} over an array held in memory.
 * @example
 * const points = new ArrayDataset([{ x: 0, y: 1 }, { x: 1, y: 3 }]);
 * points.get(1) // { x: 1, y: 3 }
 */
export class ArrayDataset<Example> implements Dataset<Example> {
  readonly #examples: readonly Example[];

  /** Wraps `examples` (not copied). */
  constructor(examples: readonly Example[]) {
    this.#examples = examples;
  }

  /** The number of examples. */
  get length(): number {
    return this.#examples.length;
  }

  /** The example at `index`; throws a `RangeError` naming the index and the length when out of range. */
  get(index: number): Example {
    if (!Number.isInteger(index) || index < 0 || index >= this.#examples.length) {
      throw new RangeError(`ArrayDataset.get: index ${index} is out of range for a data set of ${this.#examples.length} examples`);
    }
    return this.#examples[index];
  }
}
