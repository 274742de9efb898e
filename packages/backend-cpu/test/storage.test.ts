import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { download, upload } from './helpers.js';

describe('CpuBackend storage', () => {
  it('is named cpu and declares a float32 tolerance', () => {
    const backend = new CpuBackend();
    expect(backend.name).toBe('cpu');
    expect(backend.tolerance).toBeGreaterThan(0);
    expect(backend.tolerance).toBeLessThanOrEqual(1e-3);
  });

  it('uploads a copy and downloads a copy', async () => {
    const backend = new CpuBackend();
    const source = Float32Array.of(1, 2, 3, 4, 5, 6);
    const dataId = backend.upload(source, [2, 3]);
    source[0] = 100; // changing the source after upload must not reach the buffer
    const first = await backend.download(dataId);
    expect(Array.from(first)).toEqual([1, 2, 3, 4, 5, 6]);
    first[1] = 200; // changing a download must not reach the buffer either
    expect(await download(backend, dataId)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('gives every buffer its own id', () => {
    const backend = new CpuBackend();
    const a = backend.upload(Float32Array.of(1), [1]);
    const b = backend.upload(Float32Array.of(1), [1]);
    expect(a.id).not.toBe(b.id);
    backend.dispose(a);
    const c = backend.upload(Float32Array.of(1), [1]);
    expect(c.id).not.toBe(a.id); // ids are not reused
  });

  it('rejects an upload whose length does not match the shape, naming both', () => {
    const backend = new CpuBackend();
    expect(() => backend.upload(Float32Array.of(1, 2, 3), [2, 2])).toThrow(/upload got 3 values for shape \[2,2\], which holds 4/);
  });

  it('counts live buffers through uploads, kernels and disposals', () => {
    const backend = new CpuBackend();
    expect(backend.liveBuffers()).toBe(0);
    const x = upload(backend, [1, -2, 3], [3]);
    const y = upload(backend, [4, 5, 6], [3]);
    expect(backend.liveBuffers()).toBe(2);
    const sum = backend.binary('add', x, y, [3]);
    const ones = backend.fill([2, 2], 1);
    expect(backend.liveBuffers()).toBe(4);
    backend.dispose(x.dataId);
    backend.dispose(sum);
    expect(backend.liveBuffers()).toBe(2);
    backend.dispose(y.dataId);
    backend.dispose(ones);
    expect(backend.liveBuffers()).toBe(0);
  });

  it('throws when a buffer is disposed twice, naming the buffer', () => {
    const backend = new CpuBackend();
    const dataId = backend.upload(Float32Array.of(1, 2), [2]);
    backend.dispose(dataId);
    expect(() => backend.dispose(dataId)).toThrow(new RegExp(`dispose of buffer #${dataId.id}, which is not live`));
    expect(backend.liveBuffers()).toBe(0);
  });

  it('throws when disposing a buffer it never made', () => {
    const backend = new CpuBackend();
    const other = new CpuBackend();
    const foreign = other.upload(Float32Array.of(1), [1]);
    expect(() => backend.dispose(foreign)).toThrow(/not live here/);
    expect(other.liveBuffers()).toBe(1);
  });

  it('throws when a kernel or download reads a disposed buffer, naming the op', async () => {
    const backend = new CpuBackend();
    const x = upload(backend, [1, 2], [2]);
    backend.dispose(x.dataId);
    expect(() => backend.unary('exp', x)).toThrow(/exp read buffer #\d+, which is not live/);
    await expect(backend.download(x.dataId)).rejects.toThrow(/download read buffer/);
  });
});
