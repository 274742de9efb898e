/**
 * The safetensors format (Hugging Face), for float32 tensors: what `model.safetensors` checkpoints are
 * written in, so that PyTorch's `safetensors.torch.load_file` reads them unchanged, and back.
 *
 * ```text
 * bytes 0..8        N, the header length, unsigned 64-bit little-endian
 * bytes 8..8+N      the header: UTF-8 JSON, padded with spaces so that 8 + N is a multiple of 8
 *                   { "__metadata__": { "key": "string value", … },
 *                     "0.weight": { "dtype": "F32", "shape": [6, 1, 5, 5], "data_offsets": [0, 600] }, … }
 * bytes 8+N..       the data section: each tensor's elements, row-major, little-endian,
 *                   at [begin, end) relative to the start of the data section
 * ```
 *
 * Reading checks everything a damaged or foreign file could get wrong and names the file and the
 * tensor in the error. The data section must be covered exactly by the tensors, without overlaps or
 * gaps, as the reference implementation requires.
 *
 * This module is the byte codec and needs nothing of Node, so the browser entry uses it as it is;
 * reading and writing files is `safetensors-file.ts`.
 * @module
 */
import type { nn } from '@lenet/core';
import { FileProblemError } from './file-problem-error.js';
import { shownJson, shownText } from './shown-value.js';

/**
 * A tensor as plain data: its shape and its row-major float32 elements. The same type as a state
 * dict's entry (`nn.StateEntry` in `@lenet/core`), so what a file holds loads into a model as it is
 * (`model.loadStateDict(readSafetensors(path).tensors, path)`) and `await model.stateDict()` is
 * written as it is.
 */
export type TensorData = nn.StateEntry;

/** What a safetensors file holds: named tensors (in file order) and string metadata. */
export interface SafetensorsContents {
  /**
   * Tensors by name, in the order of their data in the file (so in the order they were written;
   * empty tensors, which share an offset, come in header order).
   */
  readonly tensors: Map<string, TensorData>;
  /** The `__metadata__` record (empty when the file has none). */
  readonly metadata: Record<string, string>;
}

/**
 * A safetensors file that cannot be read: too short, header length beyond the file, bad JSON, a
 * dtype other than F32, offsets out of range, overlapping or leaving gaps, a shape that does not
 * match its byte length. The message starts with the file's name; the CLIs exit with code 2.
 */
export class SafetensorsError extends FileProblemError {}

const METADATA_KEY = '__metadata__';
const BYTES_PER_F32 = 4;
/** The reference implementation refuses headers above 100 MB; so does this one. */
const MAX_HEADER_BYTES = 100_000_000;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNaturalNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isNaturalArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isNaturalNumber);
}

