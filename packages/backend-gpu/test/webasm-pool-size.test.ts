/**
 * webasm's worker pool size (`createGpuBackend({ wasmPoolSize })`), which the benchmark's `--cores N`
 * sets to N: a threaded kernel runs on a pool of exactly that many workers, and a size that is not
 * a positive integer is refused with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { createGpuBackend, type GpuBackend } from '../src/index.js';

/** The worker-pool sizes of the backend's compiled gpu.js kernels that ran threaded (gpu.js internals). */
function poolSizes(backend: GpuBackend): number[] {
  const cache: unknown = Reflect.get(Reflect.get(backend, 'runner'), 'cache');
  if (!(cache instanceof Map)) throw new Error("the backend's kernel runner has no cache of compiled kernels");
  const sizes: number[] = [];
  for (const compiled of cache.values()) {
    const pool: unknown = Reflect.get(Reflect.get(Reflect.get(Object(compiled), 'shortcut'), 'kernel'), '_pool');
    if (pool !== null && pool !== undefined) sizes.push(Number(Reflect.get(Object(pool), 'size')));
  }
  return sizes;
}

/** Adds two 64×128 tensors (8192 outputs: above the 4096 where webasm kernels go to the pool). */
async function addOnPool(backend: GpuBackend): Promise<Float32Array> {
  const values = Float32Array.from({ length: 64 * 128 }, (_, i) => i);
  const a = { dataId: backend.upload(values, [64, 128]), shape: [64, 128] };
  const sum = backend.binary('add', a, a, [64, 128]);
  return backend.download(sum);
}

describe('the webasm worker pool size', () => {
  it.each([1, 3])('runs threaded kernels on a pool of %i worker(s) when asked', async (size) => {
    const backend = await createGpuBackend({ mode: 'webasm', wasmPoolSize: size });
    try {
      expect(backend.mode).toBe('webasm');
      const sum = await addOnPool(backend);
      expect(sum[8191]).toBe(2 * 8191);
      const sizes = poolSizes(backend);
      expect(sizes.length).toBeGreaterThan(0);
      expect(new Set(sizes)).toEqual(new Set([size]));
    } finally {
      backend.destroy();
    }
  });

  it('refuses a size that is not a positive integer', async () => {
    await expect(createGpuBackend({ mode: 'webasm', wasmPoolSize: 0 })).rejects.toThrow(
      'createGpuBackend: wasmPoolSize must be an integer ≥ 1 (workers), got 0',
    );
    await expect(createGpuBackend({ mode: 'webasm', wasmPoolSize: 1.5 })).rejects.toThrow('got 1.5');
  });
});
