/**
 * The Playground opened in headless Chromium as the tests use it: the page, and every console
 * error, page error, failed request and HTTP error seen on it (the tests expect none).
 * @module
 */
import type { BrowserContext, Page } from 'playwright-core';

/** The page and the problems seen on it. */
export interface OpenPage {
  readonly page: Page;
  readonly problems: string[];
}

/**
 * Opens `playground/` of `serverUrl` (plus `query`) and waits until it is ready; `beforeScripts`
 * runs in the page before its own scripts (a test's watch on WebAssembly, say).
 */
export async function openPlaygroundPage(
  context: BrowserContext,
  serverUrl: string,
  query = '',
  beforeScripts?: () => void,
): Promise<OpenPage> {
  const page = await context.newPage();
  if (beforeScripts !== undefined) await page.addInitScript(beforeScripts);
  await page.setViewportSize({ width: 1280, height: 900 });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The page stops reading a data file once it has the examples it needs: that download is
    // aborted on purpose (see src/playground/data.ts). Any other failed request is a problem.
    const aborted =
      request.failure()?.errorText === 'net::ERR_ABORTED' &&
      /\/playground\/data\/train-(images-idx3|labels-idx1)-ubyte\.gz$/.test(request.url());
    if (!aborted) problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'no reason'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${serverUrl}playground/${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const message = page.locator('#message');
  if (!(await message.isHidden())) problems.push(`message on opening: ${await message.innerText()}`);
  return { page, problems };
}

/** Fills the settings form for a small lenet5 run on `backend`. */
export async function fillSmallRun(
  page: Page,
  backend: string,
  run: { lr?: number; batchSize?: number; trainExamples?: number; testExamples?: number; epochs?: number } = {},
): Promise<void> {
  await page.selectOption('#backend', backend);
  await page.selectOption('#model', 'lenet5');
  await page.fill('#lr', String(run.lr ?? 0.1));
  await page.fill('#momentum', '0');
  await page.fill('#batch-size', String(run.batchSize ?? 16));
  await page.fill('#train-examples', String(run.trainExamples ?? 64));
  await page.fill('#test-examples', String(run.testExamples ?? 100));
  await page.fill('#epochs', String(run.epochs ?? 6));
}

/** Waits until the run is over and returns its state. */
export async function waitForRunEnd(page: Page, timeout = 240_000): Promise<string> {
  await page.waitForFunction(
    () => ['done', 'failed', 'diverged'].includes(document.querySelector<HTMLElement>('#run-state')?.dataset.state ?? ''),
    undefined,
    { timeout },
  );
  return (await page.locator('#run-state').getAttribute('data-state')) ?? '';
}
