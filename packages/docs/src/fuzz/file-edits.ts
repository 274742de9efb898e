/**
 * How the fuzz breaks a real file: a list of edits, each plain JSON (so a failing case is saved as a
 * regression test and replayed exactly), applied in order to the file's bytes.
 *
 * - byte edits: flip a bit, set a byte, insert or delete bytes, truncate;
 * - field edits: a big-endian 32-bit word (IDX sizes and magic numbers) or a little-endian 64-bit
 *   word (the safetensors header length) set to an extreme value;
 * - header edits, for safetensors: a tensor's `dtype`, `shape`, `data_offsets` or whole entry, or a
 *   metadata value, replaced by an extreme JSON value (huge numbers, negatives, overlapping offsets,
 *   JSON nested 100,000 deep or a 100,000-element array); the header is written back with its new
 *   length.
 *
 * A position is taken modulo the current length, so every edit applies to every file and shrinking
 * moves it towards the start.
 * @module
 */
import fc from 'fast-check';

/** A JSON value, or a recipe for one too big to store in a regression file. */
export type JsonRecipe = { readonly literal: unknown } | { readonly deep: number } | { readonly huge: number; readonly item: unknown };

/** One edit of a file. */
export type FileEdit =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly byte: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'truncate'; readonly length: number }
  | { readonly op: 'u32be'; readonly at: number; readonly value: number }
  | { readonly op: 'u64le'; readonly at: number; readonly value: string }
  | {
      readonly op: 'tensor';
      readonly tensor: number;
      readonly field: 'dtype' | 'shape' | 'data_offsets' | 'entry';
      readonly value: JsonRecipe;
    }
  | { readonly op: 'metadata'; readonly key: string; readonly value: JsonRecipe | null };

/** A fuzz case: a seed file (by index), or bytes in its place, and the edits made to it. */
export interface FuzzCase {
  readonly seed: number;
  readonly bytes?: readonly number[];
  readonly edits: readonly FileEdit[];
}

/** The JSON value a recipe stands for. */
export function jsonOf(recipe: JsonRecipe): unknown {
  if ('literal' in recipe) return recipe.literal;
  if ('deep' in recipe) {
    let value: unknown = [];
    for (let level = 0; level < recipe.deep; level++) value = [value];
    return value;
  }
  return Array.from({ length: recipe.huge }, () => recipe.item);
}

/** A JSON value as text; deep nesting written by hand, since `JSON.stringify` would overflow the stack. */
function jsonText(recipe: JsonRecipe): string {
  if ('deep' in recipe) return `${'['.repeat(recipe.deep + 1)}${']'.repeat(recipe.deep + 1)}`;
  return JSON.stringify(jsonOf(recipe)) ?? 'null';
}

/** The safetensors header of `bytes` as a list of [key, JSON text] pairs, and where the data starts; null when it is not readable. */
function splitSafetensors(bytes: Uint8Array): { entries: Array<[string, string]>; data: Uint8Array } | null {
  if (bytes.length < 8) return null;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(length))));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const entries = Object.entries(parsed).map(([key, value]): [string, string] => [key, JSON.stringify(value)]);
    return { entries, data: bytes.subarray(8 + Number(length)) };
  } catch {
    return null;
  }
}

/** A safetensors file from header entries (key, JSON text) and its data section. */
function joinSafetensors(entries: ReadonlyArray<readonly [string, string]>, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(`{${entries.map(([key, text]) => `${JSON.stringify(key)}:${text}`).join(',')}}`);
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

/** The members of the JSON object `text` (none when it is something else). */
function members(text: string): Array<[string, unknown]> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

function editHeader(bytes: Uint8Array, edit: Extract<FileEdit, { op: 'tensor' | 'metadata' }>): Uint8Array {
  const split = splitSafetensors(bytes);
  if (split === null) return bytes;
  const { entries, data } = split;
  if (edit.op === 'metadata') {
    const index = entries.findIndex(([key]) => key === '__metadata__');
    const pairs = (index < 0 ? [] : members(entries[index][1]))
      .filter(([key]) => key !== edit.key)
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
    if (edit.value !== null) pairs.push(`${JSON.stringify(edit.key)}:${jsonText(edit.value)}`);
    const text = `{${pairs.join(',')}}`;
    if (index < 0) entries.unshift(['__metadata__', text]);
    else entries[index] = ['__metadata__', text];
    return joinSafetensors(entries, data);
  }
  const tensors = entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry[0] !== '__metadata__');
  if (tensors.length === 0) return bytes;
  const { entry, index } = tensors[edit.tensor % tensors.length];
  if (edit.field === 'entry') {
    entries[index] = [entry[0], jsonText(edit.value)];
  } else {
    const others = members(entry[1])
      .filter(([key]) => key !== edit.field)
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
    entries[index] = [entry[0], `{${[...others, `${JSON.stringify(edit.field)}:${jsonText(edit.value)}`].join(',')}}`];
  }
  return joinSafetensors(entries, data);
}

