/**
 * The package in a browser: headless Chromium runs the built `dist/index.js`, bundled by esbuild
 * for the browser as an application would bundle it, and `createGpuBackend` uses WebGL2, WebGL 1
 * and WebGPU natively there (Chromium's SwiftShader: no Dawn, no headless-gl, no set-up modules).
 *
 * For each mode the page builds the backend, runs a convolution forward and backward (batch 2,
 * 2 channels, a 5×6 input, a 3×2 filter, stride [2,1], padding [1,0]), two matrix products (Aᵀ·B,
 * A·Bᵀ) and cross-entropy with its gradient through `@lenet/core`'s ops, and returns the values;
 * this file computes the same in float64 from the definitions and compares them within the
 * backend's tolerance. `auto` must not take SwiftShader: it takes webasm and says no GPU is present.
 *
 * Chromium is `/usr/bin/chromium` (Debian's package, in `.ci/apt-packages`) or `LENET_CHROMIUM`.
 * @module
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as LenetCore from '@lenet/core';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as LenetGpu from '../src/index.js';
import { KERNEL_CLASS_BY_MODE, type ConcreteGpuMode, type GpuMode } from '../src/index.js';
import { expectClose } from './support/expect-close.js';
import { seededLabels, seededValues } from './support/seeded-values.js';

/** What the bundle puts on `window` for the page function below. */
interface PageLibraries {
  readonly core: typeof LenetCore;
  readonly gpu: typeof LenetGpu;
}

declare global {
  interface Window {
    lenet?: PageLibraries;
  }
}

const CHROMIUM_PATH = process.env.LENET_CHROMIUM ?? '/usr/bin/chromium';
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT_ENTRY = join(PACKAGE_ROOT, 'dist', 'index.js');

// ---- the cases: shapes and values, sent to the page ------------------------------------------

type Shape4 = readonly [number, number, number, number];
type Pair = readonly [number, number];

/** The inputs of every kernel run in the page (plain arrays: they cross into the page as JSON). */
interface KernelCases {
  readonly conv: { xShape: Shape4; wShape: Shape4; stride: Pair; padding: Pair; outShape: Shape4; x: number[]; w: number[]; dy: number[] };
  /** a is stored [k, m] (used transposed), b [k, n]. */
  readonly matmulTransposeA: { aShape: Pair; bShape: Pair; a: number[]; b: number[] };
  /** a is [m, k], b is stored [n, k] (used transposed). */
  readonly matmulTransposeB: { aShape: Pair; bShape: Pair; a: number[]; b: number[] };
  readonly crossEntropy: { logitsShape: Pair; logits: number[]; labels: number[] };
}

/** What the page reports. */
interface PageReport {
  readonly mode: ConcreteGpuMode;
  readonly device: string;
  readonly hardwareGpu: boolean;
  readonly reason: string;
  readonly tolerance: number;
  readonly kernelClasses: string[];
  readonly conv2dShader: string | null;
  readonly values: Record<ValueName, number[]>;
}

type ValueName = 'convY' | 'convDx' | 'convDw' | 'matmulTransposeA' | 'matmulTransposeB' | 'loss' | 'dLogits';

