/**
 * The checks of gpu.js's WebAssembly patch (`patches/gpu.js+2.24.1.patch`). Each one is a kernel
 * whose observable result depends on one change of the patch: its output values, the wasm
 * instructions it was compiled to, the JS functions it called, the worker pool it ran on. None
 * reads a field that only the patch adds, so the same check can run against gpu.js without the
 * patch, where it must find a problem (see `gpujs-patch-runner.ts`).
 *
 * `observe` runs in a child process from its source, as gpu.js runs a kernel function: it may use
 * only its argument and JavaScript's globals. `problems` runs in the test and lists what is wrong
 * with the observation; an empty list means the patched behaviour is there.
 * @module
 */
import type { GPU } from 'gpu.js';

/** What `observe` gets: the gpu.js under test, loaded from its folder. */
export interface GpuJsUnderTest {
  readonly GPU: typeof GPU;
  /** gpu.js's wasm function emitter, whose instruction methods a check may wrap to see the code. */
  readonly WasmFunctionEmitter: { readonly prototype: { v128Load(offset?: number, align?: number): unknown } };
  /** gpu.js's WebAssembly kernel class (the patch gives it `recycleOutput`; a check looks it up, it may be missing). */
  readonly WebAssemblyKernel: object;
}

/** One check, its observation carried from the child process as a structured clone. */
export interface PatchCheck {
  readonly title: string;
  /** The source of `observe`, run in the child. */
  readonly source: string;
  readonly problems: (observed: unknown) => string[];
}

function patchCheck<Observed>(
  title: string,
  observe: (gpujs: GpuJsUnderTest) => Observed | Promise<Observed>,
  problems: (observed: Observed) => string[],
): PatchCheck {
  // the child returns what `observe` returned, through v8's structured clone
  return { title, source: observe.toString(), problems: (observed) => problems(observed as Observed) };
}

/** Problems when a kernel did not run as a WebAssembly kernel on the expected path. */
function ranAs(kernelClass: string, runPath: string, expectedPath: string): string[] {
  const problems: string[] = [];
  if (kernelClass !== 'WebAssemblyKernel') problems.push(`ran as ${kernelClass}, not WebAssemblyKernel`);
  if (runPath !== expectedPath) problems.push(`ran on the ${runPath} path, not ${expectedPath}`);
  return problems;
}

function differs(what: string, actual: readonly number[], expected: readonly number[]): string[] {
  const same = actual.length === expected.length && actual.every((value, i) => Object.is(value, expected[i]));
  return same ? [] : [`${what}: got [${actual.join(', ')}], expected [${expected.join(', ')}]`];
}

const contiguousRead = patchCheck(
  'reads a[u + this.thread.x] as one v128.load per SIMD quad, and past an end as gpu.js does',
  ({ GPU, WasmFunctionEmitter }) => {
    // every v128.load the emitter writes, by its memory offset
    const vectorLoadOffsets: number[] = [];
    const v128Load = WasmFunctionEmitter.prototype.v128Load;
    WasmFunctionEmitter.prototype.v128Load = function (this: unknown, offset = 0, align = 4) {
      vectorLoadOffsets.push(offset);
      return v128Load.call(this, offset, align);
    };
    const kernel = new GPU({ mode: 'webasm' }).createKernel('function (a) { return a[this.constants.shift + this.thread.x]; }', {
      output: [16],
      constants: { shift: 2 },
      precision: 'single',
    });
    const a = Float32Array.from({ length: 16 }, (_, i) => 10 + i);
    const values = Array.from(kernel(a) as Float32Array);
    const active: unknown = Reflect.get(kernel.kernel, '_active');
    const arrays: unknown = Reflect.get(Reflect.get(Object(active), 'layout'), 'arrays');
    return {
      kernelClass: kernel.kernel.constructor.name,
      runPath: String(Reflect.get(kernel.kernel, '_lastRunPath')),
      values,
      vectorLoadOffsets,
      offsetOfA: Number(Reflect.get(Reflect.get(Object(arrays), 'a'), 'offset')),
    };
  },
  (seen) => [
    ...ranAs(seen.kernelClass, seen.runPath, 'simd'),
    // in bounds: a[2..15]; the last quad reads 14..17, past the end: gpu.js's per-lane clamp to a[15]
    ...differs('values', seen.values, [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 25, 25]),
    ...(seen.vectorLoadOffsets.includes(seen.offsetOfA)
      ? []
      : [`no v128.load reads a (at offset ${seen.offsetOfA}): each quad gathers four scalar loads`]),
  ],
);

