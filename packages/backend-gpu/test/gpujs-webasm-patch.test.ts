/**
 * The patch of gpu.js 2.24.1's WebAssembly emitter (`patches/gpu.js+2.24.1.patch`, applied by
 * patch-package on `npm ci`): each change is shown by a kernel whose result depends on it, so a
 * clone where the patch did not apply fails here rather than running slower unnoticed.
 */
import { GPU, type IKernelFunctionThis, type IKernelRunShortcut, WebAssemblyKernel } from 'gpu.js';
import { describe, expect, it } from 'vitest';

const gpu = new GPU({ mode: 'webasm' });

function compile(source: string, output: number[], constants: Record<string, number>, strictIntegers = false): IKernelRunShortcut {
  const kernel = gpu.createKernel(source, { output, constants, precision: 'single', strictIntegers });
  kernel.setLoopMaxIterations(2 ** 25);
  return kernel;
}

function flat(result: unknown): number[] {
  if (result instanceof Float32Array) return [...result];
  throw new Error(`expected a Float32Array, got ${String(result)}`);
}

/** out[i] = a[shift + i]: four neighbouring threads read four neighbouring elements. */
function shiftedRead(this: IKernelFunctionThis<{ shift: number }>, a: Float32Array): number {
  return a[this.constants.shift + this.thread.x];
}

