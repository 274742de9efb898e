/**
 * A picture of misclassified examples.
 * @module
 */
import type { ImageClassificationSplit } from '../data/image-classification-data.js';
import { scaleToUnitInterval } from '../data/idx-bytes.js';
import { renderImageGridPng, renderImageGridSvg } from './plots/image-grid.js';

/** The bytes of the picture and the caption of each image, in grid order. */
export interface MisclassifiedPicture {
  /** PNG or SVG file contents. */
  readonly bytes: Uint8Array | string;
  /** `#123 true: Shirt\npredicted: T-shirt/top` per image, row by row. */
  readonly captions: string[];
}

/**
 * Draws the examples `indices` of `split` in a grid, each captioned with its index, true class and
 * predicted class: a PNG (captions returned alongside, PNG has no text) or an SVG (captions drawn).
 */
export function misclassifiedImage(
  split: ImageClassificationSplit,
  indices: readonly number[],
  predicted: Int32Array,
  classNames: readonly string[],
  format: 'png' | 'svg',
): MisclassifiedPicture {
  const pixelsPerImage = split.height * split.width;
  const images = indices.map((n) => ({
    pixels: scaleToUnitInterval(split.images.subarray(n * pixelsPerImage, (n + 1) * pixelsPerImage)),
    caption: `#${n} true: ${classNames[split.labels[n]] ?? split.labels[n]}\npredicted: ${classNames[predicted[n]] ?? predicted[n]}`,
  }));
  const options = { height: split.height, width: split.width };
  if (format === 'svg') return { bytes: renderImageGridSvg(images, options), captions: images.map((image) => image.caption) };
  const grid = renderImageGridPng(images, options);
  return { bytes: grid.png, captions: grid.captions };
}
