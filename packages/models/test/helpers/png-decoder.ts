/** A strict little PNG reader for the tests: checks signature and CRCs, and only accepts what encodeGreyscalePng may write. */
import { inflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as the PNG specification's sample code computes it. */
export function referenceCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Decode an 8-bit greyscale, non-interlaced PNG whose rows use filter 0. */
export function decodeGreyscalePng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array; chunkTypes: string[] } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, index) => png[index] === byte)) throw new Error('bad PNG signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  const chunkTypes: string[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset, false);
    const type = Buffer.from(png.subarray(offset + 4, offset + 8)).toString('ascii');
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = view.getUint32(offset + 8 + length, false);
    if (crc !== referenceCrc32(png.subarray(offset + 4, offset + 8 + length))) throw new Error(`bad CRC in ${type}`);
    chunkTypes.push(type);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8, false);
      height = view.getUint32(offset + 12, false);
      if (data[8] !== 8 || data[9] !== 0 || data[12] !== 0) throw new Error('not 8-bit greyscale non-interlaced');
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (width + 1)) throw new Error(`IDAT holds ${raw.length} bytes, expected ${height * (width + 1)}`);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (width + 1)] !== 0) throw new Error(`row ${y} uses filter ${raw[y * (width + 1)]}`);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, pixels, chunkTypes };
}
