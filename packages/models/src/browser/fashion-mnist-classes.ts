/**
 * Fashion-MNIST's class names for the browser (`data/fashion-mnist.ts` resolves the shipped files'
 * directory with `node:url`, so the browser entry cannot import it). The Playground's test checks
 * that this list equals `FASHION_MNIST_CLASS_NAMES`.
 * @module
 */

/** Fashion-MNIST's class names; `FASHION_MNIST_CLASS_NAMES[label]` names a label 0..9. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** The names of the shipped IDX files (as in `data/image-classification-data.ts`). */
export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;
