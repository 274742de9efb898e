/**
 * A minimal PNG encoder for 8-bit greyscale images (colour type 0), enough for pictures of digits and
 * clothes without a dependency.
 *
 * ```text
 * 89 50 4E 47 0D 0A 1A 0A                     the PNG signature
 * IHDR  width, height, bit depth 8, colour type 0, compression 0, filter 0, interlace 0
 * IDAT  zlib(deflate) of the rows, each row prefixed with filter type 0 (None)
 * IEND
 * ```
 * each chunk being `length (u32 BE) · type · data · CRC-32(type · data)`.
 * @module
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(12 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length, false);
  bytes.set(Buffer.from(type, 'ascii'), 4);
  bytes.set(data, 8);
  view.setUint32(8 + data.length, crc32(bytes.subarray(4, 8 + data.length)), false);
  return bytes;
}

/**
 * Encode a greyscale image as PNG.
 *
 * @param width - pixels per row, ≥ 1.
 * @param height - rows, ≥ 1.
 * @param pixels - `width · height` bytes, row after row; 0 is black, 255 white.
 * @returns the bytes of a PNG file.
 * @throws RangeError when the sizes are not positive integers or `pixels` has the wrong length.
 *
 * @example
 * ```ts
 * writeFileSync('x.png', encodeGreyscalePng(28, 28, bytes)); // one Fashion-MNIST image
 * ```
 */
export function encodeGreyscalePng(width: number, height: number, pixels: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`encodeGreyscalePng: width and height must be positive integers, got ${width} × ${height}`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`encodeGreyscalePng: a ${width} × ${height} image needs ${width * height} pixels, got ${pixels.length}`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width, false);
  view.setUint32(4, height, false);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  const rows = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = 0; // filter: None
    rows.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  const parts = [SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array(0))];
  const png = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
