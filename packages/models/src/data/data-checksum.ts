/**
 * A fingerprint of the examples a run trains and tests on, recorded in the checkpoint so that
 * `--resume` with another `--data-dir` (other images, same counts) is caught instead of silently
 * mixing two data sets.
 * @module
 */
import { createHash } from 'node:crypto';
import type { ImageClassificationData, ImageClassificationSplit } from './image-classification-data.js';
import { scaleToUnitInterval } from './idx-bytes.js';

/** Images hashed per chunk, as the float32 values a batch makes of them. */
const IMAGES_PER_CHUNK = 1024;

function hashSplit(hash: ReturnType<typeof createHash>, split: ImageClassificationSplit, count: number): void {
  const pixelsPerImage = split.height * split.width;
  for (let first = 0; first < count; first += IMAGES_PER_CHUNK) {
    const end = Math.min(count, first + IMAGES_PER_CHUNK);
    const scaled = scaleToUnitInterval(split.images.subarray(first * pixelsPerImage, end * pixelsPerImage));
    hash.update(new Uint8Array(scaled.buffer, scaled.byteOffset, scaled.byteLength));
  }
  hash.update(split.labels.subarray(0, count));
}

/**
 * SHA-256 (hex) of the first `trainExamples` training and `testExamples` test examples: their
 * pixels (as the float32 values the model sees) and labels.
 *
 * @example dataChecksum(loadFashionMnist(), 64, 64) // '3f1c…' (64 hex digits)
 */
export function dataChecksum(data: ImageClassificationData, trainExamples: number, testExamples: number): string {
  const hash = createHash('sha256');
  hashSplit(hash, data.train, trainExamples);
  hashSplit(hash, data.test, testExamples);
  return hash.digest('hex');
}
