/**
 * The Playground's training worker and what it shows while it learns, in headless Chromium:
 * 1. in webasm, webgpu (SwiftShader) and webgl2 (OffscreenCanvas) the run trains in a worker, which
 *    reports the mode and device that ran; the longest main-thread task during its 24 steps is
 *    ≤ 50 ms (PerformanceObserver 'longtask'); the views inside the network change between two
 *    updates, and their numbers are checked: the output's ∂L/∂z is softmax − one-hot of the label;
 * 2. a learning rate changed during a run reaches the next steps' reports and the weights (lr 0:
 *    the filters stop moving), and the curves mark the step;
 * 3. One step changes the weights exactly as one step of the library's training loop from the same
 *    state in Node on backend-cpu;
 * 4. the formula table has every tensor within 1e-4 of backend-cpu, and flags a wrong conv2d kernel;
 *    the finite-difference check agrees with backpropagation;
 * 5. the test gallery and the confusion matrix after an epoch;
 * 6. the views' cost: examples/s with the views on and off (written to media/ with the screenshots).
 * With LENET_DOCS_SCREENSHOTS=1 it writes the screenshots and the views' cost file the docs README shows.
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { CpuBackend } from '@lenet/backend-cpu';
import { nn, optim, setBackend } from '@lenet/core';
import { initialModel, loadFashionMnist, readCheckpoint, trainingLoop } from '@lenet/models';
import { serveDirectory, type RunningServer } from '../src/serve/static-server.js';
import { launchChromium } from './browser.js';
import { fillSmallRun, openPlaygroundPage, waitForRunEnd } from './playground-page.js';

const docsDir = fileURLToPath(new URL('../', import.meta.url));
const siteDir = join(docsDir, 'site');
const mediaDir = process.env.LENET_DOCS_SCREENSHOTS === '1' ? join(docsDir, 'media') : null;

let server: RunningServer;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let downloads: string;

beforeAll(async () => {
  if (!existsSync(join(siteDir, 'playground', 'training-worker.js'))) {
    throw new Error(`the Playground is not built (${siteDir}/playground/training-worker.js is missing): run \`npm run docs\` first`);
  }
  server = await serveDirectory(siteDir);
  ({ context, close: closeBrowser } = await launchChromium({ webgpu: true }));
  downloads = mkdtempSync(join(tmpdir(), 'lenet-playground-worker-'));
  if (mediaDir !== null) mkdirSync(mediaDir, { recursive: true });
});

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
  if (downloads !== undefined) rmSync(downloads, { recursive: true, force: true });
});

async function screenshot(page: Page, name: string): Promise<void> {
  if (mediaDir !== null) await page.screenshot({ path: join(mediaDir, `playground-${name}.png`), fullPage: true });
}

/** Starts recording main-thread long tasks (PerformanceObserver 'longtask'); returns their durations so far when asked. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const durations: number[] = [];
    Reflect.set(window, 'longTasks', durations);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) durations.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
}

async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const found: unknown = Reflect.get(window, 'longTasks');
    return Array.isArray(found) ? found.map(Number) : [];
  });
}

/** The numbers of the latest view inside the network. */
interface ViewNumbers {
  step: number;
  batchSize: number;
  label: number;
  probabilities: number[];
  outputGradient: number[];
  c1GradientNorm: number;
  c1ActivationNorm: number;
  c1FilterNorm: number;
  histogramCounts: number;
}

