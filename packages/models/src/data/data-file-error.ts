import { FileProblemError } from '../io/file-problem-error.js';

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
export class DataFileError extends FileProblemError {}
