/**
 * Fashion-MNIST in the browser: the package's own IDX `.gz` files, served with the site, fetched and
 * inflated with `DecompressionStream`. Only the bytes of the examples asked for are inflated: the
 * stream is read until the header and the first `count` items are in, then cancelled (the browser
 * reports the download as aborted; a few hundred training examples need a few hundred KiB of the
 * 26 MiB training images, not all of them).
 * @module
 */
import {
  DataFileError,
  type IdxHeader,
  idxHeaderBytes,
  type IdxKind,
  type ImageClassificationSplit,
  parseIdxHeader,
} from '@lenet/models/browser';

/** The first `count` items of an IDX file and its dimensions. */
export interface IdxPrefix {
  /** The dimensions the header declares (N first). */
  readonly dims: readonly number[];
  /** The first `count` items' bytes. */
  readonly data: Uint8Array;
}

/** Reads `stream` until `needed` bytes are in (or it ends), then cancels the rest (also when `needed` throws). */
async function readPrefix(stream: ReadableStream<Uint8Array>, needed: (received: Uint8Array) => number): Promise<Uint8Array> {
  const reader = stream.getReader();
  let buffer = new Uint8Array(1 << 16);
  let length = 0;
  try {
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
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return buffer.subarray(0, length);
}

/**
 * Fetches the gzip'd IDX file at `url` and returns its header's dimensions and the first `count`
 * items (all of them when the file holds fewer).
 * @throws DataFileError (naming the URL) when the file is missing, not gzip, or not an IDX file of `kind`.
 */
export async function fetchIdxPrefix(url: string, kind: IdxKind, count: number): Promise<IdxPrefix> {
  const response = await fetch(url);
  if (!response.ok || response.body === null)
    throw new DataFileError(url, `HTTP ${response.status}: the site serves the data files next to the page`);
  return readIdxPrefix(response.body, url, kind, count);
}

/**
 * Inflates the gzip'd IDX file arriving on `gzipped` only as far as the header and the first `count`
 * items (all of them when the file holds fewer), and checks what it read: what
 * {@link fetchIdxPrefix} does with the body of the response.
 * @param file - the file's URL, for error messages.
 * @throws DataFileError naming `file` when the stream is not gzip, damaged, not an IDX file of `kind`
 *   or shorter than its header says.
 */
export async function readIdxPrefix(
  gzipped: ReadableStream<Uint8Array<ArrayBuffer>>,
  file: string,
  kind: IdxKind,
  count: number,
): Promise<IdxPrefix> {
  const inflated = gzipped.pipeThrough(new DecompressionStream('gzip'));
  let bytes: Uint8Array;
  try {
    bytes = await readPrefix(inflated, (received) => {
      const header = headerIfComplete(received, file, kind);
      if (header === null) return idxHeaderBytes(kind);
      // The whole file is wanted: read to its end rather than cancel the download at the last byte.
      return count >= header.dims[0] ? Number.POSITIVE_INFINITY : header.headerBytes + count * itemBytes(header);
    });
  } catch (cause) {
    if (cause instanceof DataFileError) throw cause;
    throw new DataFileError(file, `not a gzip file or a damaged one (${cause instanceof Error ? cause.message : String(cause)})`, {
      cause,
    });
  }
  const header = parseIdxHeader(bytes, file, kind);
  const items = Math.min(count, header.dims[0]);
  const end = header.headerBytes + items * itemBytes(header);
  if (bytes.length < end) {
    const got = Math.floor((bytes.length - header.headerBytes) / itemBytes(header));
    throw new DataFileError(file, `truncated: the header says ${header.dims.join(' × ')}, but the file ends after ${got} items`);
  }
  return { dims: header.dims, data: bytes.slice(header.headerBytes, end) };
}

/** Bytes per item: the product of the dimensions after the first. */
function itemBytes(header: IdxHeader): number {
  return header.dims.slice(1).reduce((a, b) => a * b, 1);
}

/** The header once `received` holds all of it (checked), or null while it is still short. */
function headerIfComplete(received: Uint8Array, url: string, kind: IdxKind): IdxHeader | null {
  return received.length < idxHeaderBytes(kind) ? null : parseIdxHeader(received, url, kind);
}

/** The first `count` examples of a split: image bytes and labels (as `loadFashionMnist` gives them). */
export async function fetchSplit(imagesUrl: string, labelsUrl: string, count: number): Promise<ImageClassificationSplit> {
  const [images, labels] = await Promise.all([fetchIdxPrefix(imagesUrl, 'images', count), fetchIdxPrefix(labelsUrl, 'labels', count)]);
  const n = Math.min(images.data.length / (images.dims[1] * images.dims[2]), labels.data.length);
  return {
    images: images.data.subarray(0, n * images.dims[1] * images.dims[2]),
    labels: labels.data.subarray(0, n),
    count: n,
    height: images.dims[1],
    width: images.dims[2],
  };
}