/** Waits for a view whose every block is drawn (the layers' step is the caption's) and reads it. */
async function viewNumbers(page: Page): Promise<ViewNumbers> {
  const handle = await page.waitForFunction(
    () => {
      const caption = document.querySelector<HTMLElement>('#inside-caption');
      const layers = document.querySelector<HTMLElement>('#inside-layers');
      if (caption?.dataset.step === undefined || layers?.dataset.step !== caption.dataset.step) return null;
      const output = layers.querySelector<HTMLElement>('.layer:last-child');
      const c1 = layers.querySelector<HTMLElement>('.layer[data-layer="C1"]');
      const filter = document.querySelector<HTMLElement>('#filters .layer[data-layer="C1"]');
      const counts = Array.from(document.querySelectorAll<HTMLElement>('#histograms figure'), (figure) =>
        (figure.dataset.counts ?? '').split(',').reduce((sum, count) => sum + Number(count), 0),
      );
      return {
        step: Number(caption.dataset.step),
        label: Number(caption.dataset.label),
        batchSize: Number(caption.dataset.batchSize),
        probabilities: (caption.dataset.probabilities ?? '').split(',').map(Number),
        outputGradient: (output?.dataset.gradient ?? '').split(',').map(Number),
        c1GradientNorm: Number(c1?.dataset.gradientNorm),
        c1ActivationNorm: Number(c1?.dataset.activationNorm),
        c1FilterNorm: Number(filter?.dataset.weightNorm),
        histogramCounts: counts.reduce((a, b) => a + b, 0),
      };
    },
    undefined,
    { timeout: 120_000 },
  );
  return (await handle.jsonValue()) as ViewNumbers;
}