const loopIndex = patchCheck(
  'keeps a ++-counted loop index an integer: it counts past 2^24, where a float32 counter stops',
  ({ GPU }) => {
    // a float32 i sticks at 2^24 (its + 1 rounds back): the step bound ends that loop, which
    // would otherwise run until gpu.js's loop limit
    const kernel = new GPU({ mode: 'webasm' }).createKernel(
      `function (a) {
        let hits = 0;
        let steps = 0;
        for (let i = 16777214; i < 16777220; i++) {
          steps += 1;
          if (steps > 8) { break; }
          if (i > 16777216) { hits += 1; }
        }
        return hits + 10 * steps + a[this.thread.x];
      }`,
      { output: [4], precision: 'single' },
    );
    const values = Array.from(kernel(new Float32Array(4)) as Float32Array);
    return { kernelClass: kernel.kernel.constructor.name, runPath: String(Reflect.get(kernel.kernel, '_lastRunPath')), values };
  },
  (seen) => [
    ...ranAs(seen.kernelClass, seen.runPath, 'simd'),
    // an integer i: 6 steps, 3 of them past 2^24 (a float32 i: 9 steps, the break, and no hits: 90)
    ...differs('hits + 10·steps', seen.values, [63, 63, 63, 63]),
  ],
);

const strictIntegers = patchCheck(
  'with strictIntegers, keeps an integer declaration an integer instead of a float32',
  ({ GPU }) => {
    const gpu = new GPU({ mode: 'webasm' });
    const source = `function (a) {
      const above = this.constants.big + 1;
      return above - this.constants.big + a[this.thread.x];
    }`;
    const run = (strict: boolean): number[] => {
      const kernel = gpu.createKernel(source, { output: [4], constants: { big: 16777216 }, precision: 'single', strictIntegers: strict });
      return Array.from(kernel(new Float32Array(4)) as Float32Array);
    };
    return { strict: run(true), loose: run(false) };
  },
  (seen) => [
    // 2^24 + 1 is not a float32: as one it rounds to 2^24 and the difference is 0
    ...differs('strictIntegers', seen.strict, [1, 1, 1, 1]),
    ...differs('without strictIntegers (gpu.js decays to float32)', seen.loose, [0, 0, 0, 0]),
  ],
);

/** The exp check's inputs start with eight special values (NaN, ±Infinity, 0, the range's ends). */
const EXP_SPECIAL_INPUTS = 8;

const nativeExp = patchCheck(
  'computes Math.exp in wasm within 1 ulp of float32(e^x), the same in SIMD lanes and the scalar path',
  ({ GPU }) => {
    // count the calls of JS's Math.exp (gpu.js imports it into wasm without the patch)
    let jsExpCalls = 0;
    const exp = Math.exp;
    Math.exp = (x: number) => {
      jsExpCalls++;
      return exp(x);
    };
    // 4·3·1000 values from −110 to 100, and the special ones
    const xs = Float32Array.from({ length: 12_000 }, (_, i) => -110 + (210 * i) / 12_000);
    xs.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, 88.72283, 89, -103.9, -104]);
    const gpu = new GPU({ mode: 'webasm' });
    const source = 'function (a) { return Math.exp(a[this.thread.y * this.output.x + this.thread.x]); }';
    const lanes = gpu.createKernel(source, { output: [4, 3000], precision: 'single' });
    const scalar = gpu.createKernel(source, { output: [3, 4000], precision: 'single' });
    const rows = (out: unknown): number[] => (out as Float32Array[]).flatMap((row) => Array.from(row));
    const simdValues = rows(lanes(xs));
    const scalarValues = rows(scalar(xs));
    Math.exp = exp;
    return {
      lanesClass: lanes.kernel.constructor.name,
      lanesPath: String(Reflect.get(lanes.kernel, '_lastRunPath')),
      scalarClass: scalar.kernel.constructor.name,
      scalarPath: String(Reflect.get(scalar.kernel, '_lastRunPath')),
      inputs: Array.from(xs),
      simdValues,
      scalarValues,
      jsExpCalls,
    };
  },
  (seen) => {
    const problems = [...ranAs(seen.lanesClass, seen.lanesPath, 'simd'), ...ranAs(seen.scalarClass, seen.scalarPath, 'scalar')];
    if (seen.jsExpCalls > 0) problems.push(`JS's Math.exp was called ${seen.jsExpCalls} times: exp is an import, not wasm`);
    problems.push(...differs('the scalar path against the SIMD lanes', seen.scalarValues, seen.simdValues));
    const v = seen.simdValues;
    problems.push(...differs('e^[NaN, Infinity, -Infinity, 0]', v.slice(0, 4), [Number.NaN, Number.POSITIVE_INFINITY, 0, 1]));
    problems.push(...differs('e^89, e^-104', [v[5], v[7]], [Number.POSITIVE_INFINITY, 0]));
    // e^−103.9 is a subnormal float32: kept, not flushed to 0
    if (!(v[6] > 0)) problems.push(`e^-103.9 = ${v[6]}, expected a subnormal above 0`);
    let worst = ulpDistance(v[4], Math.fround(Math.exp(seen.inputs[4])));
    for (let i = EXP_SPECIAL_INPUTS; i < seen.inputs.length; i++) {
      const expected = Math.fround(Math.exp(seen.inputs[i]));
      if (expected > 1.2e-38 && expected < 3.4e38) worst = Math.max(worst, ulpDistance(v[i], expected));
    }
    if (worst > 1) problems.push(`e^x is ${worst} ulp from float32(e^x), expected at most 1`);
    return problems;
  },
);

