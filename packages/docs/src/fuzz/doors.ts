/**
 * The doors: every parser of bytes that come from outside, with the real files it is fuzzed from,
 * the edits that break them, and the errors that are its own. Each door turns a {@link FuzzCase}
 * into a parser call (the bytes, file or stream are made before the call, outside the allocation
 * budget).
 *
 * | door | parser | own errors |
 * | --- | --- | --- |
 * | `safetensors` | `decodeSafetensors` (the codec the browser entry and Node share) | SafetensorsError |
 * | `safetensors-file` | `readSafetensors` (Node, from a file) | SafetensorsError |
 * | `checkpoint` | `readCheckpoint` (Node: the file and its metadata) | CheckpointError |
 * | `checkpoint-metadata` | `parseCheckpointMetadata` (a metadata record) | CheckpointError |
 * | `idx` | `parseIdx` (inflated IDX bytes) | DataFileError |
 * | `idx-gzip` | `gunzipIfCompressed` then `parseIdx` (a `.gz` file's bytes) | DataFileError |
 * | `fashion-mnist` | `loadFashionMnist` (a directory of four `.gz` files, one broken) | DataFileError |
 * | `playground-weights` | the Playground's `readWeightsBytes` (a weights file the reader loads) | SafetensorsError, CheckpointError |
 * | `playground-idx-prefix` | the Playground's `readIdxPrefix` (a gzip'd IDX stream, read as far as needed) | DataFileError |
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type fc from 'fast-check';
import {
  CheckpointError,
  DataFileError,
  decodeSafetensors,
  gunzipIfCompressed,
  loadFashionMnist,
  parseCheckpointMetadata,
  parseIdx,
  readCheckpoint,
  readSafetensors,
  SafetensorsError,
} from '@lenet/models';
import { readIdxPrefix } from '../playground/data.js';
import { readWeightsBytes } from '../playground/weights.js';
import { byteEdit, caseBytes, caseMetadata, type FuzzCase, fuzzCases, metadataEdit, safetensorsEdit } from './file-edits.js';
import { type IdxSeed, seedFiles } from './seed-files.js';

/** A parser's own error class (each is a `FileProblemError`: it names the file). */
export type OwnError = typeof SafetensorsError | typeof CheckpointError | typeof DataFileError;

/** One case made ready for its parser. */
export interface OpenedCase {
  /** The file name the parser is given; its errors must name it (for a directory: a file in it). */
  readonly file: string;
  /** The bytes the input justifies allocating: what the parser may create in typed arrays. */
  readonly budgetBytes: number;
  /** Calls the parser. */
  readonly parse: () => unknown;
}

/** A parser of outside bytes, as the fuzz sees it. */
export interface Door {
  readonly name: string;
  /** The parser and what it is given. */
  readonly what: string;
  readonly cases: fc.Arbitrary<FuzzCase>;
  readonly ownErrors: readonly OwnError[];
  /** Makes the case's input (bytes, a file, a stream) and the call. */
  open(fuzzCase: FuzzCase): OpenedCase;
}

/** Room for the parser's fixed buffers (the prefix reader starts with 64 KiB). */
const FIXED_ALLOWANCE = 128 * 1024;
/** What may be allocated per byte of input: the decoded tensors are at most the input, copies twice that. */
const PER_INPUT_BYTE = 4;
/** The most that deflate can expand a byte of gzip input into (zlib's maximum ratio is 1032 : 1). */
const DEFLATE_EXPANSION = 1032;

const budgetFor = (inputBytes: number, expansion = 1): number => FIXED_ALLOWANCE + PER_INPUT_BYTE * expansion * inputBytes;

let scratch: string | null = null;
/** A directory for the doors that read files (made on first use; {@link removeScratch} deletes it). */
function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'lenet-fuzz-'));
  return scratch;
}

/** Deletes the files the doors wrote. */
export function removeScratch(): void {
  if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
}