describe('the gpu.js WebAssembly patch', () => {
  it('reads a[u + this.thread.x] as one vector load per SIMD quad, and past an end as gpu.js does', () => {
    const a = Float32Array.from({ length: 16 }, (_, i) => 10 + i);
    const kernel = compile(shiftedRead.toString(), [16], { shift: 2 });
    const out = flat(kernel(a));
    expect(kernel.kernel.constructor.name).toBe('WebAssemblyKernel');
    expect(Reflect.get(kernel.kernel, '_lastRunPath')).toBe('simd');
    // the patch lists the arrays it reads with vector loads on the kernel's function node
    const functionMap: unknown = Reflect.get(Reflect.get(kernel.kernel, 'functionBuilder'), 'functionMap');
    const node: unknown = Reflect.get(Object(functionMap), 'kernel');
    expect(Reflect.get(Object(node), 'vContiguousArrays')).toEqual(new Set(['a']));
    // in bounds: the elements; the last quad reads 14..17, past the end, which stays gpu.js's
    // per-lane clamp to the last element
    expect(out).toEqual([...a.slice(2, 16), a[15], a[15]]);
  });

  it('keeps a ++-counted loop index an integer: it counts past 2^24, where a float32 counter stops', () => {
    const source = `function (a) {
      let hits = 0;
      for (let i = 16777214; i < 16777220; i++) {
        if (i > 16777216) { hits += 1; }
      }
      return hits + a[this.thread.x];
    }`;
    const out = flat(compile(source, [4], {})(new Float32Array(4)));
    // i = 16777217, 16777218, 16777219; a float32 i would stick at 16777216 (its + 1 rounds back)
    expect(out).toEqual([3, 3, 3, 3]);
  });

  it('with strictIntegers, keeps an integer declaration an integer instead of a float32', () => {
    const source = `function (a) {
      const above = this.constants.big + 1;
      return above - this.constants.big + a[this.thread.x];
    }`;
    // 2^24 + 1 is not a float32: as one it rounds to 2^24 and the difference is 0
    expect(flat(compile(source, [4], { big: 16777216 }, true)(new Float32Array(4)))).toEqual([1, 1, 1, 1]);
    expect(flat(compile(source, [4], { big: 16777216 }, false)(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });

  it('computes Math.exp in wasm within 1 ulp of float32(e^x), the same in SIMD lanes and the scalar path', () => {
    // 4·3·1000 values from −110 to 100, and the special ones
    const xs = Float32Array.from({ length: 12_000 }, (_, i) => -110 + (210 * i) / 12_000);
    xs.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, 88.72283, 89, -103.9, -104]);
    const exp = `function (a) { return Math.exp(a[this.thread.y * this.output.x + this.thread.x]); }`;
    const lanes = compile(exp, [4, 3000], {});
    const scalar = compile(exp, [3, 4000], {});
    const simdOut = lanes(xs);
    const scalarOut = scalar(xs);
    expect(Reflect.get(lanes.kernel, '_lastRunPath')).toBe('simd');
    expect(Reflect.get(scalar.kernel, '_lastRunPath')).toBe('scalar');
    const simdValues = rows(simdOut);
    expect(rows(scalarOut)).toEqual(simdValues);
    // no import: gpu.js's JS Math.exp is not called
    const node: unknown = Reflect.get(Object(Reflect.get(Reflect.get(lanes.kernel, 'functionBuilder'), 'functionMap')), 'kernel');
    expect(Reflect.get(Object(node), 'usedMathImports')).toEqual(new Set());
    expect(simdValues.slice(0, 4)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, 0, 1]);
    expect(ulpDistance(simdValues[4], Math.fround(Math.exp(xs[4])))).toBeLessThanOrEqual(1);
    expect([simdValues[5], simdValues[7]]).toEqual([Number.POSITIVE_INFINITY, 0]);
    let worst = 0;
    for (let i = 8; i < xs.length; i++) {
      const expected = Math.fround(Math.exp(xs[i]));
      if (expected > 1.2e-38 && expected < 3.4e38) worst = Math.max(worst, ulpDistance(simdValues[i], expected));
    }
    expect(worst).toBeLessThanOrEqual(1);
    // e^−103.9 is a subnormal float32: kept, not flushed to 0
    expect(simdValues[6]).toBeGreaterThan(0);
  });

  it('gives every threaded kernel the one shared worker pool, which outlives a destroyed kernel', async () => {
    const threaded = gpu.createKernel(shiftedRead.toString(), {
      output: [8192],
      constants: { shift: 0 },
      precision: 'single',
      asyncMode: true,
    });
    const other = gpu.createKernel(`function (a) { return a[this.thread.x] * 2; }`, {
      output: [8192],
      precision: 'single',
      asyncMode: true,
    });
    const a = Float32Array.from({ length: 8192 }, (_, i) => i);
    const [first, second] = await Promise.all([threaded(a), other(a)]);
    expect(Reflect.get(threaded.kernel, '_lastRunPath')).toBe('threaded');
    expect(Reflect.get(other.kernel, '_lastRunPath')).toBe('threaded');
    const pool: unknown = Reflect.get(threaded.kernel, '_pool');
    expect(pool).toBeDefined();
    expect(Reflect.get(other.kernel, '_pool')).toBe(pool);
    expect(flat(first)).toEqual([...a]);
    expect(flat(second)).toEqual([...a].map((v) => v * 2));
    threaded.destroy();
    expect(Reflect.get(Object(pool), 'destroyed')).toBe(false);
    expect(flat(await other(a))).toEqual([...a].map((v) => v * 2));
    other.destroy();
    expect(Reflect.get(Object(pool), 'destroyed')).toBe(true);
  });

  it('keeps at most 64 MiB of given-back arrays, dropping the lengths asked for longest ago first', () => {
    // outputs of 32 MiB (length A, asked for first) and 16 MiB (length B)
    const lengthA = 8 * 1024 * 1024;
    const lengthB = lengthA / 2;
    const count = compile('function () { return this.thread.x; }', [lengthA], {});
    const countB = compile('function () { return this.thread.x; }', [lengthB], {});
    const [a1, a2] = [output(count()), output(count())];
    const b = output(countB());
    for (const array of [a1, a2, b]) WebAssemblyKernel.recycleOutput(array);
    // 80 MiB given back: one A array is dropped, the other A and the B stay
    const buffers = [a1.buffer, a2.buffer];
    const againA = output(count());
    expect(buffers).toContain(againA.buffer);
    expect(buffers).not.toContain(output(count()).buffer);
    const againB = output(countB());
    expect(againB.buffer).toBe(b.buffer);
    expect([againB[0], againB[lengthB - 1]]).toEqual([0, lengthB - 1]);
    count.destroy();
    countB.destroy();
  });

  it("with flatOutput, returns a grid kernel's output as one flat array, an Array(4) return's values side by side", () => {
    const source = `function (a) {
      const at = (this.thread.z * this.output.y + this.thread.y) * this.output.x + this.thread.x;
      return [a[at], a[at] + 0.25, a[at] + 0.5, this.thread.z];
    }`;
    const a = Float32Array.from({ length: 8 * 3 * 2 }, (_, i) => i);
    const kernel = gpu.createKernel(source, { output: [8, 3, 2], precision: 'single', flatOutput: true });
    const out = output(kernel(a));
    expect(Reflect.get(kernel.kernel, '_lastRunPath')).toBe('simd');
    expect(out.length).toBe(8 * 3 * 2 * 4);
    expect([...out]).toEqual([...a].flatMap((v, i) => [v, v + 0.25, v + 0.5, Math.floor(i / 24)]));
  });

  it("writes a run's output into an array given back with recycleOutput, for any kernel of that output length", async () => {
    const a = Float32Array.from({ length: 8192 }, (_, i) => i);
    const doubled = compile(`function (a) { return a[this.thread.x] * 2; }`, [8192], {});
    const shifted = compile(shiftedRead.toString(), [8192], { shift: 1 });
    const first = flat(doubled(a));
    const given = output(doubled(a));
    WebAssemblyKernel.recycleOutput(given);
    // the next output of that length is written into the given-back array, with the new values
    const second = output(shifted(a));
    expect(second.buffer).toBe(given.buffer);
    expect([...second]).toEqual([...a.slice(1), a[8191]]);
    expect(first).toEqual([...a].map((v) => v * 2));
    // only once: the run after it gets a fresh array
    expect(output(shifted(a)).buffer).not.toBe(second.buffer);
    // the threaded path too (its output is copied out of shared memory into the recycled array)
    const threaded = gpu.createKernel(shiftedRead.toString(), {
      output: [8192],
      constants: { shift: 0 },
      precision: 'single',
      asyncMode: true,
    });
    WebAssemblyKernel.recycleOutput(second);
    const third = output(await threaded(a));
    expect(Reflect.get(threaded.kernel, '_lastRunPath')).toBe('threaded');
    expect(third.buffer).toBe(second.buffer);
    expect([...third]).toEqual([...a]);
    threaded.destroy();
  });
});

/** A 1-D output: a Float32Array over the whole of its buffer. */
function output(result: unknown): Float32Array {
  if (result instanceof Float32Array && result.byteOffset === 0 && result.byteLength === result.buffer.byteLength) return result;
  throw new Error(`expected a whole Float32Array, got ${String(result)}`);
}

/** The values of a 2-D output (rows of Float32Arrays) in order. */
function rows(result: unknown): number[] {
  if (!Array.isArray(result)) throw new Error(`expected rows, got ${String(result)}`);
  return result.flatMap((row: unknown) => flat(row));
}

/** How many float32 values lie between a and b. */
function ulpDistance(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0] - bits[1]);
}
