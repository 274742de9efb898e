/**
 * The file names of the MNIST layout, shared by MNIST, Fashion-MNIST and the browser's Playground
 * (which fetches them from the site). A module of its own, with no file access.
 * @module
 */

/** The four file names of the MNIST layout, shared by MNIST and Fashion-MNIST. */
export const IDX_FILE_NAMES = {
  /** 60,000 training images. */
  trainImages: 'train-images-idx3-ubyte.gz',
  /** Their labels. */
  trainLabels: 'train-labels-idx1-ubyte.gz',
  /** 10,000 test images. */
  testImages: 't10k-images-idx3-ubyte.gz',
  /** Their labels. */
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;