/** `bytes` with one edit made (a new array; the input is not changed). */
export function applyEdit(bytes: Uint8Array, edit: FileEdit): Uint8Array {
  const length = bytes.length;
  switch (edit.op) {
    case 'flip': {
      if (length === 0) return bytes;
      const copy = bytes.slice();
      copy[edit.at % length] ^= 1 << (edit.bit & 7);
      return copy;
    }
    case 'set': {
      if (length === 0) return bytes;
      const copy = bytes.slice();
      copy[edit.at % length] = edit.byte & 0xff;
      return copy;
    }
    case 'insert': {
      const at = edit.at % (length + 1);
      const copy = new Uint8Array(length + edit.bytes.length);
      copy.set(bytes.subarray(0, at));
      copy.set(edit.bytes, at);
      copy.set(bytes.subarray(at), at + edit.bytes.length);
      return copy;
    }
    case 'delete': {
      if (length === 0) return bytes;
      const at = edit.at % length;
      const copy = new Uint8Array(length - Math.min(edit.length, length - at));
      copy.set(bytes.subarray(0, at));
      copy.set(bytes.subarray(at + edit.length), at);
      return copy;
    }
    case 'truncate':
      return bytes.slice(0, edit.length % (length + 1));
    case 'u32be': {
      if (length < 4) return bytes;
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32((edit.at % (length - 3)) & ~3, edit.value >>> 0, false);
      return copy;
    }
    case 'u64le': {
      if (length < 8) return bytes;
      const copy = bytes.slice();
      new DataView(copy.buffer).setBigUint64((edit.at % (length - 7)) & ~7, BigInt.asUintN(64, BigInt(edit.value)), true);
      return copy;
    }
    case 'tensor':
    case 'metadata':
      return editHeader(bytes, edit);
  }
}

/** The bytes of a case: the seed's (or the case's own) with every edit made. */
export function caseBytes(fuzzCase: FuzzCase, seeds: readonly Uint8Array[]): Uint8Array {
  const start = fuzzCase.bytes === undefined ? seeds[fuzzCase.seed % seeds.length] : Uint8Array.from(fuzzCase.bytes);
  return fuzzCase.edits.reduce(applyEdit, start);
}

/** Metadata with a case's `metadata` edits made (the other edits do not apply to a record). */
export function caseMetadata(fuzzCase: FuzzCase, seeds: ReadonlyArray<Readonly<Record<string, string>>>): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...seeds[fuzzCase.seed % seeds.length] };
  for (const edit of fuzzCase.edits) {
    if (edit.op !== 'metadata') continue;
    if (edit.value === null) delete metadata[edit.key];
    else metadata[edit.key] = jsonOf(edit.value);
  }
  return metadata;
}

// ---- arbitraries ------------------------------------------------------------------------------

/** Integers where length checks break: 0, ±1, powers of two near 2³¹, 2³², 2⁵³, 2⁶², 2⁶⁴, and small ones. */
export const extremeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    1,
    -1,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 62,
    2 ** 64,
    1e308,
    0.5,
    -0,
  ),
  fc.integer({ min: -16, max: 300_000 }),
  fc.double({ noNaN: true }),
);

/** 64-bit unsigned values for a length field: extremes, and values near the file's size. */
const extremeU64: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(0n, 1n, 7n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 53n, 2n ** 62n, 2n ** 63n, 2n ** 64n - 1n).map(String),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.nat(1_000_000).map(String),
);

