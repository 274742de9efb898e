/**
 * The real files the fuzz starts from: the recorded run's checkpoint (a LeNet.ts `model.safetensors`
 * with its metadata), the checkpoint PyTorch wrote for the parity test, a small checkpoint as the
 * train command writes it, and Fashion-MNIST's shipped test labels with small IDX files cut from the
 * shipped images (gzip'd as shipped, and inflated). Read once, on first use.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { checkpointMetadata, DEFAULT_FASHION_MNIST_DIR, encodeSafetensors, IDX_FILE_NAMES, type IdxKind } from '@lenet/models';
import { PACKAGES_DIR } from '../generate/paths.js';
import { findRecordedRun } from '../generate/recorded-run.js';

/** An IDX file to start from, and what it holds. */
export interface IdxSeed {
  /** Inflated bytes. */
  readonly bytes: Uint8Array;
  /** The same, gzip'd (for the labels, the shipped `.gz` file itself). */
  readonly gzipped: Uint8Array;
  readonly kind: IdxKind;
  /** The shipped file's name, e.g. `t10k-labels-idx1-ubyte.gz`. */
  readonly name: string;
}

/** The seed files, read once. */
export interface SeedFiles {
  /** safetensors files: the recorded checkpoint, PyTorch's, a small one of the train command's format. */
  readonly safetensors: readonly Uint8Array[];
  /** The metadata records of the LeNet.ts checkpoints among them. */
  readonly checkpointMetadata: ReadonlyArray<Readonly<Record<string, string>>>;
  /** IDX files: the shipped test labels (10,000) and the first 20 test images. */
  readonly idx: readonly IdxSeed[];
  /** A Fashion-MNIST directory in miniature (the four files' names as shipped, 30 training and 20 test examples). */
  readonly directory: ReadonlyArray<{ readonly name: string; readonly gzipped: Uint8Array }>;
}

/** The first `count` items of an inflated IDX file, with the header's count set to `count`. */
function firstItems(bytes: Uint8Array, kind: IdxKind, count: number): Uint8Array {
  const headerBytes = kind === 'labels' ? 8 : 16;
  const itemBytes = kind === 'labels' ? 1 : 28 * 28;
  const cut = bytes.slice(0, headerBytes + count * itemBytes);
  new DataView(cut.buffer).setUint32(4, count, false);
  return cut;
}

function readShipped(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DEFAULT_FASHION_MNIST_DIR, name)));
}

let cached: SeedFiles | null = null;

/** The seed files (read on first use). */
export function seedFiles(): SeedFiles {
  if (cached !== null) return cached;
  const recorded = new Uint8Array(readFileSync(findRecordedRun().checkpoint));
  const pytorch = new Uint8Array(readFileSync(join(PACKAGES_DIR, 'models', 'test', 'fixtures', 'pytorch-lenet5.safetensors')));
  const smallMetadata = checkpointMetadata({
    settings: {
      model: 'lenet5',
      seed: 3,
      batchSize: 8,
      lr: 0.9,
      momentum: 0,
      dataset: 'fashion-mnist',
      trainExamples: 24,
      testExamples: 16,
    },
    epoch: 1,
    history: [
      {
        epoch: 1,
        trainLoss: 2.3,
        trainAcc: 0.1,
        testAcc: 0.125,
        examplesPerSec: 90,
        trainSeconds: 0.3,
        epochSeconds: 0.4,
        examples: 24,
        steps: 3,
      },
    ],
    backend: 'cpu',
  });
  const small = encodeSafetensors(
    new Map([
      ['0.weight', { shape: [2, 1, 2, 2], data: Float32Array.from({ length: 8 }, (_, i) => i / 8 - 0.5) }],
      ['0.bias', { shape: [2], data: Float32Array.of(0.25, -0.75) }],
      ['empty', { shape: [0, 3], data: new Float32Array(0) }],
    ]),
    smallMetadata,
  );
  const recordedMetadata = JSON.parse(
    new TextDecoder().decode(recorded.subarray(8, 8 + Number(new DataView(recorded.buffer).getBigUint64(0, true)))),
  ).__metadata__;

  const testLabelsGz = readShipped(IDX_FILE_NAMES.testLabels);
  const testImages = firstItems(gunzipSync(readShipped(IDX_FILE_NAMES.testImages)), 'images', 20);
  const trainImages = firstItems(gunzipSync(readShipped(IDX_FILE_NAMES.trainImages)), 'images', 30);
  const trainLabels = firstItems(gunzipSync(readShipped(IDX_FILE_NAMES.trainLabels)), 'labels', 30);
  const testLabels = firstItems(gunzipSync(testLabelsGz), 'labels', 20);
  cached = {
    safetensors: [recorded, pytorch, small],
    checkpointMetadata: [recordedMetadata, smallMetadata],
    idx: [
      { bytes: new Uint8Array(gunzipSync(testLabelsGz)), gzipped: testLabelsGz, kind: 'labels', name: IDX_FILE_NAMES.testLabels },
      { bytes: testImages, gzipped: new Uint8Array(gzipSync(testImages)), kind: 'images', name: IDX_FILE_NAMES.testImages },
    ],
    directory: [
      { name: IDX_FILE_NAMES.trainImages, gzipped: new Uint8Array(gzipSync(trainImages)) },
      { name: IDX_FILE_NAMES.trainLabels, gzipped: new Uint8Array(gzipSync(trainLabels)) },
      { name: IDX_FILE_NAMES.testImages, gzipped: new Uint8Array(gzipSync(testImages)) },
      { name: IDX_FILE_NAMES.testLabels, gzipped: new Uint8Array(gzipSync(testLabels)) },
    ],
  };
  return cached;
}
