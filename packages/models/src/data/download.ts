/**
 * Downloads that are verified and atomic: the body is streamed into a temporary file beside the
 * destination while its SHA-256 is computed; only a complete file with the expected checksum is
 * flushed and renamed into place. A dropped connection, a wrong checksum or a killed process never
 * leaves a file under the real name, so a half-written file is never taken for data.
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { removeQuietly, renameIntoPlace, temporarySiblingPath } from '../io/atomic-write.js';
import { FileSystemError } from '../io/file-system-error.js';
import { makeDirectory } from '../io/make-directory.js';
import { DataFileError } from './data-file-error.js';

/** A file to fetch: its name (appended to the base URL and used in the cache) and its checksum. */
export interface DownloadableFile {
  /** The file name, e.g. `train-images-idx3-ubyte.gz`. */
  readonly name: string;
  /** Its SHA-256, 64 lowercase hex digits. */
  readonly sha256: string;
  /** Its size in bytes, when known (the total reported if the server sends no length). */
  readonly bytes?: number;
}

/** Options of {@link downloadVerified}. */
export interface DownloadOptions {
  /** An `http:` or `https:` URL. */
  readonly url: string;
  /** Where the verified file goes; its directory must exist. */
  readonly destination: string;
  /** The expected SHA-256 of the body, lowercase hex. */
  readonly sha256: string;
  /** Called as bytes arrive, with the total from `Content-Length` when the server sent one. */
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  /** Give up when the server sends nothing for this long; default 30,000 ms. */
  readonly idleTimeoutMs?: number;
  /** Redirects followed at most; default 5. */
  readonly maxRedirects?: number;
}

/** A cached copy of `file` failed its checksum (damaged on disk) and is fetched again. */
export interface DownloadRefetch {
  /** `refetch` */
  readonly kind: 'refetch';
  /** The file fetched again. */
  readonly file: DownloadableFile;
  /** Where the damaged copy is. */
  readonly path: string;
}

/** Bytes of `file` arrived. */
export interface DownloadBytes {
  /** `progress` */
  readonly kind: 'progress';
  /** The file being fetched. */
  readonly file: DownloadableFile;
  /** Bytes received so far. */
  readonly receivedBytes: number;
  /** The server's `Content-Length`, else the file table's size, else undefined. */
  readonly totalBytes: number | undefined;
}

/** The download of `file` ended, done or failed. */
export interface DownloadEnd {
  /** `end` */
  readonly kind: 'end';
  /** The file whose download ended. */
  readonly file: DownloadableFile;
}

/** What {@link ensureDownloaded} reports as it works, for a progress display (the commands draw a bar per file on stderr). */
export type DownloadEvent = DownloadRefetch | DownloadBytes | DownloadEnd;

/** Options of {@link ensureDownloaded}. */
export interface EnsureDownloadedOptions {
  /** The URL the file names are appended to, e.g. `https://example.org/mnist/`. */
  readonly baseUrl: string;
  /** The cache directory; created when missing. */
  readonly directory: string;
  /** The files and their checksums. */
  readonly files: readonly DownloadableFile[];
  /** Called as the files are checked and fetched (see {@link DownloadEvent}); default: nothing is reported. */
  readonly onProgress?: (event: DownloadEvent) => void;
  /** Passed on to {@link downloadVerified}. */
  readonly idleTimeoutMs?: number;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    return `${code}${error.message}`;
  }
  return String(error);
}

/** Why a request was cut by this module rather than by the server (set by the idle timer). */
interface AbortNote {
  reason?: string;
}

/**
 * GET `url`, following redirects, and resolve with a 200 response (its body not yet read). When the
 * server is silent for `idleTimeoutMs`, the request is destroyed and `note.reason` says so.
 */
