/**
 * A data file that cannot be used: missing, not gzip, wrong IDX magic number, truncated, labels out of
 * range, a failed download or checksum. The message names the file and what is wrong; the CLIs print it
 * and exit with code 2.
 *
 * @example
 * ```ts
 * try {
 *   loadFashionMnist({ dataDir: 'elsewhere' });
 * } catch (error) {
 *   if (error instanceof DataFileError) console.error(error.message); // "…/train-labels-idx1-ubyte.gz: …"
 * }
 * ```
 */
export class DataFileError extends Error {
  /** The file (or URL) the error is about, as it was given. */
  readonly file: string;

  /**
   * @param file - the path or URL of the offending file; the message starts with it.
   * @param problem - what is wrong and, where possible, what was expected.
   * @param options - `cause`: the underlying error (an `ENOENT`, a zlib error, a socket error).
   */
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = 'DataFileError';
    this.file = file;
  }
}
