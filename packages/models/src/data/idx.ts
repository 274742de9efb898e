/**
 * The IDX file format of MNIST and Fashion-MNIST, read with every check a corrupt, truncated or
 * mislabelled file would fail.
 *
 * An IDX file is a big-endian header followed by raw elements:
 *
 * ```text
 * offset 0   0x00 0x00             two zero bytes
 * offset 2   type                  0x08 = unsigned byte (the only type MNIST uses)
 * offset 3   d                     number of dimensions: 1 for labels, 3 for images
 * offset 4   n_1 … n_d             d big-endian uint32 sizes, e.g. 60000, 28, 28
 * offset 4+4d                      n_1 · … · n_d data bytes, row-major
 * ```
 *
 * so labels start with the magic number `0x00000801` and images with `0x00000803`. The files usually
 * come gzip-compressed (`.gz`); {@link readIdxFile} inflates them.
 * @module
 */
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileBytes } from '../io/read-file-bytes.js';
import { DataFileError } from './data-file-error.js';
import { hex8, type IdxKind, parseIdxHeader } from './idx-bytes.js';

/** The contents of one IDX file: its dimensions and its bytes in row-major order. */
export interface IdxArray {
  /** The sizes from the header, e.g. `[60000, 28, 28]` for images, `[60000]` for labels. */
  readonly dims: readonly number[];
  /** `dims[0] · dims[1] · …` unsigned bytes, row-major (the last dimension varies fastest). */
  readonly data: Uint8Array;
}

/** An image file and its label file, checked against each other. */
export interface IdxImageSet {
  /** `count · height · width` greyscale pixels in 0..255, image after image, row after row. */
  readonly images: Uint8Array;
  /** `count` class indices, each in `0 .. numClasses − 1`. */
  readonly labels: Uint8Array;
  /** Number of examples (the first dimension of both files). */
  readonly count: number;
  /** Image height in pixels (second dimension of the image file). */
  readonly height: number;
  /** Image width in pixels (third dimension of the image file). */
  readonly width: number;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Parse the (already inflated) bytes of an IDX file and check them.
 *
 * Checks, in order: the header is complete; the magic number is that of `kind` (two zero bytes, type
 * `0x08` unsigned byte, 1 dimension for labels or 3 for images); the data after the header is exactly
 * `n_1 · … · n_d` bytes long.
 *
 * @param bytes - the whole file, header included, not compressed.
 * @param file - the file's name or path, used in error messages only.
 * @param kind - `labels` or `images`: what the caller expects the file to hold.
 * @returns the dimensions and a view (no copy) of the data bytes.
 * @throws {@link DataFileError} naming `file` and what is wrong.
 *
 * @example
 * ```ts
 * const bytes = Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9); // 3 labels: 7, 2, 9
 * parseIdx(bytes, 'labels.idx', 'labels'); // { dims: [3], data: Uint8Array [7, 2, 9] }
 * ```
 */
export function parseIdx(bytes: Uint8Array, file: string, kind: IdxKind): IdxArray {
  const { dims, headerBytes } = parseIdxHeader(bytes, file, kind);
  const expectedDataBytes = dims.reduce((product, size) => product * size, 1);
  const actualDataBytes = bytes.length - headerBytes;
  if (actualDataBytes !== expectedDataBytes) {
    const problem = actualDataBytes < expectedDataBytes ? 'truncated' : 'too long';
    throw new DataFileError(
      file,
      `${problem}: the header says ${dims.join(' × ')}, so expected ${expectedDataBytes} data bytes after the ` +
        `${headerBytes}-byte header, got ${actualDataBytes}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Inflate `bytes` if they are gzip data (they start with `1f 8b`, or the file name ends in `.gz`).
 *
 * @throws {@link DataFileError} when a `.gz` file is not gzip or its gzip stream is corrupt or cut short.
 */
export function gunzipIfCompressed(bytes: Uint8Array, file: string): Uint8Array {
  const looksGzipped = bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  if (!looksGzipped) {
    if (file.endsWith('.gz')) {
      const start = Array.from(bytes.subarray(0, 2), hex8).join(' ') || 'an empty file';
      throw new DataFileError(file, `not a gzip file: expected the gzip magic bytes 0x1f 0x8b, got ${start}`);
    }
    return bytes;
  }
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DataFileError(file, `corrupt gzip data (zlib: ${reason}); delete the file or fetch it again`, { cause });
  }
}

/**
 * Read one IDX file from disk (gzip-compressed or not) and check it with {@link parseIdx}.
 *
 * @param path - the file, e.g. `data/fashion-mnist/train-labels-idx1-ubyte.gz`.
 * @param kind - `labels` or `images`.
 * @throws {@link DataFileError} when the file is missing or unreadable, or fails a check.
 *
 * @example
 * ```ts
 * const { dims, data } = readIdxFile('t10k-images-idx3-ubyte.gz', 'images'); // dims [10000, 28, 28]
 * ```
 */
export function readIdxFile(path: string, kind: IdxKind): IdxArray {
  return parseIdx(gunzipIfCompressed(readFileBytes(path, DataFileError), path), path, kind);
}

/**
 * Read an image file and its label file and check them against each other: the same number of
 * examples, and every label in `0 .. numClasses − 1`.
 *
 * @param imagesPath - an IDX image file, dims `[count, height, width]`.
 * @param labelsPath - an IDX label file, dims `[count]`.
 * @param numClasses - labels must be below this (10 for MNIST and Fashion-MNIST).
 * @throws {@link DataFileError} for a problem with either file, a count mismatch or a label out of range.
 *
 * @example
 * ```ts
 * const test = readIdxImageSet('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 10);
 * test.count; // 10000
 * ```
 */
export function readIdxImageSet(imagesPath: string, labelsPath: string, numClasses: number): IdxImageSet {
  const images = readIdxFile(imagesPath, 'images');
  const labels = readIdxFile(labelsPath, 'labels');
  const [count, height, width] = images.dims;
  const labelCount = labels.dims[0];
  if (count !== labelCount) {
    throw new DataFileError(
      labelsPath,
      `image/label count mismatch: ${labelCount} labels, but ${basename(imagesPath)} holds ${count} images`,
    );
  }
  const labelData = labels.data;
  for (let index = 0; index < labelData.length; index++) {
    if (labelData[index] >= numClasses) {
      throw new DataFileError(
        labelsPath,
        `label ${labelData[index]} at index ${index} is out of range: labels must be 0..${numClasses - 1}`,
      );
    }
  }
  return { images: images.data, labels: labelData, count, height, width };
}