/** Checks one view's numbers: ∂L/∂z of the first example's logits, for L the batch's mean cross-entropy, is (softmax(z) − one-hot(label)) / N. */
function checkView(view: ViewNumbers): void {
  expect(view.probabilities.length).toBe(10);
  expect(view.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  expect(view.outputGradient.length).toBe(10);
  view.outputGradient.forEach((gradient, c) =>
    expect(Math.abs(gradient - (view.probabilities[c] - (c === view.label ? 1 : 0)) / view.batchSize), `class ${c}`).toBeLessThanOrEqual(
      1e-6,
    ),
  );
  expect(view.c1GradientNorm).toBeGreaterThan(0);
  expect(view.c1ActivationNorm).toBeGreaterThan(0);
  // lenet5's weights: 150 + 2,400 + 48,000 + 10,080 + 840 values, each in a histogram twice (w and ∂L/∂w)
  expect(view.histogramCounts).toBe(2 * (150 + 2400 + 48000 + 10080 + 840));
}

describe('training in a Web Worker', () => {
  describe.each([
    ['webasm', 'WebAssemblyKernel', /WebAssembly/],
    ['webgpu', 'WebGPUKernel', /swiftshader/i],
    ['webgl2', 'WebGL2Kernel', /swiftshader/i],
  ] as const)('%s', (mode, kernelClass, device) => {
    it('trains 24 steps in the worker (which names the mode and device), the page has no task over 50 ms, and the views of the network change and add up', async () => {
      const { page, problems } = await openPlaygroundPage(context, server.url);
      await fillSmallRun(page, mode);
      await watchLongTasks(page);
      await page.click('#start');
      const first = await viewNumbers(page);
      await page.waitForFunction(
        (step) => Number(document.querySelector<HTMLElement>('#inside-caption')?.dataset.step) > step,
        first.step,
        {
          timeout: 120_000,
        },
      );
      const second = await viewNumbers(page);
      expect(await waitForRunEnd(page)).toBe('done');
      const tasks = await longTasks(page);
      const header = page.locator('#run-header');
      expect(await header.getAttribute('data-where')).toBe('worker');
      expect(await header.getAttribute('data-mode')).toBe(mode);
      expect(await header.innerText()).toContain(`GPU.js mode that ran: ${mode} (${kernelClass})`);
      expect(await header.innerText()).toContain('trains in: a Web Worker');
      expect(await header.getAttribute('data-device')).toMatch(device);
      expect(await page.locator('#train-log tbody tr').count()).toBe(24);
      console.info(
        `[docs] Playground worker ${mode}: longest main-thread task ${Math.max(0, ...tasks).toFixed(0)} ms (${tasks.length} over 50 ms)`,
      );
      expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')}`).toBeLessThanOrEqual(50);
      checkView(first);
      checkView(second);
      expect(second.step).toBeGreaterThan(first.step);
      expect(second.c1FilterNorm).not.toBe(first.c1FilterNorm);
      expect(second.c1GradientNorm).not.toBe(first.c1GradientNorm);
      if (mode === 'webgl2') {
        await page.click('#tab-inside');
        await screenshot(page, 'inside');
      }
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});

/** The epochs' mean examples/s of the run on the page (from the epoch table). */
async function meanExamplesPerSec(page: Page): Promise<number> {
  const speeds = await page.evaluate(() =>
    Array.from(document.querySelectorAll('#epoch-log tbody tr'), (row) => Number(row.children[4].textContent)),
  );
  return speeds.reduce((a, b) => a + b, 0) / speeds.length;
}

describe('controls while it trains', () => {
  it('a learning rate changed during a run (80 steps) reaches the next steps and the weights (lr 1e-9: the filters all but stop), the curves mark it; the gallery and confusion matrix follow each epoch', async () => {
    const { page, problems } = await openPlaygroundPage(context, server.url);
    await fillSmallRun(page, 'webasm', { trainExamples: 640, epochs: 2 });
    await page.click('#start');
    const before = await viewNumbers(page);
    await page.waitForFunction((step) => Number(document.querySelector<HTMLElement>('#inside-caption')?.dataset.step) > step, before.step, {
      timeout: 120_000,
    });
    const beforeLater = await viewNumbers(page);
    await page.fill('#lr', '1e-9');
    await page.dispatchEvent('#lr', 'change');
    await page.waitForSelector('#hyper-log li', { state: 'attached', timeout: 60_000 });
    const changedAt = Number(await page.locator('#hyper-log li').first().getAttribute('data-step'));
    // two views after the change: the same filters (lr 0 moves nothing)
    await page.waitForFunction((step) => Number(document.querySelector<HTMLElement>('#inside-caption')?.dataset.step) > step, changedAt, {
      timeout: 120_000,
    });
    const afterChange = await viewNumbers(page);
    await page.waitForFunction(
      (step) => Number(document.querySelector<HTMLElement>('#inside-caption')?.dataset.step) > step,
      afterChange.step,
      {
        timeout: 120_000,
      },
    );
    const later = await viewNumbers(page);
    expect(await waitForRunEnd(page)).toBe('done');
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#train-log tbody tr'), (row) => Number(row.dataset.lr)),
    );
    expect(rows.length).toBe(80);
    expect(changedAt).toBeGreaterThanOrEqual(4);
    rows.forEach((lr, i) => expect(lr, `step ${i + 1}`).toBe(i + 1 < changedAt ? 0.1 : 1e-9));
    expect(await page.locator('#hyper-log li').first().getAttribute('data-lr')).toBe('1e-9');
    expect(await page.locator('#hyper-chart').getAttribute('data-points')).toBe('80');
    expect(later.step).toBeGreaterThan(afterChange.step);
    // C1's filters moved at lr 0.1 and (all but) stopped at lr 1e-9
    const moved = (a: ViewNumbers, b: ViewNumbers): number => Math.abs(b.c1FilterNorm - a.c1FilterNorm) / a.c1FilterNorm;
    expect(moved(before, beforeLater)).toBeGreaterThan(2e-6);
    expect(moved(afterChange, later)).toBeLessThan(1e-7);
    checkView(before);
    checkView(later);
    // the gallery: the first 100 test images (the evaluation's first rows), each marked right or wrong by its top class (drawn a few per task: the matrix comes last)
    await page.waitForSelector('#confusion[data-epoch="2"]', { state: 'attached', timeout: 60_000 });
    const gallery = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#gallery figure'), (figure) => ({
        label: Number(figure.dataset.label),
        predicted: Number(figure.dataset.predicted),
        wrong: figure.classList.contains('wrong'),
        top3: (figure.dataset.top3 ?? '').split(',').map(Number),
      })),
    );
    expect(gallery.length).toBe(100);
    for (const image of gallery) {
      expect(image.wrong).toBe(image.predicted !== image.label);
      expect(image.top3.length).toBe(3);
      expect(image.top3[0]).toBeGreaterThanOrEqual(image.top3[1]);
    }
    expect(await page.locator('#confusion').getAttribute('data-epoch')).toBe('2');
    expect(await page.locator('#confusion').getAttribute('data-total')).toBe('100');
    await page.click('#tab-gallery');
    await screenshot(page, 'gallery');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('One step changes the weights exactly as one step of the training loop from the same state in Node (backend-cpu)', async () => {
    const { page, problems } = await openPlaygroundPage(context, server.url);
    await fillSmallRun(page, 'backend-cpu');
    await page.click('#one-step');
    await page.waitForSelector('#download[data-weights-at-step="1"]', { state: 'attached', timeout: 120_000 });
    expect(await page.locator('#run-state').innerText()).toBe('paused: paused after step 1');
    expect(await page.locator('#train-log tbody tr').count()).toBe(1);
    expect(await page.locator('#run-header').getAttribute('data-where')).toBe('worker');
    // its view: the step's batch of 16 and its loss, the step's own
    const view = await viewNumbers(page);
    expect(view.step).toBe(1);
    const stepLoss = Number(await page.locator('#train-log tbody tr td').nth(2).textContent());
    expect(Number(await page.locator('#inside-caption').getAttribute('data-loss'))).toBeCloseTo(stepLoss, 4);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const file = join(downloads, 'one-step.safetensors');
    await download.saveAs(file);
    const shown = readCheckpoint(file).tensors;

    setBackend(new CpuBackend());
    const model = initialModel({ model: 'lenet5', seed: 1 });
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0 });
    const stop = new AbortController();
    const loop = trainingLoop({
      model,
      optimizer,
      data: loadFashionMnist(),
      settings: { seed: 1, batchSize: 16, trainExamples: 64, testExamples: 100 },
      epochs: 6,
      stepMode: 'compiled',
      beforeStep: ({ step }) => {
        if (step === 2) stop.abort();
      },
      signal: stop.signal,
    });
    for await (const report of loop) if (report.kind === 'interrupted') expect(report.step).toBe(1);
    const expected = await nn.readStateDict(model.namedStateTensors());
    expect([...shown.keys()]).toEqual([...expected.keys()]);
    for (const [name, { data }] of expected) expect(Array.from(shown.get(name)?.data ?? []), name).toEqual(Array.from(data));
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('formula next to kernel', () => {
  async function oneStepAndCompare(page: Page): Promise<Array<{ tensor: string; relative: number; flagged: boolean }>> {
    await fillSmallRun(page, 'webgl2');
    await page.click('#one-step');
    await page.waitForSelector('#download[data-weights-at-step="1"]', { state: 'attached', timeout: 120_000 });
    await page.click('#tab-inside');
    await page.click('#compare');
    await page.waitForSelector('#formula-table[data-step]', { state: 'attached', timeout: 120_000 });
    return page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#formula-table tbody tr'), (row) => ({
        tensor: row.dataset.tensor ?? '',
        relative: Number(row.dataset.relative),
        flagged: row.classList.contains('flagged'),
      })),
    );
  }

  it("webgl2's every activation and gradient is within 1e-4 of backend-cpu's formula; finite differences agree with backpropagation", async () => {
    const { page, problems } = await openPlaygroundPage(context, server.url);
    const rows = await oneStepAndCompare(page);
    // lenet5: 12 layers (a and ∂L/∂a each) and 10 parameters (∂L/∂w)
    expect(rows.length).toBe(2 * 12 + 10);
    for (const row of rows) {
      expect(row.relative, row.tensor).toBeLessThanOrEqual(1e-4);
      expect(row.flagged, row.tensor).toBe(false);
    }
    await page.selectOption('#gradcheck-parameter', '0.weight');
    await page.fill('#gradcheck-indices', '0, 7, 24');
    await page.click('#gradcheck');
    await page.waitForFunction(() => document.querySelectorAll('#gradcheck-table tbody tr').length === 3, undefined, { timeout: 60_000 });
    const checks = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#gradcheck-table tbody tr'), (row) => [
        Number(row.dataset.backprop),
        Number(row.dataset.finiteDifference),
      ]),
    );
    for (const [backprop, finiteDifference] of checks)
      expect(Math.abs(backprop - finiteDifference), `${backprop} vs ${finiteDifference}`).toBeLessThanOrEqual(
        0.05 * Math.abs(finiteDifference) + 2e-5,
      );
    await screenshot(page, 'formula-table');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the same table flags a deliberately wrong conv2d kernel (filters scaled by 1.01)', async () => {
    const { page, problems } = await openPlaygroundPage(context, server.url, '?wrong-kernel=conv2d');
    const rows = await oneStepAndCompare(page);
    const c1 = rows.find((row) => row.tensor === 'C1 a');
    expect(c1?.flagged).toBe(true);
    expect(c1?.relative).toBeGreaterThan(1e-3);
    expect(Number(await page.locator('#formula-table').getAttribute('data-flagged'))).toBeGreaterThan(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the views' cost", () => {
  it('examples/s with the views inside the network on and off (webasm, 24 steps each)', async () => {
    const speeds: Record<string, number> = {};
    for (const views of ['on', 'off'] as const) {
      const { page, problems } = await openPlaygroundPage(context, server.url);
      await fillSmallRun(page, 'webasm', { trainExamples: 128, epochs: 3 });
      if (views === 'off') await page.uncheck('#views-on');
      await page.click('#start');
      expect(await waitForRunEnd(page)).toBe('done');
      speeds[views] = await meanExamplesPerSec(page);
      expect(problems).toEqual([]);
      await page.close();
    }
    const slowdown = 1 - speeds.on / speeds.off;
    console.info(
      `[docs] Playground views' cost (webasm): ${speeds.on.toFixed(1)} examples/s on, ${speeds.off.toFixed(1)} off: ${(slowdown * 100).toFixed(1)} % slower`,
    );
    expect(speeds.on).toBeGreaterThan(0);
    expect(speeds.off).toBeGreaterThan(0);
    if (mediaDir !== null) {
      const result = {
        mode: 'webasm',
        browser: 'headless Chromium',
        steps: 24,
        batchSize: 16,
        examplesPerSecViewsOn: speeds.on,
        examplesPerSecViewsOff: speeds.off,
        slowdown,
      };
      writeFileSync(join(mediaDir, 'playground-views-cost.json'), `${JSON.stringify(result, null, 2)}\n`);
    }
  });
});

describe("the docs README's figure of the views' cost", () => {
  it("is the committed result file's (media/playground-views-cost.json)", () => {
    const result = JSON.parse(readFileSync(join(docsDir, 'media', 'playground-views-cost.json'), 'utf8')) as {
      examplesPerSecViewsOn: number;
      examplesPerSecViewsOff: number;
      slowdown: number;
    };
    const readme = readFileSync(join(docsDir, 'README.md'), 'utf8');
    const stated =
      /<!-- views-cost -->[\s\S]*?\*\*([\d.]+) examples\/s with the views, ([\d.]+) without, ([\d.]+) % slower\*\*<!-- \/views-cost -->/.exec(
        readme,
      );
    expect(stated, 'the README has no views-cost figure').not.toBeNull();
    expect(Number(stated?.[1])).toBe(Number(result.examplesPerSecViewsOn.toFixed(1)));
    expect(Number(stated?.[2])).toBe(Number(result.examplesPerSecViewsOff.toFixed(1)));
    expect(Number(stated?.[3])).toBe(Number((result.slowdown * 100).toFixed(1)));
  });
});
