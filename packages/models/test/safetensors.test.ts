import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type TensorData } from '../src/io/safetensors.js';
import { readSafetensors, writeSafetensors } from '../src/io/safetensors-file.js';
import { makeTempDir } from './helpers/idx-fixtures.js';

const temp = makeTempDir('lenet-safetensors-');
afterAll(() => temp.remove());

/** A file by hand: 8-byte LE length, the header text as given (padded with spaces to 8), the data. */
function craft(header: string | object, data: Uint8Array = new Uint8Array(0), declaredLength?: number): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const json = Buffer.from(text, 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + padded + data.length).fill(0x20);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(declaredLength ?? padded), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + padded);
  return bytes;
}

function littleEndianF32(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}

function decodeError(bytes: Uint8Array): string {
  try {
    decodeSafetensors(bytes, 'ckpt.safetensors');
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    if (error instanceof Error) {
      expect(error.message.startsWith('ckpt.safetensors: ')).toBe(true);
      return error.message;
    }
  }
  throw new Error('expected a SafetensorsError');
}

describe('encodeSafetensors', () => {
  it('writes the layout of the spec: LE length, space-padded JSON, LE float32 data', () => {
    const bytes = encodeSafetensors(
      new Map<string, TensorData>([
        ['0.weight', { shape: [2, 1], data: Float32Array.of(1.5, -2) }],
        ['0.bias', { shape: [1], data: Float32Array.of(0.25) }],
      ]),
      { epoch: '3' },
    );
    const json =
      '{"__metadata__":{"epoch":"3"},"0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},' +
      '"0.bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
    const padded = Math.ceil(json.length / 8) * 8;
    const view = new DataView(bytes.buffer);
    expect(Number(view.getBigUint64(0, true))).toBe(padded);
    expect((8 + padded) % 8).toBe(0);
    expect(Buffer.from(bytes.subarray(8, 8 + padded)).toString('utf8')).toBe(json.padEnd(padded, ' '));
    expect(Array.from(bytes.subarray(8 + padded))).toEqual(Array.from(littleEndianF32([1.5, -2, 0.25])));
    expect(bytes.length).toBe(8 + padded + 12);
  });

  it('omits __metadata__ when there is none, and writes a scalar with shape []', () => {
    const bytes = encodeSafetensors(new Map([['s', { shape: [], data: Float32Array.of(7) }]]));
    const text = Buffer.from(bytes.subarray(8, bytes.length - 4))
      .toString('utf8')
      .trimEnd();
    expect(text).toBe('{"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}');
  });

  it('refuses data that does not fill the shape, and the reserved name', () => {
    expect(() => encodeSafetensors(new Map([['w', { shape: [2, 3], data: new Float32Array(5) }]]))).toThrow(
      "tensor 'w' has shape [2, 3] (6 elements) but 5 values",
    );
    expect(() => encodeSafetensors(new Map([['__metadata__', { shape: [1], data: new Float32Array(1) }]]))).toThrow(/reserved/);
    expect(() => encodeSafetensors(new Map([['w', { shape: [-1], data: new Float32Array(1) }]]))).toThrow(/non-negative integers/);
  });
});

