/**
 * Fashion-MNIST (Zalando Research, 2017): 70,000 greyscale 28 × 28 pictures of clothes in 10 classes,
 * the data set d2l trains LeNet on. The original IDX files ship with this package in
 * `data/fashion-mnist`, so training works offline.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { FASHION_MNIST_CLASS_NAMES } from './fashion-mnist-classes.js';
import { loadIdxDirectory, type ImageClassificationData } from './image-classification-data.js';

/**
 * The directory of the shipped files. It is resolved from this module's own URL, and `src/data/` and
 * `dist/data/` are both two levels below the package root, so it is right under vitest and when built.
 */
export const DEFAULT_FASHION_MNIST_DIR: string = fileURLToPath(new URL('../../data/fashion-mnist/', import.meta.url));

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** A directory with the four IDX files (same names as the originals); default: the shipped copy. */
  readonly dataDir?: string;
}

/**
 * Load Fashion-MNIST: 60,000 training and 10,000 test images, pixels scaled to [0, 1], labels 0..9.
 *
 * @throws {@link DataFileError} when a file is missing or fails a check (wrong magic number, truncated,
 *   image/label count mismatch, label out of range, not 28 × 28).
 *
 * @example
 * ```ts
 * const { train, test, classNames } = loadFashionMnist();
 * train.count;                   // 60000
 * classNames[test.labels[0]];    // 'Ankle boot'
 * train.images.subarray(0, 784); // the first image, row-major, in [0, 1]
 * ```
 */
export function loadFashionMnist(options: LoadFashionMnistOptions = {}): ImageClassificationData {
  return loadIdxDirectory(options.dataDir ?? DEFAULT_FASHION_MNIST_DIR, {
    name: 'fashion-mnist',
    classNames: FASHION_MNIST_CLASS_NAMES,
    height: 28,
    width: 28,
  });
}
