import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../src/data/data-file-error.js';
import { parseIdx, readIdxFile, readIdxImageSet } from '../src/data/idx.js';
import { idxMagicNumber } from '../src/data/idx-bytes.js';
import { idxBytes, makeTempDir, writeGzipped } from './helpers/idx-fixtures.js';

const temp = makeTempDir('lenet-idx-');
afterAll(() => temp.remove());

/** Run `action`, expect a DataFileError, and return it. */
function dataFileError(action: () => unknown): DataFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    if (error instanceof DataFileError) return error;
  }
  throw new Error('expected a DataFileError, but nothing was thrown');
}

describe('parseIdx', () => {
  it('knows the two magic numbers', () => {
    expect(idxMagicNumber('labels')).toBe(0x00000801);
    expect(idxMagicNumber('images')).toBe(0x00000803);
  });

  it('reads non-square images row-major, with sizes above 255 in big-endian', () => {
    // 2 images of 3 rows × 300 columns: pixel (n, y, x) = (n + 2y + x) % 256.
    const pixels: number[] = [];
    for (let n = 0; n < 2; n++) for (let y = 0; y < 3; y++) for (let x = 0; x < 300; x++) pixels.push((n + 2 * y + x) % 256);
    const { dims, data } = parseIdx(idxBytes([2, 3, 300], pixels), 'images.idx', 'images');
    expect(dims).toEqual([2, 3, 300]);
    expect(data.length).toBe(1800);
    // image 1, row 2, column 299: (1 + 4 + 299) % 256 = 48
    expect(data[(1 * 3 + 2) * 300 + 299]).toBe(48);
    expect(data[0]).toBe(0);
  });

  it('reads labels', () => {
    const { dims, data } = parseIdx(idxBytes([4], [7, 2, 9, 0]), 'labels.idx', 'labels');
    expect(dims).toEqual([4]);
    expect(Array.from(data)).toEqual([7, 2, 9, 0]);
  });

  it('rejects a label file where images are expected, naming both magic numbers', () => {
    const error = dataFileError(() => parseIdx(idxBytes([3], [1, 2, 3]), 'x/train-images.idx', 'images'));
    expect(error.message).toContain('x/train-images.idx');
    expect(error.message).toContain('wrong IDX magic number 0x00000801, expected 0x00000803');
    expect(error.message).toContain('1 dimensions where images have 3');
  });

  it('rejects an element type other than unsigned byte', () => {
    const error = dataFileError(() => parseIdx(idxBytes([1], [0, 0, 0, 0], 0x0d), 'f.idx', 'labels'));
    expect(error.message).toContain('0x00000d01');
    expect(error.message).toContain('0x0d (float32) is not supported');
  });

  it('rejects a file that does not start with two zero bytes', () => {
    const bytes = idxBytes([2], [1, 2]);
    bytes[0] = 0x50;
    expect(dataFileError(() => parseIdx(bytes, 'p.idx', 'labels')).message).toContain('not an IDX file');
  });

  it('rejects a header cut short', () => {
    const bytes = idxBytes([5, 4, 4], new Array(80).fill(1)).subarray(0, 9);
    const error = dataFileError(() => parseIdx(bytes, 'short.idx', 'images'));
    expect(error.message).toContain('truncated IDX header: expected 16 bytes');
    expect(error.message).toContain('got 9');
    expect(dataFileError(() => parseIdx(Uint8Array.of(0, 0), 'tiny.idx', 'labels')).message).toContain('got 2');
  });

  it('rejects truncated data with the expected and actual byte counts', () => {
    const full = idxBytes([3, 2, 5], new Array(30).fill(7));
    const error = dataFileError(() => parseIdx(full.subarray(0, full.length - 1), 'cut.idx', 'images'));
    expect(error.message).toContain('cut.idx: truncated');
    expect(error.message).toContain('3 × 2 × 5');
    expect(error.message).toContain('expected 30 data bytes');
    expect(error.message).toContain('got 29');
  });

  it('rejects trailing bytes after the data', () => {
    const error = dataFileError(() => parseIdx(idxBytes([2], [1, 2, 3]), 'long.idx', 'labels'));
    expect(error.message).toContain('too long');
    expect(error.message).toContain('expected 2 data bytes');
    expect(error.message).toContain('got 3');
  });
});