/** A stream that delivers `bytes` in chunks of `chunkBytes`, as a download does. */
function chunkedStream(bytes: Uint8Array, chunkBytes: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let offset = 0;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

/**
 * A door fed from the safetensors seeds (model and checkpoint files) edited as safetensors:
 * `open` gets the case's bytes and makes the parser's input and call.
 */
function safetensorsSeedDoor(
  name: string,
  what: string,
  ownErrors: readonly OwnError[],
  open: (bytes: Uint8Array) => { file: string; parse: () => unknown },
): Door {
  return {
    name,
    what,
    cases: fuzzCases(3, safetensorsEdit),
    ownErrors,
    open: (fuzzCase) => {
      const bytes = caseBytes(fuzzCase, seedFiles().safetensors);
      return { ...open(bytes), budgetBytes: budgetFor(bytes.length) };
    },
  };
}

/** The codec door, with the decoder as a parameter (the fuzz test passes a weakened copy to show it is caught). */
export function safetensorsDoor(decode: (bytes: Uint8Array, file: string) => unknown = decodeSafetensors): Door {
  const what = 'decodeSafetensors(bytes, file): the safetensors codec of Node and the browser';
  return safetensorsSeedDoor('safetensors', what, [SafetensorsError], (bytes) => {
    const file = 'fuzzed.safetensors';
    return { file, parse: () => decode(bytes, file) };
  });
}

/** A door whose parser reads a file: the case's bytes are written to the scratch directory first. */
function fileDoor(name: string, what: string, ownErrors: readonly OwnError[], read: (path: string) => unknown): Door {
  return safetensorsSeedDoor(name, what, ownErrors, (bytes) => {
    const file = join(scratchDir(), 'model.safetensors');
    writeFileSync(file, bytes);
    return { file, parse: () => read(file) };
  });
}

const checkpointMetadataDoor: Door = {
  name: 'checkpoint-metadata',
  what: "parseCheckpointMetadata(record, file): a checkpoint's metadata record",
  cases: fuzzCases(2, metadataEdit),
  ownErrors: [CheckpointError],
  open: (fuzzCase) => {
    const record = caseMetadata(fuzzCase, seedFiles().checkpointMetadata);
    const file = 'fuzzed.safetensors';
    // A safetensors file's metadata holds strings only (the codec refuses the rest): what reaches the parser.
    const strings = Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const size = Object.entries(strings).reduce((total, [key, value]) => total + key.length + value.length, 0);
    return { file, budgetBytes: budgetFor(size), parse: () => parseCheckpointMetadata(strings, file) };
  },
};

/**
 * A door for one of the two IDX seeds (test labels, test images), edited as inflated bytes or as
 * their `.gz` file: `parse` gets the case's bytes, the seed and the allocation budget's expansion.
 */
function idxSeedDoor(
  name: string,
  what: string,
  form: 'bytes' | 'gzipped',
  open: (bytes: Uint8Array, seed: IdxSeed, fuzzCase: FuzzCase) => { file: string; parse: () => unknown },
): Door {
  return {
    name,
    what,
    cases: fuzzCases(2, byteEdit),
    ownErrors: [DataFileError],
    open: (fuzzCase) => {
      const seeds = seedFiles().idx;
      const bytes = caseBytes(
        fuzzCase,
        seeds.map((idx) => idx[form]),
      );
      const expansion = form === 'gzipped' ? DEFLATE_EXPANSION : 1;
      return { ...open(bytes, seeds[fuzzCase.seed % seeds.length], fuzzCase), budgetBytes: budgetFor(bytes.length, expansion) };
    },
  };
}

const idxDoor = idxSeedDoor('idx', 'parseIdx(bytes, file, kind): inflated IDX bytes', 'bytes', (bytes, seed) => {
  const file = seed.name.replace(/\.gz$/, '');
  return { file, parse: () => parseIdx(bytes, file, seed.kind) };
});

const idxGzipDoor = idxSeedDoor(
  'idx-gzip',
  'parseIdx(gunzipIfCompressed(bytes, file), file, kind): the bytes of a .gz IDX file',
  'gzipped',
  (bytes, seed) => ({ file: seed.name, parse: () => parseIdx(gunzipIfCompressed(bytes, seed.name), seed.name, seed.kind) }),
);

const fashionMnistDoor: Door = {
  name: 'fashion-mnist',
  what: 'loadFashionMnist({ dataDir }): a directory of the four .gz files, the case breaking one of them',
  cases: fuzzCases(4, byteEdit),
  ownErrors: [DataFileError],
  open: (fuzzCase) => {
    const files = seedFiles().directory;
    const dataDir = join(scratchDir(), 'fashion-mnist');
    mkdirSync(dataDir, { recursive: true });
    const broken = fuzzCase.seed % files.length;
    let total = 0;
    files.forEach((seed, index) => {
      const bytes = index === broken ? caseBytes({ ...fuzzCase, seed: 0 }, [seed.gzipped]) : seed.gzipped;
      total += bytes.length;
      writeFileSync(join(dataDir, seed.name), bytes);
    });
    return { file: dataDir, budgetBytes: budgetFor(total, DEFLATE_EXPANSION), parse: () => loadFashionMnist({ dataDir }) };
  },
};

const playgroundWeightsDoor = safetensorsSeedDoor(
  'playground-weights',
  "readWeightsBytes(bytes, file, 'lenet5'): a weights file the Playground's reader loads",
  [SafetensorsError, CheckpointError],
  (bytes) => {
    const file = 'uploaded.safetensors';
    return { file, parse: () => readWeightsBytes(bytes, file, 'lenet5') };
  },
);

/** How many items the Playground asks of each file: its 10,000 test images and labels, and a few hundred training examples. */
const PREFIX_COUNTS = [10_000, 7];

const playgroundIdxPrefixDoor = idxSeedDoor(
  'playground-idx-prefix',
  "readIdxPrefix(stream, url, kind, count): the Playground's streamed .gz IDX file, read as far as it needs",
  'gzipped',
  (bytes, seed, fuzzCase) => {
    const url = `./data/${seed.name}`;
    const count = PREFIX_COUNTS[fuzzCase.edits.length % PREFIX_COUNTS.length];
    return { file: url, parse: () => readIdxPrefix(chunkedStream(bytes, 4096), url, seed.kind, count) };
  },
);

/** Every door, in the order the report lists them. */
export function allDoors(): Door[] {
  return [
    safetensorsDoor(),
    fileDoor('safetensors-file', 'readSafetensors(path): a safetensors file on disk (Node)', [SafetensorsError], readSafetensors),
    fileDoor('checkpoint', 'readCheckpoint(path): a checkpoint file and its metadata (Node)', [CheckpointError], readCheckpoint),
    checkpointMetadataDoor,
    idxDoor,
    idxGzipDoor,
    fashionMnistDoor,
    playgroundWeightsDoor,
    playgroundIdxPrefixDoor,
  ];
}
