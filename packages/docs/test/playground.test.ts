/**
 * The Playground in headless Chromium (playwright-core), as a reader uses it: the built site is
 * served on localhost and the page is driven through its controls. What must hold:
 * 1. in webgl2 and webgpu (SwiftShader) it trains lenet5 for 24 steps: the loss goes down, the
 *    curves get a point per step, and the header names the GPU.js mode that ran; in webasm (the
 *    batch-last convolutions on the patched gpu.js, bundled from its src/) the same 24 steps give
 *    webgl2's losses, with the patch's marks seen from the page (one worker pool, Math.exp in
 *    WebAssembly) and threads on in the cross-origin isolated page, and off, with the reason on the
 *    page, where it is not isolated;
 * 2. with the pretrained weights, its class and probabilities for test images 0–9 are those of the
 *    same checkpoint in Node on backend-cpu (within 1e-4), and the feature maps are drawn;
 * 3. its formula-(1) probe at a C1 pixel equals backend-cpu's conv2d there;
 * 4. the model.safetensors it downloads loads in the evaluate command with the accuracy it showed;
 * 5. no console errors; a mode the browser lacks, a NaN loss and a corrupt weights file each get a
 *    clear message.
 * With LENET_DOCS_SCREENSHOTS=1 it also writes the screenshots the docs README shows (media/).
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { CpuBackend } from '@lenet/backend-cpu';
import { conv2d, noGrad, Rng, setBackend, tensor } from '@lenet/core';
import {
  checkpointMetadata,
  decodeSafetensors,
  encodeSafetensors,
  FASHION_MNIST_CLASS_NAMES,
  getModelSpec,
  loadFashionMnist,
  scaleToUnitInterval,
  parseCheckpointMetadata,
  readCheckpoint,
} from '@lenet/models';
import * as browser from '@lenet/models/browser';
import { findRecordedRun } from '../src/generate/recorded-run.js';
import { serveDirectory, type RunningServer } from '../src/serve/static-server.js';
import { launchChromium } from './browser.js';
import { openPlaygroundPage, type OpenPage } from './playground-page.js';

const docsDir = fileURLToPath(new URL('../', import.meta.url));
const siteDir = join(docsDir, 'site');
const evaluateCli = join(docsDir, '..', 'models', 'dist', 'cli', 'evaluate.js');
const screenshotsDir = process.env.LENET_DOCS_SCREENSHOTS === '1' ? join(docsDir, 'media') : null;

let server: RunningServer;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let downloads: string;

beforeAll(async () => {
  if (!existsSync(join(siteDir, 'playground', 'index.html'))) {
    throw new Error(`the Playground is not built (${siteDir}/playground/index.html is missing): run \`npm run docs\` first`);
  }
  server = await serveDirectory(siteDir);
  ({ context, close: closeBrowser } = await launchChromium({ webgpu: true }));
  downloads = mkdtempSync(join(tmpdir(), 'lenet-playground-'));
  if (screenshotsDir !== null) mkdirSync(screenshotsDir, { recursive: true });
});

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
  if (downloads !== undefined) rmSync(downloads, { recursive: true, force: true });
});

declare global {
  interface Window {
    /** What {@link WATCH_WASM} counts in the page. */
    lenetWatch?: { workers: number; modules: number; mathImports: string[] };
  }
}

/**
 * Runs before the page's scripts: counts the workers the page starts and the WebAssembly modules it
 * compiles, and records every `math_*` function a module imports from JavaScript (gpu.js's imports
 * of `Math.*`).
 */
const WATCH_WASM = (): void => {
  const watch = { workers: 0, modules: 0, mathImports: [] as string[] };
  Object.assign(window, { lenetWatch: watch });
  window.Worker = new Proxy(window.Worker, {
    construct(target, args: ConstructorParameters<typeof Worker>) {
      watch.workers++;
      return Reflect.construct(target, args);
    },
  });
  WebAssembly.Module = new Proxy(WebAssembly.Module, {
    construct(target, args: ConstructorParameters<typeof WebAssembly.Module>) {
      const module: WebAssembly.Module = Reflect.construct(target, args);
      watch.modules++;
      for (const { name } of WebAssembly.Module.imports(module)) if (name.startsWith('math_')) watch.mathImports.push(name);
      return module;
    },
  });
};

