/**
 * `--dataset` and `--data-dir`: loading the images a command trains or evaluates on.
 * @module
 */
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { loadIdxDirectory, type ImageClassificationData } from '../data/image-classification-data.js';
import { loadMnist, MNIST_CLASS_NAMES } from '../data/mnist.js';
import { choiceOption, stringOption } from './command-line.js';
import { downloadProgressBars, type ProgressStream } from './progress-bar.js';

/** The values of `--dataset`. */
export const DATASET_NAMES = ['fashion-mnist', 'mnist'] as const;

/** One of {@link DATASET_NAMES}. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Whether `name` is one of {@link DATASET_NAMES}. */
export function isDatasetName(name: string): name is DatasetName {
  return DATASET_NAMES.some((known) => known === name);
}

/** `--dataset` for the train command (the evaluate command's default is the checkpoint's). */
export function datasetOption() {
  return choiceOption(
    '--dataset <name>',
    DATASET_NAMES,
    'fashion-mnist (shipped with the package) or mnist (downloaded once into a cache, checksummed)',
  ).default('fashion-mnist');
}

/** `--data-dir`, shared by the train and evaluate commands. */
export function dataDirOption(help = 'a directory with the four IDX .gz files to use instead (same file names as the originals)') {
  return stringOption('--data-dir <dir>', help);
}

/**
 * Loads a data set: Fashion-MNIST from the package (or `dataDir`), MNIST from `dataDir` or the cache
 * (downloading it the first time, with a progress bar per file on `progress`).
 * @throws DataFileError naming the file and what is wrong.
 */
export async function loadDataset(
  name: DatasetName,
  dataDir: string | undefined,
  progress: ProgressStream = process.stderr,
): Promise<ImageClassificationData> {
  if (name === 'fashion-mnist') return loadFashionMnist({ dataDir });
  if (dataDir !== undefined) return loadIdxDirectory(dataDir, { name: 'mnist', classNames: MNIST_CLASS_NAMES, height: 28, width: 28 });
  return loadMnist({ onProgress: downloadProgressBars(progress) });
}
