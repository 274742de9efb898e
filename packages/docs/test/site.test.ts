/**
 * Opens the built site in headless Chromium and checks what a learner sees: every guide renders, its
 * maths is typeset by KaTeX (no raw TeX left), its pictures load, and the numbers it shows are the
 * ones the code computes now.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Rng, conv2d, setBackend, tensor } from '@lenet/core';
import { MODEL_NAMES, getModelSpec, summary } from '@lenet/models';
import { CpuBackend } from '@lenet/backend-cpu';
import { serveDirectory, type RunningServer } from '../src/serve/static-server.js';
import { launchChromium } from './browser.js';

const docsDir = fileURLToPath(new URL('../', import.meta.url));
const siteDir = join(docsDir, 'site');
const templatesDir = join(docsDir, 'guides');

/** The guides' titles, read from the templates' front matter: the site must have a page for each. */
const guideTitles = readdirSync(templatesDir)
  .filter((file) => /^\d\d-.*\.md$/.test(file))
  .sort()
  .map((file) => {
    const match = /^---\ntitle: (.+)\n---/.exec(readFileSync(join(templatesDir, file), 'utf8'));
    if (match === null) throw new Error(`${file} has no "title:" front matter`);
    return match[1];
  });

let server: RunningServer;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
const pageUrls = new Map<string, string>();

beforeAll(async () => {
  if (!existsSync(join(siteDir, 'index.html'))) {
    throw new Error(`the site is not built (${siteDir}/index.html is missing): run \`npm run docs\` first`);
  }
  server = await serveDirectory(siteDir);
  ({ context, close: closeBrowser } = await launchChromium());
  const page = await context.newPage();
  await page.goto(server.url);
  // The navigation lists every document; map each guide title to its page. TypeDoc's script fills
  // it after the page loads (from assets/navigation.js): on a busy machine the page's own links to
  // the documents are there well before it, so wait for the navigation's.
  await page.waitForFunction(() => document.querySelectorAll('#tsd-nav-container a[href*="documents/"]').length > 0, undefined, {
    timeout: 30_000,
  });
  const links = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLAnchorElement>('a[href*="documents/"]'), (a) => [a.textContent?.trim() ?? '', a.href]),
  );
  for (const [text, href] of links) pageUrls.set(text, href);
  await page.close();
});

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

/** Opens a guide and fails on any page error or failed request. */
async function openGuide(title: string): Promise<Page> {
  const url = pageUrls.get(title);
  if (url === undefined)
    throw new Error(`no link to the guide "${title}" in the site's navigation (found: ${[...pageUrls.keys()].join(', ')})`);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  expect(problems, `loading ${title}`).toEqual([]);
  return page;
}

/** The TeX sources of every KaTeX formula on the page (KaTeX keeps them in a MathML annotation). */
async function texOnPage(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.katex annotation[encoding="application/x-tex"]'), (node) => node.textContent ?? ''),
  );
}

