/**
 * The Playground's "Download model.onnx", checked by ONNX Runtime in the browser: in headless
 * Chromium the page exports its pretrained weights, the test loads `onnxruntime-web` (WebAssembly)
 * into the page — only now: it is not part of the Playground's bundle — runs the downloaded file on
 * test images there, and compares its logits with LeNet.ts's (backend-cpu in Node, 1e-5 relative)
 * and its class probabilities with the ones the page shows.
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as OrtWeb from 'onnxruntime-web';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '@lenet/backend-cpu';
import { noGrad, Rng, setBackend, tensor } from '@lenet/core';
import {
  FASHION_MNIST_CLASS_NAMES,
  getModelSpec,
  loadFashionMnist,
  readCheckpoint,
  readOnnxOutline,
  scaleToUnitInterval,
} from '@lenet/models';
import { findRecordedRun } from '../src/generate/recorded-run.js';
import { serveDirectory, type RunningServer } from '../src/serve/static-server.js';
import { launchChromium } from './browser.js';

declare global {
  interface Window {
    /** onnxruntime-web's global, once the test has added its script to the page. */
    ort?: typeof OrtWeb;
  }
}

const docsDir = fileURLToPath(new URL('../', import.meta.url));
const siteDir = join(docsDir, 'site');
/** onnxruntime-web's `dist/`: its script, its WebAssembly and the module that loads it. */
const ortDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
const ORT_PATH = '/onnxruntime-web/';
const IMAGES = 5;

let server: RunningServer;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let downloads: string;

beforeAll(async () => {
  server = await serveDirectory(siteDir);
  ({ context, close: closeBrowser } = await launchChromium());
  // ONNX Runtime's files are served to this test's pages only, from node_modules.
  await context.route(`**${ORT_PATH}*`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(ORT_PATH.length);
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    await route.fulfill({ body: readFileSync(join(ortDist, name)), contentType: type });
  });
  downloads = mkdtempSync(join(tmpdir(), 'lenet-playground-onnx-'));
});

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
  if (downloads !== undefined) rmSync(downloads, { recursive: true, force: true });
});

/** The pretrained checkpoint's logits for test images 0..count−1 in Node on backend-cpu, and the pixels. */
async function nodeLogits(count: number): Promise<{ logits: Float32Array; pixels: Float32Array }> {
  setBackend(new CpuBackend());
  const { tensors, info } = readCheckpoint(findRecordedRun().checkpoint);
  const model = getModelSpec(info.settings.model).build(new Rng(0));
  model.loadStateDict(tensors, 'pretrained');
  model.eval();
  const pixels = scaleToUnitInterval(loadFashionMnist().test.images.subarray(0, count * 784));
  const logits = await noGrad(() => model.call(tensor(pixels, [count, 1, 28, 28]))).data();
  model.dispose();
  return { logits, pixels };
}

/** Shows test image `index` in the Look inside tab and reads the probabilities the page draws. */
async function pageProbabilities(page: Page, index: number): Promise<number[]> {
  await page.fill('#image-index', String(index));
  await page.dispatchEvent('#image-index', 'change');
  await page.waitForFunction(
    (i) => document.querySelector<HTMLElement>('#panel-inspect')?.dataset.image?.startsWith(`test image ${i}:`) === true,
    index,
  );
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('#probabilities .bar'), (bar) => Number(bar.dataset.probability)),
  );
}

function softmax(row: ArrayLike<number>): number[] {
  const values = Array.from(row);
  const largest = Math.max(...values);
  const total = values.reduce((sum, z) => sum + Math.exp(z - largest), 0);
  return values.map((z) => Math.exp(z - largest) / total);
}

describe("the Playground's model.onnx in onnxruntime-web", () => {
  it("runs in ONNX Runtime's WebAssembly build in Chromium with LeNet.ts's logits and the page's probabilities", async () => {
    const bundle = readFileSync(join(siteDir, 'playground', 'playground.js'), 'utf8');
    expect(bundle).not.toContain('onnxruntime');
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${server.url}playground/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.evaluate(() => window.ort === undefined)).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-onnx')]);
    expect(download.suggestedFilename()).toBe('model.onnx');
    const file = join(downloads, 'model.onnx');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    const outline = readOnnxOutline(bytes);
    expect([outline.irVersion, outline.opset, outline.metadata.model, outline.metadata.epoch]).toEqual([8, 13, 'lenet5', '10']);
    expect(JSON.parse(outline.metadata.class_names ?? '[]')).toEqual(FASHION_MNIST_CLASS_NAMES);

    const expected = await nodeLogits(IMAGES);
    await page.addScriptTag({ url: `${server.url.replace(/\/$/, '')}${ORT_PATH}ort.wasm.min.js` });
    const result = await page.evaluate(
      async ({ model, pixels, count, wasmPaths }) => {
        const ort = window.ort;
        if (ort === undefined) throw new Error('onnxruntime-web did not load');
        ort.env.wasm.wasmPaths = wasmPaths;
        ort.env.wasm.numThreads = 1; // the page is not cross-origin isolated
        const session = await ort.InferenceSession.create(Uint8Array.from(model), { executionProviders: ['wasm'] });
        const outputs = await session.run({ images: new ort.Tensor('float32', Float32Array.from(pixels), [count, 1, 28, 28]) });
        return { dims: [...outputs.logits.dims], logits: Array.from(outputs.logits.data, Number) };
      },
      { model: Array.from(bytes), pixels: Array.from(expected.pixels), count: IMAGES, wasmPaths: `${ORT_PATH}` },
    );
    expect(result.dims).toEqual([IMAGES, 10]);

    await page.click('#tab-inspect');
    for (let n = 0; n < IMAGES; n++) {
      const ortRow = result.logits.slice(n * 10, (n + 1) * 10);
      const lenetRow = Array.from(expected.logits.subarray(n * 10, (n + 1) * 10));
      const scale = Math.max(...lenetRow.map(Math.abs));
      for (let c = 0; c < 10; c++) {
        expect(
          Math.abs(ortRow[c] - lenetRow[c]) / scale,
          `image ${n}, class ${c}: ORT ${ortRow[c]}, LeNet.ts ${lenetRow[c]}`,
        ).toBeLessThanOrEqual(1e-5);
      }
      const shown = await pageProbabilities(page, n);
      const fromOrt = softmax(ortRow);
      expect(shown.length).toBe(10);
      for (let c = 0; c < 10; c++) expect(Math.abs(shown[c] - fromOrt[c]), `image ${n}, class ${c}`).toBeLessThanOrEqual(1e-4);
      expect(shown.indexOf(Math.max(...shown))).toBe(fromOrt.indexOf(Math.max(...fromOrt)));
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
