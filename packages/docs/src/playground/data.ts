/**
 * Fashion-MNIST in the browser: the package's own IDX `.gz` files, served with the site, fetched and
 * inflated with `DecompressionStream`. Only the bytes of the examples asked for are inflated: the
 * stream is read until the header and the first `count` items are in, then cancelled (the browser
 * reports the download as aborted; a few hundred training examples need a few hundred KiB of the
 * 26 MiB training images, not all of them).
 * @module
 */
import type { ImageClassificationSplit } from '@lenet/models/browser';

/** An IDX file's kind: `images` (magic 0x00000803, dims N·H·W) or `labels` (0x00000801, dims N). */
export type IdxKind = 'images' | 'labels';

/** The first `count` items of an IDX file and its dimensions. */
export interface IdxPrefix {
  /** The dimensions the header declares (N first). */
  readonly dims: readonly number[];
  /** The first `count` items' bytes. */
  readonly data: Uint8Array;
}

/** A data file the page could not use: which one, and why. */
export class PlaygroundDataError extends Error {
  constructor(
    readonly url: string,
    problem: string,
  ) {
    super(`${url}: ${problem}`);
    this.name = 'PlaygroundDataError';
  }
}

const MAGIC: Readonly<Record<IdxKind, number>> = { images: 0x0803, labels: 0x0801 };
const DIMENSIONS: Readonly<Record<IdxKind, number>> = { images: 3, labels: 1 };

/** Reads `stream` until `needed` bytes are in (or it ends), then cancels the rest. */
async function readPrefix(stream: ReadableStream<Uint8Array>, needed: (received: Uint8Array) => number): Promise<Uint8Array> {
  const reader = stream.getReader();
  let buffer = new Uint8Array(1 << 16);
  let length = 0;
  for (;;) {
    const have = buffer.subarray(0, length);
    if (length > 0 && length >= needed(have)) break;
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, length + value.length));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(value, length);
    length += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return buffer.subarray(0, length);
}

/**
 * Fetches the gzip'd IDX file at `url` and returns its header's dimensions and the first `count`
 * items (all of them when the file holds fewer).
 * @throws PlaygroundDataError when the file is missing, not gzip, or not an IDX file of `kind`.
 */
export async function fetchIdxPrefix(url: string, kind: IdxKind, count: number): Promise<IdxPrefix> {
  const response = await fetch(url);
  if (!response.ok || response.body === null)
    throw new PlaygroundDataError(url, `HTTP ${response.status}: the site serves the data files next to the page`);
  const headerBytes = 4 + 4 * DIMENSIONS[kind];
  const inflated = response.body.pipeThrough(new DecompressionStream('gzip'));
  let bytes: Uint8Array;
  try {
    bytes = await readPrefix(inflated, (received) => {
      if (received.length < headerBytes) return headerBytes;
      const view = new DataView(received.buffer, received.byteOffset, received.byteLength);
      const dims = Array.from({ length: DIMENSIONS[kind] }, (_, axis) => view.getUint32(4 + 4 * axis, false));
      const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
      // The whole file is wanted: read to its end rather than cancel the download at the last byte.
      return count >= dims[0] ? Infinity : headerBytes + count * itemBytes;
    });
  } catch (cause) {
    throw new PlaygroundDataError(url, `not a gzip file or a damaged one (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  if (bytes.length < headerBytes) throw new PlaygroundDataError(url, `truncated IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== MAGIC[kind])
    throw new PlaygroundDataError(
      url,
      `IDX magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x${MAGIC[kind].toString(16).padStart(8, '0')} (${kind})`,
    );
  const dims = Array.from({ length: DIMENSIONS[kind] }, (_, axis) => view.getUint32(4 + 4 * axis, false));
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const items = Math.min(count, dims[0]);
  const end = headerBytes + items * itemBytes;
  if (bytes.length < end)
    throw new PlaygroundDataError(
      url,
      `truncated: the header says ${dims.join(' × ')}, but the file ends after ${Math.floor((bytes.length - headerBytes) / itemBytes)} items`,
    );
  return { dims, data: bytes.slice(headerBytes, end) };
}

/**
 * The first `count` examples of a split: images scaled to [0, 1] (as `loadFashionMnist` scales them)
 * and labels.
 */
export async function fetchSplit(imagesUrl: string, labelsUrl: string, count: number): Promise<ImageClassificationSplit> {
  const [images, labels] = await Promise.all([fetchIdxPrefix(imagesUrl, 'images', count), fetchIdxPrefix(labelsUrl, 'labels', count)]);
  const n = Math.min(images.data.length / (images.dims[1] * images.dims[2]), labels.data.length);
  const scaled = new Float32Array(n * images.dims[1] * images.dims[2]);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.data[i] / 255;
  return { images: scaled, labels: labels.data.subarray(0, n), count: n, height: images.dims[1], width: images.dims[2] };
}
