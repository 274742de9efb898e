/**
 * safetensors files on disk: {@link readSafetensors} and {@link writeSafetensors} around the byte
 * codec of `safetensors.ts`, with the file named in every error and the write atomic.
 * @module
 */
import { writeOutputFile } from './output-file.js';
import { readFileBytes } from './read-file-bytes.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type SafetensorsContents, type TensorData } from './safetensors.js';

/**
 * Write tensors and metadata to a safetensors file atomically (temporary file, fsync, rename): a crash
 * mid-write leaves the previous checkpoint intact. A link, device or FIFO at `path` is treated as
 * {@link writeOutputFile} says (never replaced by a regular file).
 *
 * @example
 * ```ts
 * writeSafetensors('runs/a/model.safetensors', new Map([['0.weight', { shape: [6, 1, 5, 5], data }]]), { epoch: '4' });
 * ```
 */
export function writeSafetensors(
  path: string,
  tensors: ReadonlyMap<string, TensorData>,
  metadata: Readonly<Record<string, string>> = {},
): void {
  writeOutputFile(path, encodeSafetensors(tensors, metadata));
}

/**
 * Read and check a safetensors file of F32 tensors (see {@link decodeSafetensors}).
 *
 * @throws {@link SafetensorsError} when the file is missing, unreadable or fails a check.
 */
export function readSafetensors(path: string): SafetensorsContents {
  return decodeSafetensors(readFileBytes(path, SafetensorsError), path);
}
