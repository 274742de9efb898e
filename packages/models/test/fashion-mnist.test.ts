import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../src/data/data-file-error.js';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import { FASHION_MNIST_CLASS_NAMES } from '../src/data/fashion-mnist-classes.js';
import { IDX_FILE_NAMES } from '../src/data/idx-file-names.js';
import { loadIdxDirectory } from '../src/data/image-classification-data.js';
import { scaleToUnitInterval } from '../src/data/idx-bytes.js';
import { makeTempDir, writeTinyIdxDirectory } from './helpers/idx-fixtures.js';

const temp = makeTempDir('lenet-fmnist-');
afterAll(() => temp.remove());

const tinySpec = { name: 'tiny', classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], height: 28, width: 28 };

describe('scaleToUnitInterval', () => {
  it('divides by 255', () => {
    expect(Array.from(scaleToUnitInterval(Uint8Array.of(0, 51, 255, 128)))).toEqual([0, Math.fround(0.2), 1, Math.fround(128 / 255)]);
  });
});

describe('loadIdxDirectory', () => {
  it('loads a directory in the MNIST layout and scales the pixels', () => {
    const dir = join(temp.dir, 'tiny');
    writeTinyIdxDirectory(dir, { train: 12, test: 5 });
    const data = loadIdxDirectory(dir, tinySpec);
    expect(data.train.count).toBe(12);
    expect(data.test.count).toBe(5);
    expect(data.train.images.length).toBe(12 * 784);
    // training image 11, row 27, column 13: (11 * 31 + 27 * 7 + 13 * 3) % 256 = 569 % 256 = 57
    expect(data.train.images[(11 * 28 + 27) * 28 + 13]).toBe(57);
    expect(Array.from(data.test.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(data.classNames).toBe(tinySpec.classNames);
  });

  it('names the missing directory', () => {
    const dir = join(temp.dir, 'does-not-exist');
    expect(() => loadIdxDirectory(dir, tinySpec)).toThrow(DataFileError);
    expect(() => loadIdxDirectory(dir, tinySpec)).toThrow(
      /data directory not found: it must hold the tiny files train-images-idx3-ubyte.gz/,
    );
  });

  it('names the missing file', () => {
    const dir = join(temp.dir, 'only-train');
    writeTinyIdxDirectory(dir, { train: 2, test: 2 });
    rmSync(join(dir, IDX_FILE_NAMES.testLabels));
    expect(() => loadIdxDirectory(dir, tinySpec)).toThrow(`${join(dir, IDX_FILE_NAMES.testLabels)}: file not found`);
  });

  it('rejects images of the wrong size', () => {
    const dir = join(temp.dir, 'wide');
    writeTinyIdxDirectory(dir, { train: 2, test: 2 }, 28, 32);
    expect(() => loadIdxDirectory(dir, tinySpec)).toThrow(/images are 28 × 32 pixels, expected 28 × 28 for tiny/);
  });
});

describe('loadFashionMnist (the shipped files)', () => {
  const data = loadFashionMnist();

  it('has 60,000 training and 10,000 test images of 28 × 28', () => {
    expect(data.name).toBe('fashion-mnist');
    for (const [split, count] of [
      [data.train, 60_000],
      [data.test, 10_000],
    ] as const) {
      expect(split.count).toBe(count);
      expect([split.height, split.width]).toEqual([28, 28]);
      expect(split.images.length).toBe(count * 784);
      expect(split.labels.length).toBe(count);
    }
  });

  it('has pixel bytes that reach both ends, 0 and 255 (a batch scales them to 0 and 1)', () => {
    for (const split of [data.train, data.test]) {
      let min = Infinity;
      let max = -Infinity;
      for (const value of split.images) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
      expect(min).toBe(0);
      expect(max).toBe(255);
    }
  });

  it('has 6,000 training and 1,000 test examples of each class 0..9', () => {
    for (const [split, perClass] of [
      [data.train, 6000],
      [data.test, 1000],
    ] as const) {
      const counts = new Array<number>(10).fill(0);
      for (const label of split.labels) counts[label]++;
      expect(counts).toEqual(new Array(10).fill(perClass));
    }
  });

  it('names the classes as Zalando does; the first test image is an ankle boot', () => {
    expect(FASHION_MNIST_CLASS_NAMES).toEqual([
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
    expect(data.classNames[data.test.labels[0]]).toBe('Ankle boot');
    expect(data.classNames[data.train.labels[0]]).toBe('Ankle boot');
  });

  it('reads another directory with --data-dir semantics', () => {
    const dir = join(temp.dir, 'other');
    writeTinyIdxDirectory(dir, { train: 3, test: 1 });
    const other = loadFashionMnist({ dataDir: dir });
    expect(other.train.count).toBe(3);
    expect(other.classNames[9]).toBe('Ankle boot');
  });
});
