/**
 * `DataLoader`: cuts a {@link Dataset} into mini-batches, in a shuffled order that depends only on
 * (seed, epoch), so a resumed run sees exactly the batches an uninterrupted run would.
 * @module
 */
import { Rng } from '../random/rng.js';
import type { Dataset } from './dataset.js';

/** How a {@link DataLoader} batches its data set. */
export interface DataLoaderOptions<Example, Batch> {
  /** Examples per batch, a positive integer. */
  readonly batchSize: number;
  /** Draw a new random order every epoch (default false: the data set's own order). */
  readonly shuffle?: boolean;
  /** The seed of the shuffled orders, an integer in [0, 2³² − 1] (default 0). */
  readonly seed?: number;
  /** Drop the last batch when it has fewer than `batchSize` examples (default false). */
  readonly dropLast?: boolean;
  /**
   * Turns the examples of one batch (in batch order) into the batch the training loop uses, e.g.
   * stacks images into an `[N,1,28,28]` tensor and labels into `[N]`.
   */
  readonly collate: (examples: Example[]) => Batch;
}

function checkInteger(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`DataLoader: ${what} must be an integer ≥ ${min}, got ${value}`);
  }
}

/**
 * Mini-batches of a {@link Dataset}, as PyTorch's `DataLoader` (single process, map-style).
 *
 * With n examples and batch size B there are ⌈n / B⌉ batches, or ⌊n / B⌋ with `dropLast`. With
 * `shuffle`, the order of epoch e is a Fisher–Yates shuffle of 0 … n − 1 drawn from
 * `new Rng(seed).derive('data').derive(e)`: it depends only on (seed, e), never on earlier epochs.
 *
 * @typeParam Example what the data set yields
 * @typeParam Batch what `collate` makes of a batch's examples
 * @example
 * const loader = new DataLoader(trainSet, { batchSize: 256, shuffle: true, seed: 1, collate: stack });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { images, labels } of loader.batches(epoch)) { ... }
 * }
 */
export class DataLoader<Example, Batch> {
  /** The data set batches are drawn from. */
  readonly dataset: Dataset<Example>;
  /** Examples per batch (the last batch may be smaller unless `dropLast`). */
  readonly batchSize: number;
  /** Whether each epoch has its own random order. */
  readonly shuffle: boolean;
  /** The seed of the random orders. */
  readonly seed: number;
  /** Whether a last, smaller batch is dropped. */
  readonly dropLast: boolean;
  readonly #collate: (examples: Example[]) => Batch;
  readonly #orderRng: Rng;

  /** @throws RangeError when `batchSize` is not a positive integer or `seed` not a 32-bit unsigned integer. */
  constructor(dataset: Dataset<Example>, options: DataLoaderOptions<Example, Batch>) {
    checkInteger('batchSize', options.batchSize, 1);
    this.dataset = dataset;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle ?? false;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed) || this.seed < 0 || this.seed > 0xffffffff) {
      throw new RangeError(`DataLoader: seed must be an integer in [0, 2^32 - 1], got ${this.seed}`);
    }
    this.dropLast = options.dropLast ?? false;
    this.#collate = options.collate;
    this.#orderRng = new Rng(this.seed).derive('data');
  }

  /** The number of batches per epoch: ⌈n / B⌉, or ⌊n / B⌋ with `dropLast`. */
  get numBatches(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * The order in which epoch `epoch` visits the examples: 0 … n − 1, shuffled when `shuffle` is set
   * (a function of seed and epoch only). Includes the examples a `dropLast` batch would skip.
   */
  order(epoch: number): number[] {
    checkInteger('epoch', epoch, 0);
    const indices = Array.from({ length: this.dataset.length }, (_, i) => i);
    return this.shuffle ? this.#orderRng.derive(epoch).shuffle(indices) : indices;
  }

  /** The data set indices of each batch of epoch `epoch`, in order. */
  batchIndices(epoch: number): number[][] {
    const order = this.order(epoch);
    const batches: number[][] = [];
    for (let b = 0; b < this.numBatches; b++) {
      batches.push(order.slice(b * this.batchSize, (b + 1) * this.batchSize));
    }
    return batches;
  }

  /**
   * The batches of epoch `epoch` (0-based), collated lazily one at a time as the loop asks for
   * them, so only one batch needs to be in memory.
   */
  batches(epoch: number): IterableIterator<Batch> {
    const batchIndices = this.batchIndices(epoch); // checks `epoch` now, not at the first batch
    return this.#collateEach(batchIndices);
  }

  *#collateEach(batchIndices: readonly number[][]): IterableIterator<Batch> {
    for (const indices of batchIndices) {
      yield this.#collate(indices.map((index) => this.dataset.get(index)));
    }
  }
}
