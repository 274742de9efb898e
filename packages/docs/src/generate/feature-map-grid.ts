/**
 * The grid layout of guide 4's feature-map pictures; the PNG itself is encoded by `@lenet/models`'
 * `encodeGreyscalePng`.
 * @module
 */

/**
 * Lays out `maps` (each `h × w` floats, scaled to its own min..max, white = high) in a grid of
 * `columns`, each pixel drawn as a `zoom × zoom` block with a `gap`-pixel grey margin.
 */
export function featureMapGrid(
  maps: readonly Float32Array[],
  h: number,
  w: number,
  columns: number,
  zoom: number,
  gap = 4,
): { width: number; height: number; pixels: Uint8Array } {
  const rows = Math.ceil(maps.length / columns);
  const width = columns * (w * zoom + gap) + gap;
  const height = rows * (h * zoom + gap) + gap;
  const pixels = new Uint8Array(width * height).fill(255);
  maps.forEach((map, index) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of map) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const range = hi - lo || 1;
    const left = gap + (index % columns) * (w * zoom + gap);
    const top = gap + Math.floor(index / columns) * (h * zoom + gap);
    for (let y = 0; y < h * zoom; y++) {
      for (let x = 0; x < w * zoom; x++) {
        const v = map[Math.floor(y / zoom) * w + Math.floor(x / zoom)];
        pixels[(top + y) * width + left + x] = Math.round(((v - lo) / range) * 255);
      }
    }
  });
  return { width, height, pixels };
}
