/** Small IDX files built byte by byte, for the reader's tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The bytes of an IDX file: `0 0 type dims.length`, big-endian sizes, then `data`. */
export function idxBytes(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((size, axis) => view.setUint32(4 + 4 * axis, size, false));
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header);
  bytes.set(Array.from(data), header.length);
  return bytes;
}

/** A fresh temporary directory and a function that removes it. */
export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write `bytes` gzip-compressed to `dir/name` and return the path. */
export function writeGzipped(dir: string, name: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, gzipSync(bytes));
  return path;
}

/**
 * A tiny data set in the MNIST layout: `count` images of `height × width` whose pixel (n, y, x) is
 * `(n * 31 + y * 7 + x * 3) % 256`, and labels `n % 10`.
 */
export function writeTinyIdxDirectory(dir: string, counts: { train: number; test: number }, height = 28, width = 28): void {
  for (const [prefix, count] of [
    ['train', counts.train],
    ['t10k', counts.test],
  ] as const) {
    const pixels: number[] = [];
    for (let n = 0; n < count; n++) {
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.push((n * 31 + y * 7 + x * 3) % 256);
    }
    const labels = Array.from({ length: count }, (_, n) => n % 10);
    writeGzipped(dir, `${prefix}-images-idx3-ubyte.gz`, idxBytes([count, height, width], pixels));
    writeGzipped(dir, `${prefix}-labels-idx1-ubyte.gz`, idxBytes([count], labels));
  }
}
