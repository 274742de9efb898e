import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory, systemError, type DirectoryOperations } from '../src/io/make-directory.js';
import { makeTempDir } from './helpers/idx-fixtures.js';

const temp = makeTempDir('lenet-mkdir-');
afterAll(() => temp.remove());

/**
 * A file system that answers as `/proc` does on Linux: `/proc` exists, and making anything inside it
 * fails with ENOENT. Node 20's `mkdirSync(…, { recursive: true })` loops for ever between the two
 * answers; every call is counted so a loop shows.
 */
function procLikeFileSystem(): DirectoryOperations & { calls: number } {
  const fs = {
    calls: 0,
    mkdir: (path: string) => {
      fs.calls++;
      if (fs.calls > 1000) throw new Error('looping');
      if (path === '/' || path === '/proc') throw systemError('EEXIST', 'mkdir', path, 'file already exists');
      throw systemError('ENOENT', 'mkdir', path, 'no such file or directory');
    },
    isDirectory: (path: string) => {
      fs.calls++;
      return path === '/' || path === '/proc';
    },
  };
  return fs;
}

describe('makeDirectory', () => {
  it('gives up with ENOENT on a path where recursive mkdir loops (the /proc case), after a few calls', () => {
    const fs = procLikeFileSystem();
    expect(() => makeDirectory('/proc/nope/deeper', fs)).toThrow(/ENOENT.*\/proc\/nope/);
    expect(fs.calls).toBeLessThan(10);
  });

  it('gives up at once on the real /proc', () => {
    const started = Date.now();
    expect(() => makeDirectory('/proc/nope')).toThrow(/ENOENT/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('creates the missing levels and returns them, outermost first; an existing directory is fine', () => {
    const target = join(temp.dir, 'a', 'b', 'c');
    expect(makeDirectory(target)).toEqual([join(temp.dir, 'a'), join(temp.dir, 'a', 'b'), target]);
    expect(existsSync(target)).toBe(true);
    expect(makeDirectory(target)).toEqual([]);
  });

  it('says which level is a file', () => {
    const file = join(temp.dir, 'plain');
    writeFileSync(file, 'x');
    expect(() => makeDirectory(join(file, 'run'))).toThrow(expect.objectContaining({ code: 'EEXIST', path: file }));
  });
});
