/**
 * Issue 20, fuzzing every door (the parsers of outside bytes; see src/fuzz/doors.ts): the CI sample
 * of `npm run fuzz`, 200 cases per door from a fixed seed; the shrunk counterexamples the fuzz kept
 * (test/fixtures/fuzz-regressions/), replayed; the hostile cases of the last probe through the same
 * property; and the proof that the property catches what it is for: a copy of the safetensors
 * decoder that allocates the header length it reads before checking it fails, shrunk to a file
 * whose header claims more than it holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeSafetensors } from '@lenet/models';
import { afterAll, describe, expect, it } from 'vitest';
import { AllocationBudgetExceeded, withAllocationBudget } from '../src/fuzz/allocation-budget.js';
import { checkCase, fuzzDoor } from '../src/fuzz/door-property.js';
import { allDoors, removeScratch, safetensorsDoor } from '../src/fuzz/doors.js';
import type { FuzzCase } from '../src/fuzz/file-edits.js';
import { REGRESSIONS_DIR, type RegressionFile } from '../src/fuzz/regressions.js';
import { seedFiles } from '../src/fuzz/seed-files.js';

/** The CI sample: cases per door, and its fixed seed. */
const CI_RUNS = 200;
const CI_SEED = 2026;

afterAll(() => removeScratch());

const doorNamed = (name: string) => {
  const door = allDoors().find((candidate) => candidate.name === name);
  if (door === undefined) throw new Error(`no door ${name}`);
  return door;
};

describe('the allocation budget', () => {
  it('refuses an allocation past the budget before reserving it, charges the rest, and puts the globals back', async () => {
    const OriginalUint8Array = Uint8Array;
    await expect(withAllocationBudget(1024, () => new Uint8Array(2 ** 40))).rejects.toThrow(AllocationBudgetExceeded);
    await expect(withAllocationBudget(1024, () => new ArrayBuffer(2048))).rejects.toThrow('new ArrayBuffer of 2048 bytes');
    await expect(withAllocationBudget(1024, () => Buffer.alloc(4096))).rejects.toThrow('Buffer.alloc of 4096 bytes');
    const { value, chargedBytes } = await withAllocationBudget(1024, () => {
      const data = new Float32Array(100);
      return [data.subarray(10), new Uint8Array(data.buffer, 0, 8), Uint8Array.from([1, 2, 3])];
    });
    expect(chargedBytes).toBe(400 + 3);
    expect(value[0]).toBeInstanceOf(Float32Array);
    expect(Uint8Array).toBe(OriginalUint8Array);
  });
});

describe(`every door holds the property for ${CI_RUNS} fuzzed cases (seed ${CI_SEED})`, () => {
  it.each(allDoors().map((door) => [door.name, door] as const))('%s', async (_, door) => {
    const report = await fuzzDoor(door, { runs: CI_RUNS, seed: CI_SEED });
    expect(report.failure).toBeNull();
    expect(report.cases).toBe(CI_RUNS);
    expect(report.valid + report.typedErrors).toBe(CI_RUNS);
    expect(report.typedErrors).toBeGreaterThan(CI_RUNS / 4); // the cases do break the files
  });
});

describe('the counterexamples the fuzz kept', () => {
  const files = readdirSync(REGRESSIONS_DIR).filter((name) => name.endsWith('.json'));

  it('are there (the fuzz found the long and unprintable messages of deep or huge JSON before they were fixed)', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s now holds the property', async (name) => {
    const regression = JSON.parse(readFileSync(join(REGRESSIONS_DIR, name), 'utf8')) as RegressionFile;
    const outcome = await checkCase(doorNamed(regression.door), regression.counterexample);
    expect(outcome.result).toBe('typed-error');
  });
});

describe("the last probe's hostile cases, through the same property", () => {
  const cases: ReadonlyArray<readonly [string, string, FuzzCase, RegExp]> = [
    [
      'a header that claims 2⁶² bytes',
      'safetensors',
      { seed: 0, edits: [{ op: 'u64le', at: 0, value: String(2n ** 62n) }] },
      /header length 4611686018427387904 goes beyond the end of the file/,
    ],
    [
      'offsets past the end of the file',
      'safetensors',
      { seed: 2, edits: [{ op: 'tensor', tensor: 0, field: 'data_offsets', value: { literal: [0, 2 ** 40] } }] },
      /data_offsets \[0, 1099511627776\], out of range/,
    ],
    [
      'a shape nested 100,000 deep (JSON.stringify used to overflow the stack building the message)',
      'playground-weights',
      { seed: 2, edits: [{ op: 'tensor', tensor: 1, field: 'shape', value: { deep: 100_000 } }] },
      /has shape a value nested too deeply to print/,
    ],
    ['a truncated checkpoint', 'checkpoint', { seed: 0, edits: [{ op: 'truncate', length: 4000 }] }, /unreadable checkpoint/],
    ['corrupt gzip data', 'idx-gzip', { seed: 0, edits: [{ op: 'set', at: 40, byte: 0xff }] }, /corrupt gzip data|truncated|label/],
  ];

  it.each(cases)('%s', async (_, name, fuzzCase, message) => {
    const door = doorNamed(name);
    const outcome = await checkCase(door, fuzzCase);
    expect(outcome.result).toBe('typed-error');
    const opened = door.open(fuzzCase);
    await expect(Promise.resolve().then(opened.parse)).rejects.toThrow(message);
  });

  it('the gzip of a label file cut short is refused the same way by the Node loader and the Playground', async () => {
    const labels = seedFiles().idx[0];
    const cut = gzipSync(labels.bytes.subarray(0, 100));
    const node = doorNamed('idx-gzip').open({ seed: 0, bytes: Array.from(cut), edits: [] });
    expect(node.parse).toThrow(
      `${labels.name}: truncated: the header says 10000, so expected 10000 data bytes after the 8-byte header, got 92`,
    );
    const page = doorNamed('playground-idx-prefix').open({ seed: 0, bytes: Array.from(cut), edits: [] });
    await expect(Promise.resolve().then(page.parse)).rejects.toThrow(
      `./data/${labels.name}: truncated: the header says 10000, but the file ends after 92 items`,
    );
  });
});

describe('a weakened parser is caught', () => {
  /**
   * decodeSafetensors with its header length check removed: it copies the header into a buffer of
   * the length the file claims, before checking that the file holds that much.
   */
  function decodeTrustingTheHeaderLength(bytes: Uint8Array, file: string): unknown {
    if (bytes.length >= 8) {
      const claimed = Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true));
      const header = new Uint8Array(claimed);
      header.set(bytes.subarray(8, 8 + Math.min(claimed, bytes.length - 8)));
    }
    return decodeSafetensors(bytes, file);
  }

  it('the safetensors property, run on a decoder that allocates the claimed header length unchecked, fails and shrinks to a header claiming more than the file', async () => {
    const report = await fuzzDoor(safetensorsDoor(decodeTrustingTheHeaderLength), { runs: CI_RUNS, seed: CI_SEED });
    expect(report.failure?.kind).toBe('over-budget');
    expect(report.failure?.message).toMatch(/new Uint8Array of \d+ bytes would take the allocations past the budget/);
    const counterexample = report.failure?.counterexample;
    expect(counterexample).toBeDefined();
    if (counterexample === undefined) return;
    const door = safetensorsDoor(decodeTrustingTheHeaderLength);
    await expect(checkCase(door, counterexample)).rejects.toThrow('over-budget');
    // The same case is harmless to the real decoder: a typed error, nothing allocated past the budget.
    expect((await checkCase(safetensorsDoor(), counterexample)).result).toBe('typed-error');
  });
});