function convOutExtent(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

function makeCases(): KernelCases {
  const xShape: Shape4 = [2, 2, 5, 6];
  const wShape: Shape4 = [3, 2, 3, 2];
  const stride: Pair = [2, 1];
  const padding: Pair = [1, 0];
  const outShape: Shape4 = [
    xShape[0],
    wShape[0],
    convOutExtent(xShape[2], wShape[2], stride[0], padding[0]),
    convOutExtent(xShape[3], wShape[3], stride[1], padding[1]),
  ];
  const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
  const values = (seed: number, shape: readonly number[]): number[] => Array.from(seededValues(seed, size(shape)));
  return {
    conv: { xShape, wShape, stride, padding, outShape, x: values(1, xShape), w: values(2, wShape), dy: values(3, outShape) },
    matmulTransposeA: { aShape: [4, 3], bShape: [4, 5], a: values(4, [4, 3]), b: values(5, [4, 5]) },
    matmulTransposeB: { aShape: [3, 4], bShape: [5, 4], a: values(6, [3, 4]), b: values(7, [5, 4]) },
    crossEntropy: { logitsShape: [4, 5], logits: values(8, [4, 5]).map((v) => 3 * v), labels: Array.from(seededLabels(9, 4, 5)) },
  };
}

// ---- float64 references, from the definitions -------------------------------------------------

/**
 * y[n,k,oy,ox] = Σ_{c,u,v} x[n,c,oy·sh−ph+u, ox·sw−pw+v] · w[k,c,u,v] (zero outside x), and for the
 * upstream gradient dy: ∂L/∂x and ∂L/∂w of L = Σ y·dy, accumulated in the same loop.
 */
function referenceConv(conv: KernelCases['conv']): { y: Float64Array; dx: Float64Array; dw: Float64Array } {
  const [batch, channels, height, width] = conv.xShape;
  const [filters, , kernelHeight, kernelWidth] = conv.wShape;
  const [, , outHeight, outWidth] = conv.outShape;
  const xAt = (n: number, c: number, h: number, w: number): number => ((n * channels + c) * height + h) * width + w;
  const wAt = (k: number, c: number, u: number, v: number): number => ((k * channels + c) * kernelHeight + u) * kernelWidth + v;
  const yAt = (n: number, k: number, oy: number, ox: number): number => ((n * filters + k) * outHeight + oy) * outWidth + ox;
  const y = new Float64Array(conv.dy.length);
  const dx = new Float64Array(conv.x.length);
  const dw = new Float64Array(conv.w.length);
  for (let n = 0; n < batch; n++) {
    for (let k = 0; k < filters; k++) {
      for (let oy = 0; oy < outHeight; oy++) {
        for (let ox = 0; ox < outWidth; ox++) {
          const out = yAt(n, k, oy, ox);
          for (let c = 0; c < channels; c++) {
            for (let u = 0; u < kernelHeight; u++) {
              for (let v = 0; v < kernelWidth; v++) {
                const h = oy * conv.stride[0] - conv.padding[0] + u;
                const w = ox * conv.stride[1] - conv.padding[1] + v;
                if (h < 0 || h >= height || w < 0 || w >= width) continue;
                y[out] += conv.x[xAt(n, c, h, w)] * conv.w[wAt(k, c, u, v)];
                dx[xAt(n, c, h, w)] += conv.dy[out] * conv.w[wAt(k, c, u, v)];
                dw[wAt(k, c, u, v)] += conv.x[xAt(n, c, h, w)] * conv.dy[out];
              }
            }
          }
        }
      }
    }
  }
  return { y, dx, dw };
}

/** C[i,j] = Σ_p A[i,p] · B[p,j], reading A and B through `aAt`/`bAt` (so transposes are explicit). */
function referenceMatmul(
  m: number,
  k: number,
  n: number,
  aAt: (i: number, p: number) => number,
  bAt: (p: number, j: number) => number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < k; p++) {
        c[i * n + j] += aAt(i, p) * bAt(p, j);
      }
    }
  }
  return c;
}

/** L = (1/N) Σ_n (log Σ_j e^{z[n,j]} − z[n,label_n]); ∂L/∂z[n,j] = (softmax(z_n)_j − [j = label_n]) / N. */
function referenceCrossEntropy(cases: KernelCases['crossEntropy']): { loss: number; dLogits: Float64Array } {
  const [rows, classes] = cases.logitsShape;
  const dLogits = new Float64Array(rows * classes);
  let loss = 0;
  for (let n = 0; n < rows; n++) {
    const row = cases.logits.slice(n * classes, (n + 1) * classes);
    const largest = Math.max(...row);
    const total = row.reduce((sum, z) => sum + Math.exp(z - largest), 0);
    const label = cases.labels[n];
    loss += (largest + Math.log(total) - row[label]) / rows;
    for (let j = 0; j < classes; j++) {
      dLogits[n * classes + j] = (Math.exp(row[j] - largest) / total - (j === label ? 1 : 0)) / rows;
    }
  }
  return { loss, dLogits };
}

// ---- what runs in the page (serialised by playwright: it may use only its argument and window) --

