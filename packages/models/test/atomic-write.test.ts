import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporarySiblingPath, writeFileAtomic } from '../src/io/atomic-write.js';
import { makeTempDir } from './helpers/idx-fixtures.js';

const temp = makeTempDir('lenet-atomic-');
afterAll(() => temp.remove());

describe('writeFileAtomic', () => {
  it('puts the temporary file beside the destination under a name that cannot be mistaken for it', () => {
    const path = temporarySiblingPath(join('runs', 'a', 'model.safetensors'));
    expect(dirname(path)).toBe(join('runs', 'a'));
    expect(basename(path)).toMatch(/^\.model\.safetensors\.\d+-[0-9a-f]{8}\.tmp$/);
    expect(temporarySiblingPath('x')).not.toBe(temporarySiblingPath('x'));
  });

  it('creates parent directories, writes strings and bytes, replaces the old file and leaves nothing else', () => {
    const path = join(temp.dir, 'deep', 'er', 'metrics.json');
    writeFileAtomic(path, '{"epoch":1}');
    writeFileAtomic(path, Uint8Array.of(0x7b, 0x7d));
    expect(readFileSync(path, 'utf8')).toBe('{}');
    expect(readdirSync(dirname(path))).toEqual(['metrics.json']);
  });

  it('on failure removes its temporary file and leaves what was there', () => {
    const dir = join(temp.dir, 'blocked');
    mkdirSync(join(dir, 'model.safetensors'), { recursive: true }); // a directory where the file should go
    expect(() => writeFileAtomic(join(dir, 'model.safetensors'), 'data')).toThrow();
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });
});