describe('readIdxFile', () => {
  it('reads a gzip-compressed file and a raw one alike', () => {
    const bytes = idxBytes([3], [4, 5, 6]);
    const gzPath = writeGzipped(temp.dir, 'ok-labels.gz', bytes);
    const rawPath = join(temp.dir, 'ok-labels.idx');
    writeFileSync(rawPath, bytes);
    expect(Array.from(readIdxFile(gzPath, 'labels').data)).toEqual([4, 5, 6]);
    expect(Array.from(readIdxFile(rawPath, 'labels').data)).toEqual([4, 5, 6]);
  });

  it('reports a missing file', () => {
    const path = join(temp.dir, 'nope.gz');
    expect(dataFileError(() => readIdxFile(path, 'labels')).message).toBe(`${path}: file not found`);
  });

  it('reports a .gz file that is not gzip', () => {
    const path = join(temp.dir, 'plain.gz');
    writeFileSync(path, idxBytes([1], [1]));
    expect(dataFileError(() => readIdxFile(path, 'labels')).message).toContain(
      'not a gzip file: expected the gzip magic bytes 0x1f 0x8b, got 0x00 0x00',
    );
  });

  it('reports a gzip stream cut short', () => {
    const path = join(temp.dir, 'cut.gz');
    const gz = gzipSync(idxBytes([2, 10, 10], new Array(200).fill(3)));
    writeFileSync(path, gz.subarray(0, gz.length - 12));
    const error = dataFileError(() => readIdxFile(path, 'images'));
    expect(error.message).toContain(`${path}: corrupt gzip data`);
  });

  it('reports a gzip stream with flipped bytes (CRC check)', () => {
    const path = join(temp.dir, 'flipped.gz');
    const pixels = Array.from({ length: 400 }, (_, index) => (index * 37) % 251);
    const gz = Buffer.from(gzipSync(idxBytes([4, 10, 10], pixels)));
    gz[gz.length - 8] ^= 0xff; // the stored CRC-32
    writeFileSync(path, gz);
    expect(dataFileError(() => readIdxFile(path, 'images')).message).toContain('corrupt gzip data');
  });
});

describe('readIdxImageSet', () => {
  it('returns images and labels with count, height and width', () => {
    const imagesPath = writeGzipped(
      temp.dir,
      'set-images.gz',
      idxBytes(
        [2, 3, 4],
        Array.from({ length: 24 }, (_, i) => i),
      ),
    );
    const labelsPath = writeGzipped(temp.dir, 'set-labels.gz', idxBytes([2], [9, 0]));
    const set = readIdxImageSet(imagesPath, labelsPath, 10);
    expect([set.count, set.height, set.width]).toEqual([2, 3, 4]);
    expect(set.images[23]).toBe(23);
    expect(Array.from(set.labels)).toEqual([9, 0]);
  });

  it('rejects a label file with a different count', () => {
    const imagesPath = writeGzipped(temp.dir, 'mis-images.gz', idxBytes([3, 2, 2], new Array(12).fill(0)));
    const labelsPath = writeGzipped(temp.dir, 'mis-labels.gz', idxBytes([2], [1, 2]));
    const error = dataFileError(() => readIdxImageSet(imagesPath, labelsPath, 10));
    expect(error.file).toBe(labelsPath);
    expect(error.message).toContain('image/label count mismatch: 2 labels, but mis-images.gz holds 3 images');
  });

  it('rejects a label out of range, naming the label and its index', () => {
    const imagesPath = writeGzipped(temp.dir, 'range-images.gz', idxBytes([4, 1, 1], [0, 0, 0, 0]));
    const labelsPath = writeGzipped(temp.dir, 'range-labels.gz', idxBytes([4], [3, 9, 10, 1]));
    const error = dataFileError(() => readIdxImageSet(imagesPath, labelsPath, 10));
    expect(error.message).toContain('label 10 at index 2 is out of range: labels must be 0..9');
  });

  it('accepts the same labels when there are more classes', () => {
    const imagesPath = writeGzipped(temp.dir, 'wide-images.gz', idxBytes([4, 1, 1], [0, 0, 0, 0]));
    const labelsPath = writeGzipped(temp.dir, 'wide-labels.gz', idxBytes([4], [3, 9, 10, 1]));
    expect(Array.from(readIdxImageSet(imagesPath, labelsPath, 11).labels)).toEqual([3, 9, 10, 1]);
  });
});