async function runKernelsInPage({ mode, cases }: { mode: GpuMode; cases: KernelCases }): Promise<PageReport> {
  const lenet = window.lenet;
  if (lenet === undefined) {
    throw new Error('the page has no window.lenet: the bundle did not load');
  }
  const { core, gpu } = lenet;
  const backend = await gpu.createGpuBackend({ mode });
  const on = { backend };
  const learnable = { backend, requiresGrad: true };

  const x = core.tensor(cases.conv.x, cases.conv.xShape, learnable);
  const w = core.tensor(cases.conv.w, cases.conv.wShape, learnable);
  const y = core.conv2d(x, w, { stride: cases.conv.stride, padding: cases.conv.padding });
  y.backward(core.tensor(cases.conv.dy, cases.conv.outShape, on));

  const ta = cases.matmulTransposeA;
  const productTransposeA = core.matmul(core.tensor(ta.a, ta.aShape, on), core.tensor(ta.b, ta.bShape, on), { transposeA: true });
  const tb = cases.matmulTransposeB;
  const productTransposeB = core.matmul(core.tensor(tb.a, tb.aShape, on), core.tensor(tb.b, tb.bShape, on), { transposeB: true });

  const logits = core.tensor(cases.crossEntropy.logits, cases.crossEntropy.logitsShape, learnable);
  const loss = core.crossEntropy(logits, core.tensor(cases.crossEntropy.labels, [cases.crossEntropy.labels.length], on));
  loss.backward();

  const read = async (tensor: LenetCore.Tensor | null, what: string): Promise<number[]> => {
    if (tensor === null) throw new Error(`${what} is missing`);
    return Array.from(await tensor.data());
  };
  const values: Record<ValueName, number[]> = {
    convY: await read(y, 'conv2d output'),
    convDx: await read(x.grad, 'conv2d ∂L/∂x'),
    convDw: await read(w.grad, 'conv2d ∂L/∂w'),
    matmulTransposeA: await read(productTransposeA, 'matmul Aᵀ·B'),
    matmulTransposeB: await read(productTransposeB, 'matmul A·Bᵀ'),
    loss: await read(loss, 'cross-entropy'),
    dLogits: await read(logits.grad, 'cross-entropy ∂L/∂logits'),
  };
  const report: PageReport = {
    mode: backend.mode,
    device: backend.device,
    hardwareGpu: backend.hardwareGpu,
    reason: backend.reason,
    tolerance: backend.tolerance,
    kernelClasses: backend.compiledKernelClasses(),
    conv2dShader: backend.shaderSource('conv2dKernel'),
    values,
  };
  backend.destroy();
  return report;
}

// ---- bundle, serve, launch --------------------------------------------------------------------

const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><title>@lenet/backend-gpu in a browser</title><script type="module" src="/bundle.js"></script>';

