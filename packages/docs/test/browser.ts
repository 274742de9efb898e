/**
 * Headless Debian Chromium through playwright-core, with the flags this machine needs (no sandbox as
 * root, no background networking on a closed network) and a fresh profile each run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The browser the site test drives; override with LENET_CHROMIUM. */
export const CHROMIUM_PATH = process.env.LENET_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A headless Chromium context and how to close it (and remove its profile). `webgpu: true` adds
 * `--enable-unsafe-webgpu`, which gives headless Chromium a WebGPU adapter (SwiftShader); without it
 * the browser has no WebGPU, as the Playground's missing-mode test needs.
 */
export async function launchChromium(options: { webgpu?: boolean } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'lenet-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.webgpu === true ? ['--enable-unsafe-webgpu'] : []),
    ],
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
