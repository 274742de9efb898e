import { describe, expect, it } from 'vitest';
import { renderImageGridPng, renderImageGridSvg } from '../src/cli/plots/image-grid.js';
import { encodeGreyscalePng } from '../src/plots/png.js';
import { decodeGreyscalePng } from './helpers/png-decoder.js';

describe('encodeGreyscalePng', () => {
  it('writes a valid PNG (signature, CRCs, IHDR/IDAT/IEND) holding exactly the pixels', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 }, (_, index) => (index * 17) % 256); // 5 wide, 3 high
    const decoded = decodeGreyscalePng(encodeGreyscalePng(5, 3, pixels));
    expect(decoded.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([decoded.width, decoded.height]).toEqual([5, 3]);
    expect(Array.from(decoded.pixels)).toEqual(Array.from(pixels));
  });

  it('refuses a pixel count that does not match the size', () => {
    expect(() => encodeGreyscalePng(4, 3, new Uint8Array(11))).toThrow('a 4 × 3 image needs 12 pixels, got 11');
    expect(() => encodeGreyscalePng(0, 3, new Uint8Array(0))).toThrow(/positive integers, got 0 × 3/);
  });
});

/** Image k of height 2 and width 3 with pixel (y, x) = (k + 1) · (3y + x + 1) / 20. */
function testImage(k: number): Float32Array {
  return Float32Array.from({ length: 6 }, (_, p) => ((k + 1) * (p + 1)) / 20);
}

describe('renderImageGridPng', () => {
  it('places image k at row ⌊k / columns⌋, column k mod columns, scaled, with gaps', () => {
    const images = [0, 1, 2].map((k) => ({ pixels: testImage(k), caption: `image ${k}` }));
    const grid = renderImageGridPng(images, { height: 2, width: 3, columns: 2, scale: 2, gap: 1 });
    expect([grid.columns, grid.rows]).toEqual([2, 2]);
    expect(grid.captions).toEqual(['image 0', 'image 1', 'image 2']);
    const { width, height, pixels } = decodeGreyscalePng(grid.png);
    // width: gap + 2 columns × (3 · 2 + gap) = 15; height: gap + 2 rows × (2 · 2 + gap) = 11
    expect([width, height]).toEqual([15, 11]);
    const at = (x: number, y: number): number => pixels[y * width + x];
    // Image 2 is at row 1, column 0: left = 1, top = 1 + 5 = 6. Its pixel (y 1, x 2) is 3 · 6 / 20 = 0.9
    // (as float32, just below 0.9: 229.49… rounds to 229),
    // drawn as 2 × 2 output pixels at x 5..6, y 8..9.
    for (const [x, y] of [
      [5, 8],
      [6, 8],
      [5, 9],
      [6, 9],
    ])
      expect(at(x, y)).toBe(Math.round(Math.fround(0.9) * 255));
    // Image 1 (row 0, column 1): left = 1 + 7 = 8, top = 1; its pixel (0, 0) is 2 · 1 / 20 = 0.1.
    expect(at(8, 1)).toBe(Math.round(Math.fround(0.1) * 255));
    expect(at(7, 1)).toBe(128); // the gap between columns
    expect(at(0, 0)).toBe(128); // the border
    expect(at(9, 7)).toBe(128); // the empty fourth cell
  });

  it('clamps values outside [0, 1] and refuses images of the wrong size', () => {
    const grid = renderImageGridPng([{ pixels: [-1, 2, Number.NaN, 0.5] }], { height: 2, width: 2, scale: 1, gap: 0 });
    expect(Array.from(decodeGreyscalePng(grid.png).pixels)).toEqual([0, 255, 0, 128]);
    expect(grid.captions).toEqual(['']);
    expect(() => renderImageGridPng([{ pixels: new Float32Array(784) }, { pixels: new Float32Array(780) }])).toThrow(
      'image grid: image 1 has 780 pixels, expected 28 × 28 = 784',
    );
  });
});

describe('renderImageGridSvg', () => {
  it('embeds each image as a PNG and writes its caption lines under it, escaped', () => {
    const images = [0, 1].map((k) => ({ pixels: testImage(k), caption: k === 0 ? 'true: T-shirt/top\npred: Shirt & <co>' : 'ok' }));
    const svg = renderImageGridSvg(images, { height: 2, width: 3, scale: 4 });
    const hrefs = [...svg.matchAll(/href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((match) => match[1]);
    expect(hrefs).toHaveLength(2);
    const second = decodeGreyscalePng(Buffer.from(hrefs[1], 'base64'));
    expect([second.width, second.height]).toEqual([3, 2]);
    expect(Array.from(second.pixels)).toEqual(Array.from(testImage(1), (v) => Math.round(v * 255)));
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(texts).toEqual(['true: T-shirt/top', 'pred: Shirt &amp; &lt;co&gt;', 'ok']);
    expect(svg).toContain('width="12" height="8"');
  });
});