describe('the built documentation site', () => {
  it('has a page for every guide, in the order of the templates', () => {
    expect(guideTitles.length).toBeGreaterThanOrEqual(3);
    expect([...pageUrls.keys()].filter((title) => guideTitles.includes(title))).toEqual(guideTitles);
  });

  describe.each(guideTitles)('%s', (title) => {
    it('renders its headings and KaTeX maths, with no raw TeX or placeholders left', async () => {
      const page = await openGuide(title);
      const heading = await page.locator('.col-content h1').first().textContent();
      expect(heading?.trim().length).toBeGreaterThan(0);
      expect(await page.locator('.col-content .katex').count()).toBeGreaterThan(0);
      const text = await page.locator('.col-content').innerText();
      expect(text).not.toContain('$$');
      expect(text).not.toMatch(/KATEXMATH\d+X/);
      expect(text).not.toContain('gen:');
      // KaTeX's stylesheet is served, so the maths is laid out and not shown as flat text.
      const katexFont = await page.evaluate(() => getComputedStyle(document.querySelector('.katex') ?? document.body).fontFamily);
      expect(katexFont).toContain('KaTeX_Main');
      await page.close();
    });

    it('shows every display formula whole: none is cut off at the right edge of the text column', async () => {
      const page = await openGuide(title);
      await page.setViewportSize({ width: 1280, height: 900 });
      const clipped = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.col-content .katex-display'))
          .filter((display) => display.scrollWidth > display.clientWidth + 1)
          .map(
            (display) =>
              `${display.querySelector('annotation')?.textContent?.slice(0, 60) ?? '?'} (${display.scrollWidth} px in ${display.clientWidth} px)`,
          ),
      );
      expect(clipped).toEqual([]);
      await page.close();
    });

    it('loads every picture', async () => {
      const page = await openGuide(title);
      const images = await page.evaluate(async () => {
        const all = Array.from(document.querySelectorAll<HTMLImageElement>('.col-content img'));
        await Promise.all(
          all.map((img) =>
            img.complete
              ? Promise.resolve()
              : new Promise((done) => {
                  img.onload = img.onerror = done;
                }),
          ),
        );
        return all.map((img) => ({ src: img.src, width: img.naturalWidth }));
      });
      for (const image of images) expect(image.width, image.src).toBeGreaterThan(0);
      await page.close();
    });
  });

  it('shows the convolution worked example as the code computes it', async () => {
    setBackend(new CpuBackend());
    const z = await conv2d(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 3, 3]), tensor([0, 1, 2, 3], [1, 1, 2, 2])).data();
    const expected = `\\begin{bmatrix} ${z[0]} & ${z[1]} \\\\ ${z[2]} & ${z[3]} \\end{bmatrix}`;
    const page = await openGuide(guideTitles.find((title) => title.includes('Convolution')) ?? 'Convolution');
    const tex = await texOnPage(page);
    expect(
      tex.some((formula) => formula.includes(`\\star`) && formula.includes(expected)),
      `a formula with ${expected}`,
    ).toBe(true);
    await page.close();
  });

  it('draws the expression graph from the autograd graph (ops as nodes, shapes on edges)', async () => {
    const page = await openGuide(guideTitles.find((title) => title.includes('autograd')) ?? 'autograd');
    const svgUrl = await page.locator('.col-content img[src$="expression-graph.svg"]').getAttribute('src');
    expect(svgUrl).not.toBeNull();
    const svg = await (await page.request.get(new URL(svgUrl ?? '', page.url()).href)).text();
    for (const op of ['mul', 'add', 'sigmoid', 'sub', 'square']) expect(svg).toContain(`>${op}<`);
    expect(svg).toContain('[1]');
    await page.close();
  });

  it('shows the GLSL and WGSL that GPU.js generated for conv2d', async () => {
    const page = await openGuide(guideTitles.find((title) => title.includes('GPU.js')) ?? 'GPU.js');
    const code = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.col-content pre code'), (node) => node.textContent ?? ''),
    );
    const glsl = code.filter((text) => text.includes('void main') && text.includes('gl_FragData'));
    const wgsl = code.filter((text) => text.includes('@compute') && text.includes('fn main') && text.includes('global_invocation_id'));
    expect(glsl.length, 'a GLSL fragment shader with void main').toBeGreaterThan(0);
    expect(wgsl.length, 'a WGSL compute shader with @compute fn main').toBeGreaterThan(0);
    // Both shaders carry the body of the JavaScript kernel shown above them: its accumulator and loops.
    expect(code.some((text) => text.includes('function conv2dKernel'))).toBe(true);
    for (const shader of [...glsl, ...wgsl]) expect(shader).toContain('user_sum');
    await page.close();
  });

  it("shows each LeNet variant's summary table with the numbers the code computes", async () => {
    const page = await openGuide(guideTitles.find((title) => title.includes('LeNet-5')) ?? 'LeNet-5');
    const tables = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.col-content table'))
        .filter(
          (table) =>
            (table.querySelector('tr')?.textContent ?? '').includes('connections') &&
            (table.querySelector('tr')?.textContent ?? '').includes('output shape'),
        )
        .map((table) =>
          Array.from(table.querySelectorAll('tbody tr'), (row) =>
            Array.from(row.querySelectorAll('td'), (cell) => cell.textContent?.trim() ?? ''),
          ),
        ),
    );
    expect(tables.length).toBe(MODEL_NAMES.length);
    const count = (text: string): number => Number(text.replace(/[,*]/g, ''));
    const dims = (text: string): number[] => (text.match(/\d+/g) ?? []).map(Number);
    MODEL_NAMES.forEach((name, i) => {
      const spec = getModelSpec(name);
      const expected = summary(spec.build(new Rng(0)), [1, ...spec.exampleShape], { labels: spec.layerNames });
      const rows = tables[i];
      expect(rows.length, `${name}: one row per layer plus the total`).toBe(expected.rows.length + 1);
      expected.rows.forEach((row, r) => {
        const [index, layer, label, shape, parameters, connections] = rows[r];
        expect([index, layer, label], `${name} row ${r}`).toEqual([row.index, row.layer, row.label]);
        expect(dims(shape), `${name} row ${r} shape`).toEqual([...row.outputShape]);
        expect(count(parameters), `${name} row ${r} parameters`).toBe(row.parameters);
        expect(count(connections), `${name} row ${r} connections`).toBe(row.connections);
      });
      const total = rows[rows.length - 1];
      expect(count(total[4])).toBe(expected.totalParameters);
      expect(count(total[5])).toBe(expected.totalConnections);
    });
    // The published figures: d2l's LeNet has 61,706 parameters; LeCun's C1, C5 and F6 have 122,304, 48,120 and 10,164 connections.
    expect(count(tables[MODEL_NAMES.indexOf('lenet5')].at(-1)?.[4] ?? '')).toBe(61_706);
    const classic = tables[MODEL_NAMES.indexOf('lenet5-classic')];
    const connectionsOf = (label: string): number => count(classic.find((row) => row[2] === label)?.[5] ?? 'NaN');
    expect([connectionsOf('C1'), connectionsOf('C5'), connectionsOf('F6')]).toEqual([122_304, 48_120, 10_164]);
    await page.close();
  });

  it("shows the recorded run's curves and figures, and C1 and C3 feature maps as pictures", async () => {
    const lenetPage = await openGuide(guideTitles.find((title) => title.includes('LeNet-5')) ?? 'LeNet-5');
    const lenetImages = await lenetPage.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('.col-content img'), (img) => img.getAttribute('src') ?? ''),
    );
    for (const file of [
      'architecture-lenet5.svg',
      'architecture-lenet5-modern.svg',
      'architecture-lenet5-classic.svg',
      'input-image.png',
      'c1-maps.png',
      'c3-maps.png',
    ]) {
      expect(
        lenetImages.some((src) => src.endsWith(file)),
        file,
      ).toBe(true);
    }
    await lenetPage.close();
    const trainingPage = await openGuide(guideTitles.find((title) => title.includes('Training')) ?? 'Training');
    const curves = await trainingPage.locator('.col-content img[src$="training-curves.svg"]').count();
    expect(curves).toBe(1);
    const text = await trainingPage.locator('.col-content').innerText();
    expect(text).toMatch(/test accuracy \d+\.\d %/);
    expect(text).toContain('npm run train --');
    // The benchmark: a table of training throughput with backend-cpu as the baseline.
    const benchmarkHeaders = await trainingPage.evaluate(() =>
      Array.from(document.querySelectorAll('.col-content table tr:first-child'), (row) => row.textContent ?? ''),
    );
    expect(benchmarkHeaders.some((header) => header.includes('examples / s'))).toBe(true);
    expect(text).toContain('backend-cpu');
    await trainingPage.close();
  });

  it('keeps the training recipe one list of four steps, the loss formula inside step 3 (it once ended the list and ran step 4 into a paragraph)', async () => {
    const page = await openGuide(guideTitles.find((title) => title.includes('Training')) ?? 'Training');
    const steps = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.col-content ol')[0]?.children ?? [], (item) => ({
        tag: item.tagName,
        text: (item.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40),
        formulas: item.querySelectorAll('.katex-display').length,
      })),
    );
    expect(steps.map((step) => step.tag)).toEqual(['LI', 'LI', 'LI', 'LI']);
    expect(steps.map((step) => step.text.split(' ')[0])).toEqual(['Initialise', 'For', 'For', 'After']);
    expect(steps[2].formulas).toBe(1);
    await page.close();
  });

  it('links the guides to the Playground where they explain what it shows, and the links load', async () => {
    const expected: Array<[string, string]> = [
      ['Convolution', 'playground/index.html#probe'],
      ['LeNet-5', 'playground/index.html#inspect'],
      ['GPU.js', 'playground/index.html#shaders'],
      ['Training', 'playground/index.html#train'],
    ];
    for (const [guide, target] of expected) {
      const page = await openGuide(guideTitles.find((title) => title.includes(guide)) ?? guide);
      const links = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLAnchorElement>('.col-content a'), (a) => a.href));
      const link = links.find((href) => href.endsWith(target));
      expect(link, `${guide} links to ${target} (links: ${links.filter((href) => href.includes('playground')).join(', ')})`).toBeDefined();
      const response = await page.request.get(link ?? '');
      expect(response.status(), link).toBe(200);
      await page.close();
    }
  });

  it("opens with the platforms table (the lecture notes' platforms, the JavaScript peers, LeNet.ts) and says what LeNet.ts is for and not", async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.col-content table'))
        .filter((table) => (table.querySelector('tr')?.textContent ?? '').includes('platform'))
        .flatMap((table) => Array.from(table.querySelectorAll('tbody tr'), (row) => (row.querySelector('td')?.textContent ?? '').trim())),
    );
    expect(rows).toEqual([
      'TensorFlow',
      'Caffe',
      'JAX',
      'MXNet',
      'Torch / PyTorch',
      'PaddlePaddle',
      'MMDetection',
      'TensorFlow.js',
      'ConvNetJS',
      'brain.js',
      'LeNet.ts',
    ]);
    const text = await page.locator('.col-content').innerText();
    expect(text).toContain('What LeNet.ts is for, and what it is not');
    expect(text).toContain('quick to learn and flexible');
    const playground = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLAnchorElement>('.col-content a'), (a) => a.href).filter((href) =>
        href.endsWith('playground/index.html'),
      ),
    );
    expect(playground.length).toBeGreaterThan(0);
    await page.close();
  });

  it('leaves no raw TeX in any page, API reference included (doc comments are typeset too)', () => {
    const pages: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.html')) pages.push(path);
      }
    };
    walk(siteDir);
    expect(pages.length).toBeGreaterThan(20);
    const offenders = pages.filter((page) => {
      const text = readFileSync(page, 'utf8')
        .replace(/<pre[\s\S]*?<\/pre>/g, '')
        .replace(/<code[\s\S]*?<\/code>/g, '')
        .replace(/<annotation[\s\S]*?<\/annotation>/g, '');
      return text.includes('$$') || /KATEXMATH\d+X/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