const sharedPool = patchCheck(
  'gives every threaded kernel the one shared worker pool, which outlives a destroyed kernel',
  async ({ GPU }) => {
    const gpu = new GPU({ mode: 'webasm' });
    const settings = { output: [8192], precision: 'single' as const, asyncMode: true };
    const copy = gpu.createKernel('function (a) { return a[this.thread.x]; }', settings);
    const twice = gpu.createKernel('function (a) { return a[this.thread.x] * 2; }', settings);
    const a = Float32Array.from({ length: 8192 }, (_, i) => i);
    const [first, second] = (await Promise.all([copy(a), twice(a)])) as Float32Array[];
    const pool: unknown = Reflect.get(copy.kernel, '_pool');
    const seen = {
      paths: [Reflect.get(copy.kernel, '_lastRunPath'), Reflect.get(twice.kernel, '_lastRunPath')].map(String),
      onePool: pool !== undefined && Reflect.get(twice.kernel, '_pool') === pool,
      copied: Array.from(first).every((value, i) => value === i),
      doubled: Array.from(second).every((value, i) => value === 2 * i),
      poolDestroyedWithFirstKernel: true,
      doubledAfterDestroy: false,
      poolDestroyedWithLastKernel: false,
    };
    copy.destroy();
    seen.poolDestroyedWithFirstKernel = Reflect.get(Object(pool), 'destroyed') === true;
    const again = (await twice(a)) as Float32Array;
    seen.doubledAfterDestroy = Array.from(again).every((value, i) => value === 2 * i);
    twice.destroy();
    seen.poolDestroyedWithLastKernel = Reflect.get(Object(pool), 'destroyed') === true;
    return seen;
  },
  (seen) => {
    const problems: string[] = [];
    if (seen.paths.some((path) => path !== 'threaded')) problems.push(`ran on ${seen.paths.join(', ')}, not threaded`);
    if (!seen.onePool) problems.push('the two kernels ran on two worker pools');
    if (!seen.copied || !seen.doubled) problems.push('the threaded kernels computed wrong values');
    if (seen.poolDestroyedWithFirstKernel) problems.push('destroying one kernel destroyed the pool the other uses');
    if (!seen.doubledAfterDestroy) problems.push('the kernel left alive computed wrong values after the other was destroyed');
    if (!seen.poolDestroyedWithLastKernel) problems.push('the pool outlived its last kernel');
    return problems;
  },
);

