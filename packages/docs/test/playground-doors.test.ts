/**
 * Issue 20, the Playground's doors in Chromium: a weights file and a data file that fail the fuzz
 * property's parsers in Node (src/fuzz/doors.ts: `playground-weights`, `playground-idx-prefix`) fail
 * the same way in the page, and the page shows the Node error's message. The weights file is a
 * counterexample the fuzz kept (metadata nested hundreds deep); the data file is the test labels
 * cut short, served in place of the real ones.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeScratch } from '../src/fuzz/doors.js';
import { caseBytes } from '../src/fuzz/file-edits.js';
import { REGRESSIONS_DIR, type RegressionFile } from '../src/fuzz/regressions.js';
import { seedFiles } from '../src/fuzz/seed-files.js';
import { readIdxPrefix } from '../src/playground/data.js';
import { readWeightsBytes } from '../src/playground/weights.js';
import { type RunningServer, serveDirectory } from '../src/serve/static-server.js';
import { launchChromium } from './browser.js';

const siteDir = join(fileURLToPath(new URL('../', import.meta.url)), 'site');

let server: RunningServer;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  if (!existsSync(join(siteDir, 'playground', 'index.html'))) {
    throw new Error(`the Playground is not built (${siteDir}/playground/index.html is missing): run \`npm run docs\` first`);
  }
  server = await serveDirectory(siteDir);
  ({ context, close: closeBrowser } = await launchChromium());
});

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
  removeScratch();
});

/** The message a Node call throws (it must throw). */
async function nodeMessage(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('the Node parser accepted the broken file');
}

describe("the Playground's doors fail in the page as in Node", () => {
  it('a weights file the fuzz kept as a counterexample: the page shows the Node error, and keeps the pretrained weights', async () => {
    const regression = JSON.parse(readFileSync(join(REGRESSIONS_DIR, 'playground-weights-seed-1.json'), 'utf8')) as RegressionFile;
    const bytes = caseBytes(regression.counterexample, seedFiles().safetensors);
    const file = 'uploaded.safetensors';
    const expected = await nodeMessage(() => readWeightsBytes(bytes, file, 'lenet5'));
    expect(expected).toMatch(/^uploaded\.safetensors: metadata 'model' is \[{80}… \(566 characters\); metadata values must be strings$/);

    const page = await context.newPage();
    await page.goto(`${server.url}playground/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await page.setInputFiles('#load-weights', { name: file, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
    await page.waitForSelector('#message[data-kind="corrupt-weights"]');
    expect(await page.locator('#message').innerText()).toBe(`That weights file cannot be used: ${expected}`);
    expect(await page.locator('#run-header').innerText()).toContain('pretrained');
    await page.close();
  });

  it('test labels cut short: the page says what readIdxPrefix says in Node', async () => {
    const labels = seedFiles().idx[0];
    const cut = gzipSync(labels.bytes.subarray(0, 100));
    const url = `./data/${labels.name}`;
    const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
      start(controller) {
        controller.enqueue(new Uint8Array(cut));
        controller.close();
      },
    });
    const expected = await nodeMessage(() => readIdxPrefix(stream, url, 'labels', 10_000));
    expect(expected).toBe(`${url}: truncated: the header says 10000, but the file ends after 92 items`);

    const page = await context.newPage();
    await page.route(`**/playground/data/${labels.name}`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/gzip', body: Buffer.from(cut) }),
    );
    await page.goto(`${server.url}playground/`);
    await page.waitForSelector('#message:not([hidden])', { timeout: 60_000 });
    expect(await page.locator('#message').innerText()).toBe(`The Playground could not start: ${expected}`);
    await page.close();
  });
});