async function openPlayground(on: BrowserContext = context, beforeScripts?: () => void, query = ''): Promise<OpenPage> {
  const opened = await openPlaygroundPage(on, server.url, query, beforeScripts);
  // no message on opening (openPlaygroundPage lists one as a problem; here it fails at once)
  expect(opened.problems.filter((problem) => problem.startsWith('message on opening'))).toEqual([]);
  return opened;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (screenshotsDir !== null) await page.screenshot({ path: join(screenshotsDir, `playground-${name}.png`), fullPage: true });
}

/** The pretrained checkpoint's probabilities for test images 0..count−1, in Node on backend-cpu (float64 softmax). */
async function nodeProbabilities(
  count: number,
): Promise<{ probabilities: number[][]; pixels: Float32Array; c1: { weight: Float32Array; bias: Float32Array } }> {
  setBackend(new CpuBackend());
  const { tensors, info } = readCheckpoint(findRecordedRun().checkpoint);
  const model = getModelSpec(info.settings.model).build(new Rng(0));
  model.loadStateDict(tensors, 'pretrained');
  model.eval();
  const { test } = loadFashionMnist();
  const pixels = scaleToUnitInterval(test.images.subarray(0, count * 784));
  const logits = await noGrad(() => model.call(tensor(pixels, [count, 1, 28, 28]))).data();
  const probabilities = Array.from({ length: count }, (_, n) => {
    const row = Array.from(logits.subarray(n * 10, (n + 1) * 10));
    const largest = Math.max(...row);
    const total = row.reduce((sum, z) => sum + Math.exp(z - largest), 0);
    return row.map((z) => Math.exp(z - largest) / total);
  });
  const weight = tensors.get('0.weight');
  const bias = tensors.get('0.bias');
  if (weight === undefined || bias === undefined) throw new Error('the pretrained checkpoint has no 0.weight / 0.bias (C1)');
  return { probabilities, pixels, c1: { weight: weight.data, bias: bias.data } };
}

/** Reads the bars of the class-probability chart and the predicted class. */
async function pageProbabilities(page: Page): Promise<{ probabilities: number[]; predicted: number }> {
  return page.evaluate(() => ({
    probabilities: Array.from(document.querySelectorAll<HTMLElement>('#probabilities .bar'), (bar) => Number(bar.dataset.probability)),
    predicted: Number(document.querySelector<HTMLElement>('#prediction')?.dataset.predicted),
  }));
}

async function showTestImage(page: Page, index: number): Promise<void> {
  await page.fill('#image-index', String(index));
  await page.dispatchEvent('#image-index', 'change');
  await page.waitForFunction(
    (i) => document.querySelector<HTMLElement>('#panel-inspect')?.dataset.image?.startsWith(`test image ${i}:`) === true,
    index,
  );
  await page.waitForFunction(() => document.querySelectorAll('#maps canvas').length > 0);
}

/** Per layer: how many canvases, and how many of them are not a single flat colour. */
async function mapCanvases(page: Page): Promise<Record<string, { canvases: number; drawn: number }>> {
  return page.evaluate(() => {
    const result: Record<string, { canvases: number; drawn: number }> = {};
    for (const block of Array.from(document.querySelectorAll<HTMLElement>('#maps .layer'))) {
      const canvases = Array.from(block.querySelectorAll('canvas'));
      const drawn = canvases.filter((canvas) => {
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        if (pixels === undefined || pixels.length === 0) return false;
        for (let i = 4; i < pixels.length; i += 4) if (pixels[i] !== pixels[0]) return true;
        return false;
      }).length;
      result[block.dataset.layer ?? '?'] = { canvases: canvases.length, drawn };
    }
    return result;
  });
}

