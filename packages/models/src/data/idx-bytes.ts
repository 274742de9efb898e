/**
 * IDX bytes without file access (so the browser entry shares it): the header's checks and the
 * scaling of pixel bytes to [0, 1]. `idx.ts` reads and checks whole files with them; the
 * Playground checks the prefix of a file it streams.
 * @module
 */
import { DataFileError } from './data-file-error.js';

/** What an IDX file holds: `labels` (1 dimension, magic `0x00000801`) or `images` (3, `0x00000803`). */
export type IdxKind = 'labels' | 'images';

const UNSIGNED_BYTE_TYPE = 0x08;
const DIMENSIONS_OF: Record<IdxKind, number> = { labels: 1, images: 3 };
const ELEMENT_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** `value` as two hexadecimal digits, e.g. `0x08`. */
export function hex8(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/** The magic number an IDX file of this kind must start with: `0x00000801` or `0x00000803`. */
export function idxMagicNumber(kind: IdxKind): number {
  return (UNSIGNED_BYTE_TYPE << 8) | DIMENSIONS_OF[kind];
}

/** The length of an IDX header of `kind`: the magic number and one 32-bit size per dimension. */
export function idxHeaderBytes(kind: IdxKind): number {
  return 4 + 4 * DIMENSIONS_OF[kind];
}

/** An IDX header: the dimensions it declares (N first) and its length in bytes. */
export interface IdxHeader {
  /** The sizes from the header, e.g. `[60000, 28, 28]` for images. */
  readonly dims: readonly number[];
  /** 4 + 4 · (number of dimensions). */
  readonly headerBytes: number;
}

/**
 * Reads and checks the header at the start of `bytes` (the whole file or only its beginning): the
 * magic number is that of `kind` (two zero bytes, type `0x08` unsigned byte, 1 dimension for labels
 * or 3 for images) and the header is complete.
 * @param file - the file's name, path or URL, used in error messages only.
 * @throws {@link DataFileError} naming `file` and what is wrong.
 */
export function parseIdxHeader(bytes: Uint8Array, file: string, kind: IdxKind): IdxHeader {
  const expectedMagic = idxMagicNumber(kind);
  const expectedDimensions = DIMENSIONS_OF[kind];
  const what = `unsigned-byte ${kind}, ${expectedDimensions} dimension${expectedDimensions === 1 ? '' : 's'}`;
  if (bytes.length < 4) {
    throw new DataFileError(file, `truncated IDX header: expected at least 4 bytes for the magic number, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const type = bytes[2];
    const typeProblem =
      bytes[0] !== 0 || bytes[1] !== 0
        ? 'not an IDX file (it must start with two zero bytes)'
        : type !== UNSIGNED_BYTE_TYPE
          ? `element type ${hex8(type)} (${ELEMENT_TYPE_NAMES[type] ?? 'unknown'}) is not supported, only ${hex8(UNSIGNED_BYTE_TYPE)} (unsigned byte)`
          : `${bytes[3]} dimensions where ${kind} have ${expectedDimensions}`;
    throw new DataFileError(file, `wrong IDX magic number ${hex32(magic)}, expected ${hex32(expectedMagic)} (${what}): ${typeProblem}`);
  }
  const headerBytes = idxHeaderBytes(kind);
  if (bytes.length < headerBytes) {
    throw new DataFileError(
      file,
      `truncated IDX header: expected ${headerBytes} bytes (magic number and ${expectedDimensions} sizes), got ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let axis = 0; axis < expectedDimensions; axis++) dims.push(view.getUint32(4 + 4 * axis, false));
  return { dims, headerBytes };
}

/**
 * Scale bytes 0..255 to floats in [0, 1]: `x / 255`, as torchvision's `ToTensor` does.
 *
 * @example
 * ```ts
 * scaleToUnitInterval(Uint8Array.of(0, 51, 255)); // Float32Array [0, 0.2, 1]
 * ```
 */
export function scaleToUnitInterval(bytes: Uint8Array): Float32Array {
  const scaled = new Float32Array(bytes.length);
  scaleIntoUnitInterval(bytes, scaled, 0);
  return scaled;
}

/** {@link scaleToUnitInterval} written into `target` from `offset` on (a batch being assembled). */
export function scaleIntoUnitInterval(bytes: Uint8Array, target: Float32Array, offset: number): void {
  for (let index = 0; index < bytes.length; index++) target[offset + index] = bytes[index] / 255;
}