const recycledOutputs = patchCheck(
  "writes a run's output into an array given back with recycleOutput, for any kernel of that output length, threaded too",
  async ({ GPU, WebAssemblyKernel }) => {
    const recycle: unknown = Reflect.get(WebAssemblyKernel, 'recycleOutput');
    const gpu = new GPU({ mode: 'webasm' });
    const settings = { output: [8192], precision: 'single' as const };
    const doubled = gpu.createKernel('function (a) { return a[this.thread.x] * 2; }', settings);
    const shifted = gpu.createKernel('function (a) { return a[this.constants.shift + this.thread.x]; }', {
      ...settings,
      constants: { shift: 1 },
    });
    const threaded = gpu.createKernel('function (a) { return a[this.thread.x]; }', { ...settings, asyncMode: true });
    const a = Float32Array.from({ length: 8192 }, (_, i) => i);
    const given = doubled(a) as Float32Array;
    const givenBuffer = given.buffer;
    if (typeof recycle === 'function') recycle.call(WebAssemblyKernel, given);
    const second = shifted(a) as Float32Array;
    const secondBuffer = second.buffer;
    const shiftedValues = Array.from(second).every((value, i) => value === a[Math.min(i + 1, 8191)]);
    const fresh = shifted(a) as Float32Array;
    if (typeof recycle === 'function') recycle.call(WebAssemblyKernel, second);
    const third = (await threaded(a)) as Float32Array;
    const seen = {
      hasRecycleOutput: typeof recycle === 'function',
      reusedGiven: second.buffer === givenBuffer,
      shiftedValues,
      freshAfterReuse: fresh.buffer !== secondBuffer,
      threadedPath: String(Reflect.get(threaded.kernel, '_lastRunPath')),
      threadedReused: third.buffer === secondBuffer,
      threadedValues: Array.from(third).every((value, i) => value === i),
    };
    threaded.destroy();
    return seen;
  },
  (seen) => {
    const problems: string[] = [];
    if (!seen.hasRecycleOutput) problems.push('WebAssemblyKernel has no recycleOutput: every run allocates a fresh output array');
    if (!seen.reusedGiven) problems.push('the next output of that length was not written into the given-back array');
    if (!seen.shiftedValues) problems.push('the output written into a given-back array has wrong values');
    if (!seen.freshAfterReuse) problems.push('a given-back array was handed out twice');
    if (seen.threadedPath !== 'threaded') problems.push(`the threaded kernel ran on the ${seen.threadedPath} path`);
    if (!seen.threadedReused || !seen.threadedValues) problems.push('the threaded path did not write its output into the given-back array');
    return problems;
  },
);

const stagedArguments = patchCheck(
  'takeOutput hands out a given-back array; a threaded run queued behind another stages its argument in one and gives it back',
  async ({ GPU, WebAssemblyKernel }) => {
    const recycle: unknown = Reflect.get(WebAssemblyKernel, 'recycleOutput');
    const take: unknown = Reflect.get(WebAssemblyKernel, 'takeOutput');
    const give = (array: Float32Array): void => {
      if (typeof recycle === 'function') recycle.call(WebAssemblyKernel, array);
    };
    const gpu = new GPU({ mode: 'webasm' });
    const length = 8192 + 4; // a length no other kernel here asks for
    const copy = gpu.createKernel('function (a) { return a[this.thread.x]; }', { output: [length], precision: 'single' });
    const addOne = gpu.createKernel('function (a) { return a[this.thread.x] + 1; }', {
      output: [length],
      precision: 'single',
      asyncMode: true,
    });
    const a = Float32Array.from({ length }, (_, i) => i);
    const given = copy(a) as Float32Array;
    const givenBuffer = given.buffer;
    give(given);
    const taken = typeof take === 'function' ? (take.call(WebAssemblyKernel, length) as Float32Array) : null;
    const tookGiven = taken !== null && taken.buffer === givenBuffer;
    if (taken !== null) give(taken);
    // the second run is queued behind the first, so its argument is staged: in the given-back array,
    // which goes back once copied into the kernel's memory, where the second run's output then takes it
    const [first, second] = (await Promise.all([addOne(a), addOne(a)])) as [Float32Array, Float32Array];
    const seen = {
      hasTakeOutput: typeof take === 'function',
      tookGiven,
      firstPath: String(Reflect.get(addOne.kernel, '_lastRunPath')),
      secondOutputIsGiven: second.buffer === givenBuffer,
      values: [first, second].every((out) => out.length === length && out.every((value, i) => value === i + 1)),
    };
    addOne.destroy();
    return seen;
  },
  (seen) => {
    const problems: string[] = [];
    if (!seen.hasTakeOutput) problems.push('WebAssemblyKernel has no takeOutput: an upload copies into a fresh array');
    else if (!seen.tookGiven) problems.push('takeOutput did not hand out the array given back');
    if (seen.firstPath !== 'threaded') problems.push(`the asyncMode kernel ran on the ${seen.firstPath} path`);
    if (!seen.secondOutputIsGiven) problems.push('the staged argument was not a given-back array given back after the copy');
    if (!seen.values) problems.push('the runs gave wrong values');
    return problems;
  },
);