/** esbuild bundles the built package and @lenet/core for the browser, as an application would. */
async function bundleForBrowser(): Promise<string> {
  if (!existsSync(BUILT_ENTRY)) {
    throw new Error(`${BUILT_ENTRY} is missing: build the package first (npx turbo run build --filter=@lenet/backend-gpu)`);
  }
  const result = await build({
    stdin: {
      contents: "import * as core from '@lenet/core'; import * as gpu from '@lenet/backend-gpu'; window.lenet = { core, gpu };",
      resolveDir: PACKAGE_ROOT,
      sourcefile: 'browser-test-entry.js',
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const nodeOnly = inputs.filter(
    (input) =>
      /node_modules\/(webgpu|gl)\/|setup\/(webgpu|webgpu-probe|headlessgl)-node\.js$/.test(input) && !input.startsWith('(disabled)'),
  );
  expect(nodeOnly, 'the browser bundle must not contain the Node-only set-up (Dawn, headless-gl)').toEqual([]);
  expect(
    inputs.filter((input) => input.includes('node_modules/gpu.js/')),
    "gpu.js's browser build (its package.json `browser` field)",
  ).toEqual([expect.stringMatching(/node_modules\/gpu\.js\/dist\/gpu-browser\.js$/)]);
  return result.outputFiles[0].text;
}

/** A static server on 127.0.0.1 with cross-origin isolation (webasm's worker threads need it). */
async function serve(files: Readonly<Record<string, { body: string; type: string }>>): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': `${file.type}; charset=utf-8`,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let browser: Browser | undefined;
let server: Server | undefined;
let pageUrl = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}: install it (apt install chromium, listed in .ci/apt-packages) or set LENET_CHROMIUM`,
    );
  }
  const bundle = await bundleForBrowser();
  server = await serve({ '/': { body: PAGE_HTML, type: 'text/html' }, '/bundle.js': { body: bundle, type: 'text/javascript' } });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`the test server has no TCP port (${String(address)})`);
  pageUrl = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  const running = server;
  if (running !== undefined) await new Promise<void>((resolve) => running.close(() => resolve()));
});

/** Opens the page, runs the kernels in `mode`, and returns the report (page errors are part of a failure). */
async function runInBrowser(mode: GpuMode, cases: KernelCases): Promise<PageReport> {
  if (browser === undefined) throw new Error('Chromium did not start (see beforeAll)');
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  try {
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.lenet !== undefined, undefined, { timeout: 10_000 });
    return await page.evaluate(runKernelsInPage, { mode, cases });
  } catch (error) {
    throw new Error(
      `${mode} in Chromium: ${error instanceof Error ? error.message : String(error)}; page errors: ${pageErrors.join(' | ') || 'none'}`,
    );
  } finally {
    await page.close();
  }
}

/** Compares every value the page computed with the float64 references. */
function expectKernelValues(report: PageReport, cases: KernelCases): void {
  expect(report.tolerance).toBeLessThanOrEqual(1e-3);
  const tolerance = report.tolerance;
  const conv = referenceConv(cases.conv);
  const what = (name: string): string => `${report.mode} in Chromium: ${name}`;
  expectClose(Float32Array.from(report.values.convY), Float32Array.from(conv.y), tolerance, what('conv2d stride [2,1] padding [1,0]'));
  expectClose(Float32Array.from(report.values.convDx), Float32Array.from(conv.dx), tolerance, what('conv2dBackpropInput'));
  expectClose(Float32Array.from(report.values.convDw), Float32Array.from(conv.dw), tolerance, what('conv2dBackpropFilter'));

  const ta = cases.matmulTransposeA;
  const [k, m] = ta.aShape;
  const n = ta.bShape[1];
  const expectedTransposeA = referenceMatmul(
    m,
    k,
    n,
    (i, p) => ta.a[p * m + i],
    (p, j) => ta.b[p * n + j],
  );
  expectClose(Float32Array.from(report.values.matmulTransposeA), Float32Array.from(expectedTransposeA), tolerance, what('matmul Aᵀ·B'));

  const tb = cases.matmulTransposeB;
  const [rows, inner] = tb.aShape;
  const columns = tb.bShape[0];
  const expectedTransposeB = referenceMatmul(
    rows,
    inner,
    columns,
    (i, p) => tb.a[i * inner + p],
    (p, j) => tb.b[j * inner + p],
  );
  expectClose(Float32Array.from(report.values.matmulTransposeB), Float32Array.from(expectedTransposeB), tolerance, what('matmul A·Bᵀ'));

  const crossEntropy = referenceCrossEntropy(cases.crossEntropy);
  expectClose(Float32Array.from(report.values.loss), Float32Array.of(crossEntropy.loss), tolerance, what('cross-entropy'));
  expectClose(Float32Array.from(report.values.dLogits), Float32Array.from(crossEntropy.dLogits), tolerance, what('cross-entropy gradient'));
}

// ---- the tests --------------------------------------------------------------------------------

const cases = makeCases();

/** How each browser mode shows in its generated conv2d source. */
const SHADER_MARKERS: Readonly<Record<'webgl2' | 'webgl' | 'webgpu', { has: RegExp; hasNot: RegExp }>> = {
  webgl2: { has: /#version 300 es[\s\S]*void main\(void\)/, hasNot: /@compute/ },
  webgl: { has: /precision highp float;[\s\S]*void main\(void\)/, hasNot: /#version 300 es/ },
  webgpu: { has: /@compute[\s\S]*fn main\(/, hasNot: /void main\(void\)/ },
};

describe('@lenet/backend-gpu in headless Chromium (bundled dist/index.js)', () => {
  it('the test cases are non-square, batched, multi-channel, with stride and padding differing by axis', () => {
    expect(cases.conv.outShape).toEqual([2, 3, 3, 5]);
    expect(cases.conv.xShape[2]).not.toBe(cases.conv.xShape[3]);
  });

  for (const mode of ['webgl2', 'webgl', 'webgpu'] as const) {
    it(`${mode}: runs natively on SwiftShader, and its kernels match float64 within the tolerance`, async () => {
      const report = await runInBrowser(mode, cases);
      console.info(`[backend-gpu] browser mode ${report.mode} RAN on ${report.device}`);
      expect(report.mode).toBe(mode);
      expect(report.device).toMatch(/swiftshader/i);
      expect(report.hardwareGpu).toBe(false);
      expect(report.reason).toBe(`${mode} was requested`);
      expect(report.kernelClasses.length).toBeGreaterThanOrEqual(6);
      expect(new Set(report.kernelClasses)).toEqual(new Set([KERNEL_CLASS_BY_MODE[mode]]));
      expect(report.conv2dShader, `${mode}: conv2d shader source`).toMatch(SHADER_MARKERS[mode].has);
      expect(report.conv2dShader).not.toMatch(SHADER_MARKERS[mode].hasNot);
      expectKernelValues(report, cases);
    });
  }

  it('auto does not take SwiftShader: it runs webasm and says no GPU is present', async () => {
    const report = await runInBrowser('auto', cases);
    console.info(`[backend-gpu] browser auto chose ${report.mode}: ${report.reason}`);
    expect(report.mode).toBe('webasm');
    expect(report.device).toBe('WebAssembly (no GPU)');
    expect(report.hardwareGpu).toBe(false);
    expect(report.reason).toMatch(/^auto: no GPU present — /);
    expect(report.reason).toMatch(/WebGPU only on a software rasteriser \([^)]*swiftshader/i);
    expect(report.reason).toMatch(/WebGL2 only on a software rasteriser \([^)]*swiftshader/i);
    expect(report.reason).toMatch(/webasm runs$/);
    expect(new Set(report.kernelClasses)).toEqual(new Set([KERNEL_CLASS_BY_MODE.webasm]));
    expectKernelValues(report, cases);
  });
});
