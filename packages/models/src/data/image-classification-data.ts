/**
 * A directory of four IDX files (the MNIST layout) loaded as image bytes and class labels.
 * Fashion-MNIST and MNIST both use it.
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from './data-file-error.js';
import { IDX_FILE_NAMES } from './idx-file-names.js';
import { readIdxImageSet } from './idx.js';

/** One split (training or test) of an image-classification data set. */
export interface ImageClassificationSplit {
  /**
   * `count · height · width` pixel bytes 0–255 as the IDX file stores them, image after image, row
   * after row: image `n`'s pixel at row `y`, column `x` is `images[(n · height + y) · width + x]`.
   * A batch scales them to [0, 1] (byte / 255, `scaleToUnitInterval`, as torchvision's `ToTensor`)
   * when it is made (`collateImages`), so the 60,000 training images take 47 MB instead of 188 MB
   * as float32. Scaled and reshaped to `[count, 1, height, width]` they are the NCHW input of a
   * convolution.
   */
  readonly images: Uint8Array;
  /** `count` class indices in `0 .. classNames.length − 1`. */
  readonly labels: Uint8Array;
  /** Number of examples. */
  readonly count: number;
  /** Image height in pixels (28). */
  readonly height: number;
  /** Image width in pixels (28). */
  readonly width: number;
}

/** A training split, a test split and the names of the classes. */
export interface ImageClassificationData {
  /** The data set's name, e.g. `fashion-mnist`. */
  readonly name: string;
  /** The training split (60,000 examples for MNIST and Fashion-MNIST). */
  readonly train: ImageClassificationSplit;
  /** The test split (10,000 examples). */
  readonly test: ImageClassificationSplit;
  /** `classNames[label]` is the label's name, e.g. `Ankle boot` for Fashion-MNIST's 9. */
  readonly classNames: readonly string[];
}

/** How to load a directory of IDX files: what it is called and what it must contain. */
export interface IdxDirectorySpec {
  /** The data set's name, e.g. `fashion-mnist`. */
  readonly name: string;
  /** One name per class; labels must be below `classNames.length`. */
  readonly classNames: readonly string[];
  /** The image height every file must have (28). */
  readonly height: number;
  /** The image width every file must have (28). */
  readonly width: number;
}

function loadSplit(dataDir: string, imagesName: string, labelsName: string, spec: IdxDirectorySpec): ImageClassificationSplit {
  const imagesPath = join(dataDir, imagesName);
  const set = readIdxImageSet(imagesPath, join(dataDir, labelsName), spec.classNames.length);
  if (set.count === 0) {
    throw new DataFileError(
      imagesPath,
      `holds 0 images (a valid but empty IDX file): a data set needs at least one training and one test example`,
    );
  }
  if (set.height !== spec.height || set.width !== spec.width) {
    throw new DataFileError(
      imagesPath,
      `images are ${set.height} × ${set.width} pixels, expected ${spec.height} × ${spec.width} for ${spec.name}`,
    );
  }
  return { images: set.images, labels: set.labels, count: set.count, height: set.height, width: set.width };
}

/**
 * Load `dataDir`'s four IDX files ({@link IDX_FILE_NAMES}) and check them (see {@link readIdxImageSet}).
 *
 * @param dataDir - a directory holding the four files.
 * @param spec - the data set's name, class names and image size.
 * @throws {@link DataFileError} when the directory or a file is missing, or a file fails a check.
 */
export function loadIdxDirectory(dataDir: string, spec: IdxDirectorySpec): ImageClassificationData {
  const expected = Object.values(IDX_FILE_NAMES).join(', ');
  if (!existsSync(dataDir)) {
    throw new DataFileError(dataDir, `data directory not found: it must hold the ${spec.name} files ${expected}`);
  }
  if (!statSync(dataDir).isDirectory()) {
    throw new DataFileError(
      dataDir,
      `is a file, not a directory: --data-dir names the directory that holds the ${spec.name} files ${expected}`,
    );
  }
  for (const fileName of Object.values(IDX_FILE_NAMES)) {
    const path = join(dataDir, fileName);
    if (!existsSync(path)) {
      throw new DataFileError(path, `file not found: the data directory must hold ${expected}`);
    }
  }
  return {
    name: spec.name,
    train: loadSplit(dataDir, IDX_FILE_NAMES.trainImages, IDX_FILE_NAMES.trainLabels, spec),
    test: loadSplit(dataDir, IDX_FILE_NAMES.testImages, IDX_FILE_NAMES.testLabels, spec),
    classNames: spec.classNames,
  };
}