function requestOk(url: URL, idleTimeoutMs: number, redirectsLeft: number, note: AbortNote): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? httpsGet : url.protocol === 'http:' ? httpGet : undefined;
    if (get === undefined) {
      reject(new DataFileError(url.href, `cannot download: only http: and https: URLs are supported, got ${url.protocol}`));
      return;
    }
    const request = get(url, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.resume();
        if (redirectsLeft === 0) {
          reject(new DataFileError(url.href, 'download failed: too many redirects'));
          return;
        }
        requestOk(new URL(location, url), idleTimeoutMs, redirectsLeft - 1, note).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        response.resume();
        reject(new DataFileError(url.href, `download failed: HTTP ${status} ${response.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      resolve(response);
    });
    request.setTimeout(idleTimeoutMs, () => {
      note.reason = `no data from the server for ${idleTimeoutMs} ms`;
      request.destroy(new Error(note.reason));
    });
    request.on('error', (error) => {
      reject(new DataFileError(url.href, `download failed: ${note.reason ?? describeError(error)}`, { cause: error }));
    });
  });
}

/**
 * Compute a file's SHA-256 (lowercase hex) by streaming it.
 *
 * @example
 * ```ts
 * await sha256OfFile('t10k-labels-idx1-ubyte.gz'); // 'f7ae60f92e00ec6d…'
 * ```
 */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Download `url` to `destination` if and only if the body is complete and its SHA-256 matches.
 *
 * Steps: GET (following redirects, failing on any status but 200); stream the body into a temporary
 * file in the destination's directory, hashing it on the way; check the byte count against
 * `Content-Length` and the hash against `sha256`; fsync; rename over `destination`. On any failure
 * the temporary file is removed and the destination is left as it was.
 *
 * @throws {@link DataFileError} naming the URL: HTTP status, connection error or drop (with the bytes
 *   received so far), idle timeout, checksum mismatch.
 *
 * @example
 * ```ts
 * await downloadVerified({ url: 'https://example.org/mnist/t10k-labels-idx1-ubyte.gz', destination, sha256 });
 * ```
 */
export async function downloadVerified(options: DownloadOptions): Promise<void> {
  const url = new URL(options.url);
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const note: AbortNote = {};
  const response = await requestOk(url, idleTimeoutMs, options.maxRedirects ?? 5, note);
  const lengthHeader = response.headers['content-length'];
  const totalBytes = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const temporaryPath = temporarySiblingPath(options.destination);
  const hash = createHash('sha256');
  let received = 0;
  try {
    const file = await open(temporaryPath, 'wx', 0o644);
    try {
      try {
        for await (const chunk of response) {
          const bytes: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
          hash.update(bytes);
          for (let written = 0; written < bytes.length; ) written += (await file.write(bytes, written)).bytesWritten;
          received += bytes.length;
          options.onProgress?.(received, totalBytes);
        }
      } catch (error) {
        const of = totalBytes !== undefined ? ` of ${totalBytes}` : '';
        throw new DataFileError(
          url.href,
          `download failed: the connection dropped after ${received}${of} bytes (${note.reason ?? describeError(error)}); ` +
            'nothing was kept, run again to retry',
          { cause: error },
        );
      }
      if (totalBytes !== undefined && received !== totalBytes) {
        throw new DataFileError(
          url.href,
          `download failed: received ${received} bytes but the server announced ${totalBytes}; nothing was kept, run again to retry`,
        );
      }
      const actual = hash.digest('hex');
      if (actual !== options.sha256.toLowerCase()) {
        throw new DataFileError(
          url.href,
          `checksum mismatch: expected SHA-256 ${options.sha256}, got ${actual} (${received} bytes); the file was not kept. ` +
            'The mirror may serve a different file: check the base URL.',
        );
      }
      await file.sync();
    } finally {
      await file.close();
    }
    renameIntoPlace(temporaryPath, options.destination);
  } catch (error) {
    removeQuietly(temporaryPath);
    response.destroy();
    throw error;
  }
}

/**
 * Make sure every file is in `directory` with the right checksum, downloading the missing ones from
 * `baseUrl + name`, reporting progress to `onProgress`. A file already there is verified first; a cached file with a
 * wrong checksum (damaged on disk) is fetched again. When all files are cached no connection is made.
 *
 * @returns the directory.
 * @throws {@link DataFileError} when a download fails (see {@link downloadVerified}).
 *
 * @example
 * ```ts
 * await ensureDownloaded({ baseUrl: 'https://example.org/mnist/', directory: '/home/me/.cache/lenet-ts/mnist', files: MNIST_FILES });
 * ```
 */
export async function ensureDownloaded(options: EnsureDownloadedOptions): Promise<string> {
  try {
    makeDirectory(options.directory);
  } catch (error) {
    throw new FileSystemError({
      path: options.directory,
      action: 'cannot create the download cache',
      problem: error,
      advice: 'set LENET_CACHE_DIR to a directory this user can write, or pass --data-dir with the four files',
    });
  }
  const report = options.onProgress ?? (() => undefined);
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  for (const file of options.files) {
    const destination = join(options.directory, file.name);
    if (existsSync(destination)) {
      if ((await sha256OfFile(destination)) === file.sha256.toLowerCase()) continue;
      report({ kind: 'refetch', file, path: destination });
    }
    try {
      await downloadVerified({
        url: new URL(file.name, baseUrl).href,
        destination,
        sha256: file.sha256,
        idleTimeoutMs: options.idleTimeoutMs,
        onProgress: (receivedBytes, totalBytes) => report({ kind: 'progress', file, receivedBytes, totalBytes: totalBytes ?? file.bytes }),
      });
    } finally {
      report({ kind: 'end', file }); // also after a failure, so that a display can end its line before the error
    }
  }
  return options.directory;
}