describe('decodeSafetensors', () => {
  it('reads a file crafted by hand, with tensors in data order whatever the header order', () => {
    const header = {
      b: { dtype: 'F32', shape: [1, 2], data_offsets: [12, 20] },
      a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
      __metadata__: { format: 'pt' },
    };
    const { tensors, metadata } = decodeSafetensors(craft(header, littleEndianF32([1, 2, 3, -0.5, 8])), 'h.safetensors');
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    expect(tensors.get('a')).toEqual({ shape: [3], data: Float32Array.of(1, 2, 3) });
    expect(tensors.get('b')).toEqual({ shape: [1, 2], data: Float32Array.of(-0.5, 8) });
    expect(metadata).toEqual({ format: 'pt' });
  });

  it('reads a header that is not padded (data section not 8-aligned)', () => {
    const json = Buffer.from('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 'utf8'); // 55 bytes
    const bytes = new Uint8Array(8 + json.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    bytes.set(littleEndianF32([3.25]), 8 + json.length);
    expect(decodeSafetensors(bytes, 'u').tensors.get('x')?.data).toEqual(Float32Array.of(3.25));
  });

  it('round-trips any tensors and metadata exactly (fast-check)', () => {
    const tensorArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }).chain((shape) =>
      fc
        .float32Array({
          minLength: shape.reduce((p, s) => p * s, 1),
          maxLength: shape.reduce((p, s) => p * s, 1),
          noDefaultInfinity: false,
        })
        .map((data) => ({ shape, data })),
    );
    const nameArb = fc
      .oneof(fc.constant('__proto__'), fc.string({ minLength: 1, maxLength: 12 }))
      .filter((name) => name !== '__metadata__');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(nameArb, tensorArb), { selector: ([name]) => name, maxLength: 5 }),
        fc.uniqueArray(fc.tuple(fc.oneof(fc.constant('__proto__'), fc.string({ maxLength: 8 })), fc.string({ maxLength: 20 })), {
          selector: ([key]) => key,
          maxLength: 4,
        }),
        (entries, metadataEntries) => {
          const metadata = Object.fromEntries(metadataEntries);
          const tensors = new Map<string, TensorData>(entries);
          const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata), 'prop');
          expect([...decoded.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
          // Tensors come back in data order; empty ones share an offset, so only non-empty ones have one.
          const nonEmpty = (names: Iterable<string>, source: Map<string, TensorData>): string[] =>
            [...names].filter((name) => (source.get(name)?.data.length ?? 0) > 0);
          expect(nonEmpty(decoded.tensors.keys(), decoded.tensors)).toEqual(nonEmpty(tensors.keys(), tensors));
          for (const [name, tensor] of tensors) {
            const back = decoded.tensors.get(name);
            expect(back?.shape).toEqual(tensor.shape);
            // Compare bit patterns so that NaN and -0 count as equal to themselves.
            expect(new Uint32Array(back?.data.slice().buffer ?? new ArrayBuffer(0))).toEqual(new Uint32Array(tensor.data.slice().buffer));
          }
          expect(decoded.metadata).toEqual(metadata);
        },
      ),
      { numRuns: 150 },
    );
  });

  const good = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const goodData = littleEndianF32([1, 2]);

  it('rejects a file shorter than the length field', () => {
    expect(decodeError(Uint8Array.of(1, 2, 3))).toContain('too short: 3 bytes');
  });

  it('rejects a header length beyond the end of the file', () => {
    const bytes = craft(good, goodData, 4096);
    expect(decodeError(bytes)).toMatch(/header length 4096 goes beyond the end of the file \(\d+ bytes follow/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(decodeError(huge)).toContain(`header length ${2n ** 63n} goes beyond`);
  });

  it('rejects a header that is not JSON, or not an object', () => {
    expect(decodeError(craft('{"w": {"dtype": "F32", '))).toContain('header is not valid UTF-8 JSON');
    expect(decodeError(craft('[1, 2]'))).toContain('header must be a JSON object');
    const invalidUtf8 = craft('{"w":1}    ');
    invalidUtf8[10] = 0xff;
    expect(decodeError(invalidUtf8)).toContain('not valid UTF-8 JSON');
  });

  it('rejects a dtype other than F32', () => {
    expect(decodeError(craft({ w: { ...good.w, dtype: 'F16' } }, goodData))).toContain(`tensor 'w' has dtype "F16"; only F32 is supported`);
  });

  it('rejects bad shapes and offsets', () => {
    expect(decodeError(craft({ w: { ...good.w, shape: [2.5] } }, goodData))).toContain(`tensor 'w' has shape [2.5]`);
    expect(decodeError(craft({ w: { ...good.w, data_offsets: [0] } }, goodData))).toContain('expected [begin, end]');
    expect(decodeError(craft({ w: 5 }, goodData))).toContain(`tensor 'w': header entry must be an object`);
  });

  it('rejects offsets out of range', () => {
    const message = decodeError(craft({ w: { ...good.w, data_offsets: [4, 12] } }, goodData));
    expect(message).toContain(`tensor 'w' has data_offsets [4, 12], out of range: the data section is 8 bytes`);
    expect(decodeError(craft({ w: { ...good.w, data_offsets: [8, 0] } }, goodData))).toContain('out of range');
  });

  it('rejects a shape whose product does not match the byte length', () => {
    const message = decodeError(craft({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, goodData));
    expect(message).toContain(`tensor 'w' has shape [3], which needs 12 bytes of F32, but data_offsets [0, 8] span 8`);
  });

  it('rejects overlapping tensors, gaps and trailing bytes', () => {
    const data = littleEndianF32([1, 2, 3]);
    const overlap = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    };
    expect(decodeError(craft(overlap, data))).toContain(`tensors 'a' [0, 8] and 'b' [4, 12] overlap`);
    const gap = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
    expect(decodeError(craft(gap, data))).toContain(`bytes [4, 8) of the data section belong to no tensor (before 'b')`);
    expect(decodeError(craft(good, data))).toContain('the data section is 12 bytes but the tensors end at byte 8');
  });

  it('rejects metadata that is not strings', () => {
    expect(decodeError(craft({ __metadata__: { epoch: 3 } }))).toContain(`metadata 'epoch' is 3; metadata values must be strings`);
    expect(decodeError(craft({ __metadata__: 'x' }))).toContain(`'__metadata__' must be an object of strings`);
  });
});

describe('writeSafetensors / readSafetensors', () => {
  it('writes atomically (no temporary file left), replaces an older file and reads it back', () => {
    const dir = join(temp.dir, 'run');
    const path = join(dir, 'model.safetensors');
    writeSafetensors(path, new Map([['0.weight', { shape: [1, 2], data: Float32Array.of(1, 2) }]]), { epoch: '1' });
    writeSafetensors(path, new Map([['0.weight', { shape: [2, 1], data: Float32Array.of(3, 4) }]]), { epoch: '2' });
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
    const { tensors, metadata } = readSafetensors(path);
    expect(tensors.get('0.weight')).toEqual({ shape: [2, 1], data: Float32Array.of(3, 4) });
    expect(metadata).toEqual({ epoch: '2' });
  });

  it('names a missing or truncated file', () => {
    const missing = join(temp.dir, 'missing.safetensors');
    expect(() => readSafetensors(missing)).toThrow(`${missing}: file not found`);
    const truncated = join(temp.dir, 'truncated.safetensors');
    const bytes = encodeSafetensors(new Map([['w', { shape: [4], data: Float32Array.of(1, 2, 3, 4) }]]));
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 3));
    expect(() => readSafetensors(truncated)).toThrow(
      `${truncated}: tensor 'w' has data_offsets [0, 16], out of range: the data section is 13 bytes`,
    );
  });
});
