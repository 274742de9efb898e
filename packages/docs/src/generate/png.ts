/**
 * A minimal PNG writer for greyscale pictures (8-bit, no interlace): enough for feature maps.
 * @module
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A `width × height` greyscale PNG from row-major bytes (0 black … 255 white). */
export function greyscalePng(width: number, height: number, pixels: Uint8Array): Buffer {
  if (pixels.length !== width * height) {
    throw new RangeError(`greyscalePng: ${pixels.length} pixels for a ${width}×${height} picture`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * Lays out `maps` (each `h × w` floats, scaled to its own min..max, white = high) in a grid of
 * `columns`, each pixel drawn as a `zoom × zoom` block with a `gap`-pixel grey margin.
 */
export function featureMapGrid(maps: readonly Float32Array[], h: number, w: number, columns: number, zoom: number, gap = 4): { width: number; height: number; pixels: Uint8Array } {
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