describe('the Playground page', () => {
  it("the browser entry's class names and codecs are @lenet/models's own (one module each, no copies)", () => {
    expect(browser.FASHION_MNIST_CLASS_NAMES).toBe(FASHION_MNIST_CLASS_NAMES);
    expect(browser.encodeSafetensors).toBe(encodeSafetensors);
    expect(browser.decodeSafetensors).toBe(decodeSafetensors);
    expect(browser.checkpointMetadata).toBe(checkpointMetadata);
    expect(browser.parseCheckpointMetadata).toBe(parseCheckpointMetadata);
    // and the codec needs no Node: what it writes for a recorded checkpoint reads back the same
    const { tensors, info } = readCheckpoint(findRecordedRun().checkpoint);
    const bytes = browser.encodeSafetensors(tensors, browser.checkpointMetadata(info));
    expect(bytes).toBeInstanceOf(Uint8Array);
    const decoded = browser.decodeSafetensors(bytes, 'model.safetensors');
    expect([...decoded.tensors.keys()]).toEqual([...tensors.keys()]);
    expect(browser.parseCheckpointMetadata(decoded.metadata, 'model.safetensors')).toEqual(info);
  });

  it('with the pretrained weights: test images 0–9 get the classes and probabilities backend-cpu gives in Node, and every feature map is drawn', async () => {
    const expected = await nodeProbabilities(10);
    const { page, problems } = await openPlayground();
    await page.click('#tab-inspect');
    expect(await page.locator('#run-header').innerText()).toContain('pretrained');
    for (let index = 0; index < 10; index++) {
      await showTestImage(page, index);
      const shown = await pageProbabilities(page);
      const want = expected.probabilities[index];
      expect(shown.probabilities.length, `image ${index}`).toBe(10);
      for (let c = 0; c < 10; c++)
        expect(
          Math.abs(shown.probabilities[c] - want[c]),
          `image ${index}, class ${c}: page ${shown.probabilities[c]}, Node ${want[c]}`,
        ).toBeLessThanOrEqual(1e-4);
      expect(shown.predicted, `image ${index}`).toBe(want.indexOf(Math.max(...want)));
    }
    const maps = await mapCanvases(page);
    expect(maps).toEqual({
      C1: { canvases: 6, drawn: 6 },
      S2: { canvases: 6, drawn: 6 },
      C3: { canvases: 16, drawn: 16 },
      S4: { canvases: 16, drawn: 16 },
      C5: { canvases: 1, drawn: 1 },
      F6: { canvases: 1, drawn: 1 },
    });
    // A drawing is classified too: a vertical bar, drawn with the mouse on the 28 × 28 canvas.
    const pad = await page.locator('#draw').boundingBox();
    if (pad === null) throw new Error('the drawing canvas is not on screen');
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * 0.85, { steps: 20 });
    await page.mouse.up();
    await page.click('#use-drawing');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#panel-inspect')?.dataset.image === 'your drawing');
    const drawn = await pageProbabilities(page);
    expect(drawn.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect((await mapCanvases(page)).C1).toEqual({ canvases: 6, drawn: 6 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("formula (1)'s numbers at a C1 pixel equal backend-cpu's conv2d there", async () => {
    const { pixels, c1 } = await nodeProbabilities(1);
    setBackend(new CpuBackend());
    const z = await conv2d(tensor(pixels, [1, 1, 28, 28]), tensor(c1.weight, [6, 1, 5, 5]), { padding: 2 }).data();
    const { page, problems } = await openPlayground();
    await page.click('#tab-inspect');
    await showTestImage(page, 0);
    // Map k = 3, pixel (x, y) = (17, 10) of formula (1): row 17, column 10 of the 28 × 28 map.
    const [k, x, y] = [3, 17, 10];
    const canvas = page.locator(`#maps .layer[data-layer="C1"] canvas[data-channel="${k}"]`);
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('the C1 map is not on screen');
    await page.mouse.move(box.x + ((y + 0.5) / 28) * box.width, box.y + ((x + 0.5) / 28) * box.height);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#probe')?.dataset.sum !== undefined);
    const probe = await page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#probe')?.dataset }));
    expect([Number(probe.k), Number(probe.x), Number(probe.y)]).toEqual([k, x, y]);
    const expected = z[(k * 28 + x) * 28 + y] + c1.bias[k];
    expect(Math.abs(Number(probe.sum) - expected), `formula (1) gave ${probe.sum}, backend-cpu ${expected}`).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(Number(probe.backendValue) - expected)).toBeLessThanOrEqual(1e-5);
    expect(Number(probe.bias)).toBeCloseTo(c1.bias[k], 6);
    // The patch is the image under the kernel (padding 2), the weights are filter k.
    const patch = (probe.patch ?? '').split(',').map(Number);
    expect(patch[2 * 5 + 2]).toBeCloseTo(pixels[x * 28 + y], 6);
    expect((probe.weights ?? '').split(',').map(Number)).toEqual(Array.from(c1.weight.subarray(k * 25, (k + 1) * 25)));
    const formula = page.locator('#probe .katex');
    expect(await formula.count()).toBeGreaterThan(0);
    expect(await page.locator('#probe').innerText()).toContain(expected.toFixed(5));
    await screenshot(page, 'inspect');
    expect(problems).toEqual([]);
    await page.close();
  });

  /** The run both GPU modes train: lenet5, 64 examples in batches of 16, 6 epochs = 24 steps. */
  async function train(
    page: Page,
    backend: string,
    pauseOnce: boolean,
  ): Promise<{ losses: number[]; epochLosses: number[]; testAcc: number }> {
    await page.selectOption('#backend', backend);
    await page.selectOption('#model', 'lenet5');
    await page.fill('#lr', '0.1');
    await page.fill('#batch-size', '16');
    await page.fill('#train-examples', '64');
    await page.fill('#test-examples', '100');
    await page.fill('#epochs', '6');
    await page.click('#start');
    if (pauseOnce) {
      // Pause after a few steps: no step runs while paused; resume continues the same run.
      await page.waitForFunction(() => document.querySelectorAll('#train-log tbody tr').length >= 3, undefined, { timeout: 120_000 });
      await page.click('#pause');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#run-state')?.dataset.state === 'paused');
      const stepsWhenPaused = await page.locator('#train-log tbody tr').count();
      await page.waitForTimeout(1000);
      expect(await page.locator('#train-log tbody tr').count()).toBe(stepsWhenPaused);
      expect(await page.locator('#run-state').innerText()).toBe(`paused: paused after step ${stepsWhenPaused}`);
      await page.click('#resume');
    }
    await page.waitForFunction(
      () => ['done', 'failed', 'diverged'].includes(document.querySelector<HTMLElement>('#run-state')?.dataset.state ?? ''),
      undefined,
      { timeout: 240_000 },
    );
    expect(await page.locator('#run-state').innerText()).toBe('done: 24 steps in 6 epochs');
    return page.evaluate(() => ({
      losses: Array.from(document.querySelectorAll('#train-log tbody tr'), (row) => Number(row.children[2].textContent)),
      epochLosses: Array.from(document.querySelectorAll('#epoch-log tbody tr'), (row) => Number(row.children[1].textContent)),
      testAcc: Number(document.querySelector<HTMLElement>('#epoch-log')?.dataset.testAcc),
    }));
  }

  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  /** Each GPU mode's step losses, from the run above, for the webasm run to compare with. */
  const stepLosses = new Map<string, number[]>();

  describe.each([
    ['webgl2', /^#version 300 es/m, 'WebGL2Kernel'],
    ['webgpu', /@compute[\s\S]*fn main\(/, 'WebGPUKernel'],
  ] as const)('%s (SwiftShader)', (mode, shaderMarker, kernelClass) => {
    it(`trains lenet5 for 24 steps${mode === 'webgpu' ? ' (paused and resumed once)' : ''}: the loss goes down, the curves get every point, and the header names the mode that ran; the shaders are ${mode}'s`, async () => {
      const { page, problems } = await openPlayground();
      const started = Date.now();
      const run = await train(page, mode, mode === 'webgpu');
      stepLosses.set(mode, run.losses);
      console.info(
        `[docs] Playground ${mode}: 24 steps in ${((Date.now() - started) / 1000).toFixed(1)} s; step losses ${run.losses.map((l) => l.toFixed(3)).join(' ')}`,
      );
      const header = page.locator('#run-header');
      expect(await header.getAttribute('data-mode')).toBe(mode);
      expect(await header.innerText()).toContain(`GPU.js mode that ran: ${mode} (${kernelClass})`);
      expect(await header.getAttribute('data-device')).toMatch(/swiftshader/i);
      expect(run.losses.length).toBe(24);
      expect(run.losses.every(Number.isFinite)).toBe(true);
      expect(mean(run.losses.slice(-4))).toBeLessThan(mean(run.losses.slice(0, 4)));
      expect(run.epochLosses.length).toBe(6);
      expect(run.epochLosses[5]).toBeLessThan(run.epochLosses[0] - 0.05);
      expect(await page.locator('#loss-chart').getAttribute('data-points')).toBe('24');
      expect(await page.locator('#acc-chart').getAttribute('data-points')).toBe('24');
      expect(Number(await page.locator('#speed').getAttribute('data-examples-per-sec'))).toBeGreaterThan(0);
      await screenshot(page, `train-${mode}`);

      await page.click('#tab-shaders');
      expect(await page.locator('#shaders').getAttribute('data-mode')).toBe(mode);
      const shaders = await page.evaluate(() =>
        Object.fromEntries(
          Array.from(document.querySelectorAll<HTMLElement>('#shaders details'), (d) => [
            d.dataset.kernel ?? '',
            d.querySelector('code')?.textContent ?? '',
          ]),
        ),
      );
      expect(Object.keys(shaders).length).toBeGreaterThanOrEqual(5);
      for (const [kernel, source] of Object.entries(shaders)) expect(source, kernel).toMatch(shaderMarker);
      expect(Object.keys(shaders).some((kernel) => kernel.includes('onv2d'))).toBe(true);
      if (mode === 'webgl2') {
        await page
          .locator('#shaders details')
          .first()
          .evaluate((details) => details.setAttribute('open', ''));
        await screenshot(page, 'shaders');
      }

      // Look inside shows the weights being trained, computed on the same backend.
      await page.click('#tab-inspect');
      await page.waitForFunction(
        () => document.querySelector<HTMLElement>('#panel-inspect')?.dataset.source?.startsWith('training') === true,
      );
      const trainedMaps = await mapCanvases(page);
      expect(trainedMaps.C1).toEqual({ canvases: 6, drawn: 6 });
      const { probabilities } = await pageProbabilities(page);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);

      if (mode === 'webgl2') {
        // The downloaded weights: the evaluate command reads them and scores what the page showed.
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
        expect(download.suggestedFilename()).toBe('model.safetensors');
        const file = join(downloads, `${mode}-model.safetensors`);
        await download.saveAs(file);
        const { stdout } = await promisify(execFile)(process.execPath, [evaluateCli, '--checkpoint', file, '--backend', 'cpu'], {
          encoding: 'utf8',
        });
        expect(stdout).toContain('lenet5 after 6 epochs, on 100 fashion-mnist test examples');
        const accuracy = /test accuracy (\d\.\d+)/.exec(stdout)?.[1];
        expect(accuracy, stdout).toBe(run.testAcc.toFixed(4));
      }
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  it("trains lenet5 for 24 steps in webasm to webgl2's step losses, with the patched gpu.js's kernels, on one pool of worker threads (the page is cross-origin isolated)", async () => {
    if (!stepLosses.has('webgl2')) {
      // run alone: make the webgl2 run to compare with
      const { page } = await openPlayground();
      stepLosses.set('webgl2', (await train(page, 'webgl2', false)).losses);
      await page.close();
    }
    // trained on the page (?worker=off), where the watch sees the WebAssembly modules and workers;
    // the training worker's bundle is built from the same patched gpu.js by the same esbuild plugin
    const { page, problems } = await openPlayground(context, WATCH_WASM, '?worker=off');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const run = await train(page, 'webasm', false);
    console.info(`[docs] Playground webasm: step losses ${run.losses.map((l) => l.toFixed(3)).join(' ')}`);
    const header = page.locator('#run-header');
    expect(await header.getAttribute('data-mode')).toBe('webasm');
    expect(await header.innerText()).toContain('GPU.js mode that ran: webasm (WebAssemblyKernel)');
    expect(await header.getAttribute('data-threads')).toBe('on');
    expect(await header.innerText()).toMatch(/threads on: one pool of \d+ workers/);
    const reference = stepLosses.get('webgl2') ?? [];
    expect(run.losses.length).toBe(24);
    expect(reference.length).toBe(24);
    // the page shows each loss to 3 decimals; float32 sums in another order may round the last one apart
    run.losses.forEach((loss, step) => expect(Math.abs(loss - reference[step]), `step ${step + 1}`).toBeLessThanOrEqual(0.0011));
    // The patch's marks, seen from the page: one pool of at most a worker per core for every kernel
    // (released gpu.js starts a pool per threaded kernel: dozens of workers for this run), and
    // Math.exp computed in WebAssembly (released gpu.js imports it from JavaScript into every
    // kernel that calls it: the sigmoids, the softmax and the loss).
    const watched = await page.evaluate(() => ({
      workers: -1,
      modules: -1,
      mathImports: ['not watched'],
      ...window.lenetWatch,
      cores: navigator.hardwareConcurrency,
    }));
    expect(watched.workers, `${watched.workers} workers on ${watched.cores} cores`).toBeGreaterThanOrEqual(1);
    expect(watched.workers).toBeLessThanOrEqual(watched.cores);
    expect(watched.modules).toBeGreaterThanOrEqual(10);
    // the loss's Math.log is still imported, which shows the watch sees the imports
    expect(new Set(watched.mathImports)).toEqual(new Set(['math_log']));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says that webasm runs without threads, and why, where the page is not cross-origin isolated', async () => {
    const plainContext = await launchChromium({ webgpu: false });
    try {
      // the same site without the COOP and COEP headers
      await plainContext.context.route('**/*', async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await route.fulfill({ response, headers });
      });
      const { page, problems } = await openPlayground(plainContext.context, WATCH_WASM, '?worker=off');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      await page.selectOption('#backend', 'webasm');
      await page.selectOption('#model', 'lenet5');
      await page.fill('#batch-size', '16');
      await page.fill('#train-examples', '32');
      await page.fill('#epochs', '1');
      await page.click('#start');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#run-state')?.dataset.state === 'done', undefined, {
        timeout: 120_000,
      });
      const header = page.locator('#run-header');
      expect(await header.getAttribute('data-threads')).toBe('off');
      expect(await header.innerText()).toContain('threads off: this page is not cross-origin isolated (crossOriginIsolated === false)');
      expect(await header.innerText()).toContain('Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp');
      expect(await page.evaluate(() => window.lenetWatch?.workers)).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await plainContext.close();
    }
  });

  it('a NaN loss stops training and offers the last good weights and a lower learning rate', async () => {
    const { page, problems } = await openPlayground();
    await page.selectOption('#backend', 'webasm');
    await page.selectOption('#model', 'lenet5-modern');
    await page.fill('#lr', '1e30');
    await page.fill('#batch-size', '16');
    await page.fill('#train-examples', '64');
    await page.fill('#epochs', '2');
    await page.click('#start');
    await page.waitForFunction(
      () => ['done', 'failed', 'diverged'].includes(document.querySelector<HTMLElement>('#run-state')?.dataset.state ?? ''),
      undefined,
      { timeout: 120_000 },
    );
    expect(await page.locator('#run-state').getAttribute('data-state')).toBe('diverged');
    const message = await page.locator('#message').innerText();
    expect(message).toMatch(/Training stopped: the loss of step \d+ is NaN/);
    expect(message).toContain('Set the learning rate to 1e+29');
    await page.click('text=Use the last good weights');
    expect(await page.locator('#run-state').innerText()).toContain('last good weights');
    // The kept weights are finite: the network they give classifies a test image with probabilities.
    await page.click('#tab-inspect');
    await showTestImage(page, 1);
    const { probabilities } = await pageProbabilities(page);
    expect(probabilities.length).toBe(10);
    expect(probabilities.every(Number.isFinite), probabilities.join(', ')).toBe(true);
    // Reset brings the pretrained weights back.
    await page.click('#reset');
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#panel-inspect')?.dataset.source?.startsWith('pretrained') === true,
    );
    expect(await page.locator('#run-header').innerText()).toContain('weights: pretrained');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a corrupt weights file gets a message naming the file and the problem, and the page keeps working', async () => {
    const { page, problems } = await openPlayground();
    await page.setInputFiles('#load-weights', {
      name: 'broken.safetensors',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('this is not a safetensors file'),
    });
    await page.waitForSelector('#message[data-kind="corrupt-weights"]');
    const message = await page.locator('#message').innerText();
    expect(message).toContain('That weights file cannot be used: broken.safetensors:');
    expect(message).toMatch(/header length \d+ goes beyond the end of the file/);
    expect(await page.locator('#run-header').innerText()).toContain('pretrained');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the docs README's bundle table", () => {
  it('states the sizes of the bundle that was built (within 10 %)', () => {
    const report = JSON.parse(readFileSync(join(siteDir, 'playground', 'bundle-report.json'), 'utf8')) as {
      bytes: number;
      gzipBytes: number;
      bySource: Array<[string, number]>;
    };
    const readme = readFileSync(join(docsDir, 'README.md'), 'utf8');
    const table = /<!-- playground-bundle -->([\s\S]*?)<!-- \/playground-bundle -->/.exec(readme)?.[1] ?? '';
    const stated = (label: string): number[] =>
      (new RegExp(`\\| ${label}[^|]*\\| ([\\d, ]+) \\|`).exec(table)?.[1] ?? '').split(',').map((n) => Number(n.trim()));
    const kib = (bytes: number): number => bytes / 1024;
    const source = (name: string): number => kib(report.bySource.find(([s]) => s === name)?.[1] ?? Number.NaN);
    const close = (statedKib: number, actualKib: number, what: string): void => {
      expect(
        Math.abs(statedKib - actualKib) / actualKib,
        `${what}: README ${statedKib} KiB, built ${actualKib.toFixed(0)} KiB`,
      ).toBeLessThanOrEqual(0.1);
    };
    close(stated('`playground.js`')[0], kib(report.bytes), 'playground.js');
    close(stated('the same, gzip')[0], kib(report.gzipBytes), 'gzip');
    close(stated('of which gpu.js')[0], source('gpu.js'), 'gpu.js');
    close(stated('KaTeX')[0], source('katex'), 'KaTeX');
    close(stated('uPlot')[0], source('uplot'), 'uPlot');
    close(stated("the Playground's own code")[0], source('the Playground'), 'the Playground');
  });
});

describe('the Playground in a browser without WebGPU', () => {
  it('asking for webgpu says why it cannot run and which backends can', async () => {
    const plain = await launchChromium({ webgpu: false });
    try {
      const { page, problems } = await openPlayground(plain.context);
      await page.selectOption('#backend', 'webgpu');
      await page.click('#start');
      await page.waitForSelector('#message[data-unavailable="webgpu"]', { timeout: 30_000 });
      const message = await page.locator('#message').innerText();
      expect(message).toContain('GPU.js webgpu (WGSL) does not run in this browser.');
      expect(message).toMatch(/Why: .*no WebGPU adapter/);
      expect(message).toMatch(/This browser can run: GPU\.js webgl2 .*, GPU\.js webgl .*, GPU\.js webasm .*, GPU\.js cpu .*, backend-cpu/);
      expect(await page.locator('#message button').allInnerTexts()).toEqual([
        'Use webgl2',
        'Use webgl',
        'Use webasm',
        'Use cpu',
        'Use backend-cpu',
      ]);
      expect(await page.locator('#run-state').getAttribute('data-state')).toBe('ready');
      // Chromium warns "No available adapters." (a warning, not an error); no error of any kind.
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await plain.close();
    }
  });
});