/**
 * Encode tensors and metadata as the bytes of a safetensors file. Tensors are laid out in the map's
 * order (keep PyTorch's `state_dict` order: `0.weight`, `0.bias`, `3.weight`, …).
 *
 * @param tensors - name → shape and float32 data; `data.length` must equal the shape's product.
 * @param metadata - string key → string value, stored as `__metadata__` (omitted when empty).
 * @throws RangeError for a shape that is not a list of non-negative integers, a data length that does
 *   not match it, or the reserved name `__metadata__`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(new Map([['0.bias', { shape: [2], data: Float32Array.of(0.5, -1) }]]), { epoch: '3' });
 * // 8-byte length, then '{"__metadata__":{"epoch":"3"},"0.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}  ', then 8 bytes
 * ```
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, TensorData>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  // Entries, then Object.fromEntries: a tensor or key named `__proto__` stays an ordinary property.
  const headerEntries: Array<[string, unknown]> = [];
  if (Object.keys(metadata).length > 0) headerEntries.push([METADATA_KEY, Object.fromEntries(Object.entries(metadata))]);
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (name === METADATA_KEY) throw new RangeError(`encodeSafetensors: '${METADATA_KEY}' is reserved and cannot name a tensor`);
    if (!isNaturalArray(tensor.shape)) {
      throw new RangeError(`encodeSafetensors: tensor '${name}' has shape [${tensor.shape.join(', ')}], expected non-negative integers`);
    }
    const count = elementCount(tensor.shape);
    if (tensor.data.length !== count) {
      throw new RangeError(
        `encodeSafetensors: tensor '${name}' has shape [${tensor.shape.join(', ')}] (${count} elements) but ${tensor.data.length} values`,
      );
    }
    const end = offset + count * BYTES_PER_F32;
    headerEntries.push([name, { dtype: 'F32', shape: [...tensor.shape], data_offsets: [offset, end] }]);
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(headerEntries)));
  const paddedLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + paddedLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(paddedLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + paddedLength);
  let position = 8 + paddedLength;
  for (const tensor of tensors.values()) {
    for (const value of tensor.data) {
      view.setFloat32(position, value, true);
      position += BYTES_PER_F32;
    }
  }
  return bytes;
}

interface HeaderEntry {
  readonly name: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function parseMetadata(value: unknown, file: string): Record<string, string> {
  if (!isRecord(value)) throw new SafetensorsError(file, `'${METADATA_KEY}' must be an object of strings`);
  const entries: Array<[string, string]> = [];
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      throw new SafetensorsError(file, `metadata '${shownText(key)}' is ${shownJson(entry)}; metadata values must be strings`);
    }
    entries.push([key, entry]);
  }
  return Object.fromEntries(entries);
}

function parseEntry(name: string, value: unknown, dataBytes: number, file: string): HeaderEntry {
  const shownName = shownText(name);
  if (!isRecord(value))
    throw new SafetensorsError(file, `tensor '${shownName}': header entry must be an object with dtype, shape, data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (dtype !== 'F32') {
    throw new SafetensorsError(file, `tensor '${shownName}' has dtype ${shownJson(dtype)}; only F32 is supported`);
  }
  if (!isNaturalArray(shape)) {
    throw new SafetensorsError(file, `tensor '${shownName}' has shape ${shownJson(shape)}; expected an array of non-negative integers`);
  }
  if (!isNaturalArray(offsets) || offsets.length !== 2) {
    throw new SafetensorsError(
      file,
      `tensor '${shownName}' has data_offsets ${shownJson(offsets)}; expected [begin, end], non-negative integers`,
    );
  }
  const [begin, end] = offsets;
  if (begin > end || end > dataBytes) {
    throw new SafetensorsError(
      file,
      `tensor '${shownName}' has data_offsets [${begin}, ${end}], out of range: the data section is ${dataBytes} bytes (need begin ≤ end ≤ ${dataBytes})`,
    );
  }
  const expectedBytes = elementCount(shape) * BYTES_PER_F32;
  if (end - begin !== expectedBytes) {
    throw new SafetensorsError(
      file,
      `tensor '${shownName}' has shape [${shownText(shape.join(', '))}], which needs ${expectedBytes} bytes of F32, but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, shape, begin, end };
}

/** Entries sorted by `begin` must tile `[0, dataBytes)` exactly: no overlap, no gap, no trailing bytes. */
function checkTiling(entries: HeaderEntry[], dataBytes: number, file: string): void {
  let expectedBegin = 0;
  let previous: HeaderEntry | undefined;
  for (const entry of entries) {
    if (entry.begin < expectedBegin && previous !== undefined) {
      throw new SafetensorsError(
        file,
        `tensors '${shownText(previous.name)}' [${previous.begin}, ${previous.end}] and '${shownText(entry.name)}' [${entry.begin}, ${entry.end}] overlap`,
      );
    }
    if (entry.begin > expectedBegin) {
      throw new SafetensorsError(
        file,
        `bytes [${expectedBegin}, ${entry.begin}) of the data section belong to no tensor (before '${shownText(entry.name)}')`,
      );
    }
    expectedBegin = entry.end;
    previous = entry;
  }
  if (expectedBegin !== dataBytes) {
    throw new SafetensorsError(file, `the data section is ${dataBytes} bytes but the tensors end at byte ${expectedBegin}`);
  }
}

/**
 * Decode the bytes of a safetensors file holding F32 tensors, checking the header length, the JSON,
 * every dtype, shape and offset pair, and that the tensors tile the data section exactly.
 *
 * @param bytes - the whole file.
 * @param file - the file's name, for error messages.
 * @throws {@link SafetensorsError} naming `file`, the tensor and what is wrong.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(bytes, 'model.safetensors');
 * tensors.get('0.weight')?.shape; // [6, 1, 5, 5]
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): SafetensorsContents {
  if (bytes.length < 8) {
    throw new SafetensorsError(file, `too short: ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  const available = bytes.length - 8;
  if (declared > BigInt(available) || declared > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(
      file,
      `header length ${declared} goes beyond the end of the file (${available} bytes follow the length field)` +
        (declared > BigInt(MAX_HEADER_BYTES) ? ` or above the ${MAX_HEADER_BYTES}-byte limit` : '') +
        '; the file is truncated or not safetensors',
    );
  }
  const headerBytes = Number(declared);
  let parsed: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
    parsed = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SafetensorsError(file, `the ${headerBytes}-byte header is not valid UTF-8 JSON (${reason})`, { cause });
  }
  if (!isRecord(parsed)) throw new SafetensorsError(file, 'the header must be a JSON object of tensor entries');
  const dataStart = 8 + headerBytes;
  const dataBytes = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value, file);
    else entries.push(parseEntry(name, value, dataBytes, file));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkTiling(entries, dataBytes, file);
  const tensors = new Map<string, TensorData>();
  for (const entry of entries) {
    const data = new Float32Array((entry.end - entry.begin) / BYTES_PER_F32);
    for (let index = 0; index < data.length; index++) {
      data[index] = view.getFloat32(dataStart + entry.begin + index * BYTES_PER_F32, true);
    }
    tensors.set(entry.name, { shape: entry.shape, data });
  }
  return { tensors, metadata };
}
