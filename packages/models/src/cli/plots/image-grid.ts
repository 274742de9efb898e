/**
 * A grid of small greyscale images (28 × 28 digits or clothes), for looking at misclassified test
 * examples: as a PNG (no text; the captions are returned alongside, in grid order) or as an SVG in
 * which every image is an embedded PNG with its caption underneath.
 * @module
 */
import { encodeGreyscalePng } from '../../plots/png.js';
import { escapeXml } from '../../plots/xml.js';

/** One image of the grid. */
export interface GridImage {
  /** `height · width` values in [0, 1] (0 black, 1 white), row after row; values outside are clamped. */
  readonly pixels: ArrayLike<number>;
  /** Text under the image, e.g. `true: Shirt\npred: T-shirt/top`; lines split on `\n`. */
  readonly caption?: string;
}

/** Options of the image grids. */
export interface ImageGridOptions {
  /** Image height in pixels; default 28. */
  readonly height?: number;
  /** Image width in pixels; default 28. */
  readonly width?: number;
  /** Images per row; default 8 (fewer when there are fewer images). */
  readonly columns?: number;
  /** Each image pixel becomes `scale × scale` output pixels; default 2. */
  readonly scale?: number;
  /** Pixels between images and around the grid; default 2. */
  readonly gap?: number;
}

/** A PNG image grid and the captions it does not draw. */
export interface ImageGridPng {
  /** The PNG file's bytes. */
  readonly png: Uint8Array;
  /** The captions in grid order (row by row), `''` for an image without one. */
  readonly captions: string[];
  /** Images per row. */
  readonly columns: number;
  /** Rows of images. */
  readonly rows: number;
}

interface GridLayout {
  readonly height: number;
  readonly width: number;
  readonly columns: number;
  readonly rows: number;
  readonly scale: number;
  readonly gap: number;
}

function layoutOf(count: number, options: ImageGridOptions): GridLayout {
  const height = options.height ?? 28;
  const width = options.width ?? 28;
  const scale = options.scale ?? 2;
  const gap = options.gap ?? 2;
  for (const [name, value, least] of [
    ['height', height, 1],
    ['width', width, 1],
    ['scale', scale, 1],
    ['gap', gap, 0],
    ['columns', options.columns ?? 1, 1],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < least)
      throw new RangeError(`image grid: ${name} must be an integer ≥ ${least}, got ${value}`);
  }
  const columns = Math.max(1, Math.min(options.columns ?? 8, count));
  return { height, width, columns, rows: Math.max(1, Math.ceil(count / columns)), scale, gap };
}

function checkImage(image: GridImage, index: number, layout: GridLayout): void {
  if (image.pixels.length !== layout.height * layout.width) {
    throw new RangeError(
      `image grid: image ${index} has ${image.pixels.length} pixels, expected ${layout.height} × ${layout.width} = ${layout.height * layout.width}`,
    );
  }
}

function toByte(value: number): number {
  return Math.round(Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)) * 255);
}

/**
 * Draw images into one greyscale PNG, row by row, on a mid-grey background (so black and white
 * images both stand out): image `k` goes to row `⌊k / columns⌋`, column `k mod columns`, its top-left
 * corner at `(gap + column · (width · scale + gap), gap + row · (height · scale + gap))`.
 *
 * @throws RangeError when an image has the wrong number of pixels or an option is not a valid integer.
 *
 * @example
 * ```ts
 * const { png, captions } = renderImageGridPng(wrong.map((k) => ({ pixels: test.images.subarray(k * 784, (k + 1) * 784), caption: names[k] })));
 * writeFileSync('misclassified.png', png);
 * ```
 */
export function renderImageGridPng(images: readonly GridImage[], options: ImageGridOptions = {}): ImageGridPng {
  const layout = layoutOf(images.length, options);
  const { height, width, columns, rows, scale, gap } = layout;
  const cellWidth = width * scale + gap;
  const cellHeight = height * scale + gap;
  const outWidth = gap + columns * cellWidth;
  const outHeight = gap + rows * cellHeight;
  const out = new Uint8Array(outWidth * outHeight).fill(128);
  images.forEach((image, index) => {
    checkImage(image, index, layout);
    const left = gap + (index % columns) * cellWidth;
    const top = gap + Math.floor(index / columns) * cellHeight;
    for (let y = 0; y < height * scale; y++) {
      for (let x = 0; x < width * scale; x++) {
        out[(top + y) * outWidth + left + x] = toByte(image.pixels[Math.floor(y / scale) * width + Math.floor(x / scale)]);
      }
    }
  });
  return { png: encodeGreyscalePng(outWidth, outHeight, out), captions: images.map((image) => image.caption ?? ''), columns, rows };
}

/**
 * Draw images as an SVG grid with captions: each image is an embedded PNG (drawn with
 * `image-rendering: pixelated`, so pixels stay sharp) and its caption lines are centred underneath.
 *
 * @throws RangeError when an image has the wrong number of pixels or an option is not a valid integer.
 *
 * @example
 * ```ts
 * writeFileSync('misclassified.svg', renderImageGridSvg([{ pixels, caption: 'true: Shirt\npred: Coat' }]));
 * ```
 */
export function renderImageGridSvg(images: readonly GridImage[], options: ImageGridOptions = {}): string {
  const layout = layoutOf(images.length, options);
  const { height, width, columns, rows, scale } = layout;
  const gap = Math.max(layout.gap, 6);
  const lineHeight = 13;
  const captionLines = Math.max(0, ...images.map((image) => (image.caption === undefined ? 0 : image.caption.split('\n').length)));
  const cellWidth = Math.max(width * scale, 90) + gap;
  const cellHeight = height * scale + captionLines * lineHeight + gap + 4;
  const outWidth = gap + columns * cellWidth;
  const outHeight = gap + rows * cellHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${outWidth}" height="${outHeight}" viewBox="0 0 ${outWidth} ${outHeight}" font-family="sans-serif" font-size="11">`,
    `<rect width="${outWidth}" height="${outHeight}" fill="white"/>`,
  ];
  images.forEach((image, index) => {
    checkImage(image, index, layout);
    const bytes = new Uint8Array(height * width);
    for (let p = 0; p < bytes.length; p++) bytes[p] = toByte(image.pixels[p]);
    const left = gap + (index % columns) * cellWidth;
    const top = gap + Math.floor(index / columns) * cellHeight;
    const imageLeft = left + (cellWidth - gap - width * scale) / 2;
    const href = `data:image/png;base64,${Buffer.from(encodeGreyscalePng(width, height, bytes)).toString('base64')}`;
    parts.push(
      `<image x="${imageLeft}" y="${top}" width="${width * scale}" height="${height * scale}" style="image-rendering:pixelated" href="${href}"/>`,
    );
    (image.caption ?? '').split('\n').forEach((line, lineIndex) => {
      if (line === '') return;
      const y = top + height * scale + (lineIndex + 1) * lineHeight;
      parts.push(`<text x="${left + (cellWidth - gap) / 2}" y="${y}" text-anchor="middle">${escapeXml(line)}</text>`);
    });
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