/** JSON values a header field should never hold, and some it may. */
export const jsonRecipe: fc.Arbitrary<JsonRecipe> = fc.oneof(
  fc
    .oneof(
      extremeNumber,
      fc.constantFrom('F32', 'F16', 'BF16', 'I64', 'U8', 'f32', '', null, true),
      fc.string({ maxLength: 12 }),
      fc.array(extremeNumber, { maxLength: 5 }),
      fc.tuple(fc.integer({ min: -8, max: 1024 }), fc.integer({ min: -8, max: 1024 })),
      fc.array(fc.nat(40), { maxLength: 5 }),
      fc.dictionary(fc.constantFrom('dtype', 'shape', 'data_offsets', 'x'), extremeNumber, { maxKeys: 3 }),
    )
    .map((literal) => ({ literal })),
  fc.integer({ min: 1, max: 100_000 }).map((deep) => ({ deep })),
  fc.record({ huge: fc.integer({ min: 1, max: 100_000 }), item: fc.constantFrom(0, 1, 'x', null) }),
);

/** Metadata values: strings that are not numbers, extreme numbers, broken JSON histories. */
const metadataRecipe: fc.Arbitrary<JsonRecipe | null> = fc.oneof(
  fc.constant(null),
  fc
    .oneof(
      fc.constantFrom('', ' ', '-1', '1e309', 'NaN', 'Infinity', '0x10', '1.5', '9007199254740993', '[]', '[{}]', '[null]', '{}', 'null'),
      fc.constantFrom('lenet5', 'lenet6', 'lenet-ts', 'pt', '__proto__', 'constructor'),
      extremeNumber.map(String),
      fc.string({ maxLength: 40 }),
      fc.integer({ min: 1, max: 100_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
      fc.integer({ min: 1, max: 100_000 }).map((count) => `[${Array(count).fill('{}').join(',')}]`),
    )
    .map((literal) => ({ literal })),
  jsonRecipe,
);

const METADATA_KEYS = [
  'model',
  'epoch',
  'seed',
  'batch_size',
  'lr',
  'momentum',
  'dataset',
  'train_examples',
  'test_examples',
  'history',
  'library',
  'data_sha256',
  'backend',
  'format',
];

/** A position, most often in the first bytes (where the headers are). */
const position: fc.Arbitrary<number> = fc.oneof({ arbitrary: fc.nat(64), weight: 3 }, { arbitrary: fc.nat(1 << 20), weight: 1 });

/** Byte-level edits, for any file. */
export const byteEdit: fc.Arbitrary<FileEdit> = fc.oneof(
  fc.record({ op: fc.constant('flip'), at: position, bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set'), at: position, byte: fc.nat(255) }),
  fc.record({ op: fc.constant('insert'), at: position, bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('delete'), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('truncate'), length: fc.oneof(fc.nat(64), fc.nat(1 << 20)) }),
  fc.record({
    op: fc.constant('u32be'),
    at: fc.nat(16),
    value: fc.oneof(
      extremeNumber.map((n) => n >>> 0),
      fc.nat(),
    ),
  }),
);

/** Edits for safetensors files: byte edits, the header length, and header and metadata fields. */
export const safetensorsEdit: fc.Arbitrary<FileEdit> = fc.oneof(
  byteEdit,
  fc.record({ op: fc.constant('u64le'), at: fc.constant(0), value: extremeU64 }),
  fc.record({
    op: fc.constant('tensor'),
    tensor: fc.nat(16),
    field: fc.constantFrom('dtype', 'shape', 'data_offsets', 'entry'),
    value: jsonRecipe,
  }),
  fc.record({
    op: fc.constant('metadata'),
    key: fc.oneof(fc.constantFrom(...METADATA_KEYS), fc.string({ maxLength: 8 })),
    value: metadataRecipe,
  }),
);

/** Only metadata edits, for the checkpoint-metadata record. */
export const metadataEdit: fc.Arbitrary<FileEdit> = fc.record({
  op: fc.constant('metadata'),
  key: fc.oneof(fc.constantFrom(...METADATA_KEYS), fc.string({ maxLength: 8 })),
  value: metadataRecipe,
});

/**
 * Cases for a door with `seedCount` seed files: mostly a seed with 1–4 edits, sometimes arbitrary
 * bytes (up to 512) with edits.
 */
export function fuzzCases(seedCount: number, edit: fc.Arbitrary<FileEdit>): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ seed: fc.nat(seedCount - 1), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        seed: fc.nat(seedCount - 1),
        bytes: fc.uint8Array({ maxLength: 512 }).map((bytes) => Array.from(bytes)),
        edits: fc.array(edit, { maxLength: 2 }),
      }),
    },
  );
}
