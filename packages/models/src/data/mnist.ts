/**
 * MNIST (LeCun, Cortes, Burges): 70,000 handwritten digits, LeNet-5's original task. Unlike
 * Fashion-MNIST it is not shipped: `--dataset mnist` downloads the four original files on first use into
 * a cache directory, verifying their SHA-256, and reads them from there afterwards without a network.
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DataFileError } from './data-file-error.js';
import { ensureDownloaded, type DownloadableFile, type DownloadEvent } from './download.js';
import { IDX_FILE_NAMES } from './idx-file-names.js';
import { loadIdxDirectory, type ImageClassificationData } from './image-classification-data.js';

/**
 * The four original MNIST files with their SHA-256 and sizes (the checksums torchvision and TensorFlow
 * Datasets verify against).
 */
export const MNIST_FILES: readonly DownloadableFile[] = Object.freeze([
  { name: IDX_FILE_NAMES.trainImages, sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609', bytes: 9_912_422 },
  { name: IDX_FILE_NAMES.trainLabels, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c', bytes: 28_881 },
  { name: IDX_FILE_NAMES.testImages, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6', bytes: 1_648_877 },
  { name: IDX_FILE_NAMES.testLabels, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6', bytes: 4_542 },
]);

/** The mirror TensorFlow downloads MNIST from (the original site, yann.lecun.com, is often unavailable). */
export const DEFAULT_MNIST_BASE_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/';

/** MNIST's class names: the digits `'0'` to `'9'`. */
export const MNIST_CLASS_NAMES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * The root of LeNet.ts's download cache: `$LENET_CACHE_DIR` if set, else `$XDG_CACHE_HOME/lenet-ts`,
 * else `~/.cache/lenet-ts`. Each data set gets a subdirectory (`mnist/`).
 *
 * @param env - the environment to read; default `process.env`.
 */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LENET_CACHE_DIR !== undefined && env.LENET_CACHE_DIR !== '') return env.LENET_CACHE_DIR;
  if (env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '') return join(env.XDG_CACHE_HOME, 'lenet-ts');
  return join(homedir(), '.cache', 'lenet-ts');
}

/** Whether `text` parses as an absolute `http:` or `https:` URL. */
function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Options of {@link ensureMnist} and {@link loadMnist}. */
export interface MnistOptions {
  /** The cache root (files go into `<cacheRoot>/mnist`); default {@link defaultCacheRoot}. */
  readonly cacheRoot?: string;
  /** Where to download from; default `$LENET_MNIST_BASE_URL`, else {@link DEFAULT_MNIST_BASE_URL}. */
  readonly baseUrl?: string;
  /** The files and checksums to expect; default {@link MNIST_FILES}. Tests inject their own. */
  readonly files?: readonly DownloadableFile[];
  /** Called as the files are checked and downloaded (see `DownloadEvent`); default: nothing is reported. */
  readonly onProgress?: (event: DownloadEvent) => void;
  /** Give up on a server silent for this long; default 30,000 ms. */
  readonly idleTimeoutMs?: number;
  /** The environment for the defaults; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Make sure the four MNIST files are in the cache, downloading what is missing (verified, atomic,
 * reporting progress to `onProgress`). With everything cached it touches no network.
 *
 * @returns the directory holding the four files.
 * @throws {@link DataFileError} when a download fails or a checksum does not match.
 */
export async function ensureMnist(options: MnistOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const envBaseUrl = env.LENET_MNIST_BASE_URL !== undefined && env.LENET_MNIST_BASE_URL !== '' ? env.LENET_MNIST_BASE_URL : undefined;
  const baseUrl = options.baseUrl ?? envBaseUrl ?? DEFAULT_MNIST_BASE_URL;
  if (!isHttpUrl(baseUrl)) {
    const from = options.baseUrl === undefined ? 'LENET_MNIST_BASE_URL' : 'the base URL';
    throw new DataFileError(
      baseUrl,
      `${from} is not an http:// or https:// URL; set it to a mirror such as ${DEFAULT_MNIST_BASE_URL}, or unset it`,
    );
  }
  return ensureDownloaded({
    baseUrl,
    directory: join(options.cacheRoot ?? defaultCacheRoot(env), 'mnist'),
    files: options.files ?? MNIST_FILES,
    onProgress: options.onProgress,
    idleTimeoutMs: options.idleTimeoutMs,
  });
}

/**
 * Load MNIST (downloading it first if needed): 60,000 training and 10,000 test digits, 28 × 28,
 * pixels scaled to [0, 1], labels 0..9.
 *
 * @throws {@link DataFileError} when a download fails or a file fails a check.
 *
 * @example
 * ```ts
 * const { train, classNames } = await loadMnist(); // first run: downloads about 11 MiB
 * classNames[train.labels[0]]; // '5'
 * ```
 */
export async function loadMnist(options: MnistOptions = {}): Promise<ImageClassificationData> {
  const directory = await ensureMnist(options);
  return loadIdxDirectory(directory, { name: 'mnist', classNames: MNIST_CLASS_NAMES, height: 28, width: 28 });
}