const recycledOutputsCap = patchCheck(
  'keeps at most 64 MiB of given-back arrays, dropping the lengths asked for longest ago first',
  ({ GPU, WebAssemblyKernel }) => {
    const recycle: unknown = Reflect.get(WebAssemblyKernel, 'recycleOutput');
    const give = (array: Float32Array): void => {
      if (typeof recycle === 'function') recycle.call(WebAssemblyKernel, array);
    };
    const gpu = new GPU({ mode: 'webasm' });
    // outputs of 32 MiB (length A, asked for first) and 16 MiB (length B): 80 MiB given back
    const lengthA = 8 * 1024 * 1024;
    const lengthB = lengthA / 2;
    const countA = gpu.createKernel('function () { return this.thread.x; }', { output: [lengthA], precision: 'single' });
    const countB = gpu.createKernel('function () { return this.thread.x; }', { output: [lengthB], precision: 'single' });
    const a1 = countA() as Float32Array;
    const a2 = countA() as Float32Array;
    const b = countB() as Float32Array;
    const [bufferA1, bufferA2, bufferB] = [a1.buffer, a2.buffer, b.buffer];
    for (const array of [a1, a2, b]) give(array);
    const againA = countA() as Float32Array;
    const secondA = countA() as Float32Array;
    const againB = countB() as Float32Array;
    return {
      hasRecycleOutput: typeof recycle === 'function',
      oneAKept: againA.buffer === bufferA1 || againA.buffer === bufferA2,
      secondAFresh: secondA.buffer !== bufferA1 && secondA.buffer !== bufferA2,
      bKept: againB.buffer === bufferB,
      bValues: [againB[0], againB[lengthB - 1]],
    };
  },
  (seen) => {
    const problems: string[] = [];
    if (!seen.hasRecycleOutput) problems.push('WebAssemblyKernel has no recycleOutput');
    if (!seen.oneAKept) problems.push('no 32 MiB array was kept');
    if (!seen.secondAFresh) problems.push('both 32 MiB arrays were kept: more than 64 MiB held');
    if (!seen.bKept) problems.push('the 16 MiB array, given back last, was dropped');
    problems.push(...differs('the reused 16 MiB output', seen.bValues, [0, 4 * 1024 * 1024 - 1]));
    return problems;
  },
);

const flatOutput = patchCheck(
  "with flatOutput, returns a grid kernel's output as one flat array, an Array(4) return's values side by side",
  ({ GPU }) => {
    const source = `function (a) {
      const at = (this.thread.z * this.output.y + this.thread.y) * this.output.x + this.thread.x;
      return [a[at], a[at] + 0.25, a[at] + 0.5, this.thread.z];
    }`;
    const a = Float32Array.from({ length: 8 * 3 * 2 }, (_, i) => i);
    const kernel = new GPU({ mode: 'webasm' }).createKernel(source, { output: [8, 3, 2], precision: 'single', flatOutput: true });
    const out: unknown = kernel(a);
    return {
      runPath: String(Reflect.get(kernel.kernel, '_lastRunPath')),
      flat: out instanceof Float32Array,
      values: out instanceof Float32Array ? Array.from(out) : [],
    };
  },
  (seen) => {
    const problems: string[] = [];
    if (seen.runPath !== 'simd') problems.push(`ran on the ${seen.runPath} path, not simd`);
    if (!seen.flat) problems.push('the output came back as nested rows (one array per thread for Array(4)), not one flat Float32Array');
    else {
      const expected = Array.from({ length: 48 }, (_, i) => i).flatMap((v, i) => [v, v + 0.25, v + 0.5, Math.floor(i / 24)]);
      problems.push(...differs('the flat output', seen.values, expected));
    }
    return problems;
  },
);

/** Every check of the patch. */
export const PATCH_CHECKS: readonly PatchCheck[] = [
  contiguousRead,
  loopIndex,
  strictIntegers,
  nativeExp,
  sharedPool,
  recycledOutputs,
  recycledOutputsCap,
  stagedArguments,
  flatOutput,
];

/** How many float32 values lie between a and b. */
function ulpDistance(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0] - bits[1]);
}
