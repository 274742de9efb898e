/**
 * Mini-batches of images for training: a `Dataset` over one split and the `collate` that stacks
 * examples into the arrays a step turns into tensors.
 * @module
 */
import { DataLoader, type Dataset } from '@lenet/core';
import type { ImageClassificationSplit } from './image-classification-data.js';
import { scaleIntoUnitInterval } from './idx-bytes.js';

/** One example: a view of its pixels (no copy) and its class. */
export interface ImageExample {
  /** height · width pixel bytes 0–255, row-major (a batch scales them to [0, 1]). */
  readonly pixels: Uint8Array;
  /** The class index. */
  readonly label: number;
}

/**
 * A batch as plain arrays. The training step makes the tensors inside its memory scope, so a batch
 * never leaks device memory.
 */
export interface ImageBatch {
  /** N·1·H·W pixels in [0, 1] (byte / 255), NCHW, row-major. */
  readonly images: Float32Array;
  /** N class indices as floats (what `crossEntropy` takes). */
  readonly labels: Float32Array;
  /** N, the number of examples. */
  readonly size: number;
  /** `[N, 1, H, W]` */
  readonly shape: readonly [number, number, number, number];
}

/**
 * The first `limit` examples of `split` (all of them when `limit` is undefined) as a map-style
 * `Dataset`: `get(i)` is a view of image i and its label.
 * @throws RangeError when `limit` is not a positive integer.
 */
export function imageDataset(split: ImageClassificationSplit, limit?: number): Dataset<ImageExample> {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`imageDataset: limit must be a positive integer, got ${limit}`);
  }
  const length = Math.min(split.count, limit ?? split.count);
  const pixelsPerImage = split.height * split.width;
  return {
    length,
    get(index: number): ImageExample {
      if (!Number.isInteger(index) || index < 0 || index >= length) {
        throw new RangeError(`imageDataset.get: index ${index} is out of range for ${length} examples`);
      }
      return { pixels: split.images.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage), label: split.labels[index] };
    },
  };
}

/** Stacks examples of `height × width` pixels into an {@link ImageBatch} `[N,1,H,W]`, scaled to [0, 1]. */
export function collateImages(height: number, width: number): (examples: ImageExample[]) => ImageBatch {
  const pixelsPerImage = height * width;
  return (examples) => {
    const images = new Float32Array(examples.length * pixelsPerImage);
    const labels = new Float32Array(examples.length);
    examples.forEach((example, n) => {
      scaleIntoUnitInterval(example.pixels, images, n * pixelsPerImage);
      labels[n] = example.label;
    });
    return { images, labels, size: examples.length, shape: [examples.length, 1, height, width] };
  };
}

/** Options of {@link imageLoader}. */
export interface ImageLoaderOptions {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Shuffle each epoch (training) or keep the file's order (evaluation). */
  readonly shuffle: boolean;
  /** The seed of the shuffled orders. */
  readonly seed?: number;
  /** Use only the first `limit` examples. */
  readonly limit?: number;
}

/**
 * A `DataLoader` of {@link ImageBatch}es over `split` (d2l's `load_data_fashion_mnist` iterators:
 * shuffled for training, in order for testing; the last batch may be smaller).
 * @example imageLoader(data.train, { batchSize: 256, shuffle: true, seed: 1 }).numBatches // 235
 */
export function imageLoader(split: ImageClassificationSplit, options: ImageLoaderOptions): DataLoader<ImageExample, ImageBatch> {
  return new DataLoader(imageDataset(split, options.limit), {
    batchSize: options.batchSize,
    shuffle: options.shuffle,
    seed: options.seed ?? 0,
    collate: collateImages(split.height, split.width),
  });
}
