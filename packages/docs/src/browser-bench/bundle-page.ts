/**
 * Builds the browser benchmark's site into a folder: the page bundled twice — with gpu.js from its
 * patched `src/` (as the Playground now is) and with gpu.js's prebuilt browser build (as the
 * Playground was) — an HTML page for each, tfjs-backend-wasm's `.wasm` files, and the batches.
 * @module
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { gpujsFromSource, gpujsSourceIsPatched } from '../generate/gpujs-from-source.js';

const PAGE_ENTRY = fileURLToPath(new URL('./page.js', import.meta.url));

/** The two pages: `index.html` (patched gpu.js) and `unpatched.html` (gpu.js's browser build). */
export const PAGES = { patched: 'index.html', unpatched: 'unpatched.html' } as const;

/** tfjs-backend-wasm's `dist/`, as `@lenet/models` resolves it. */
function tfjsWasmDir(): string {
  const models = createRequire(fileURLToPath(import.meta.resolve('@lenet/models')));
  return dirname(models.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

async function bundle(outfile: string, patched: boolean): Promise<void> {
  await build({
    entryPoints: [PAGE_ENTRY],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // as the Playground's: gpu.js parses kernels from their source text (gpujsFromSource keeps its class names)
    minifyWhitespace: true,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: patched ? [gpujsFromSource()] : [],
  });
}

/** Writes the site into `dir`. */
export async function buildBenchSite(dir: string): Promise<void> {
  if (!gpujsSourceIsPatched())
    throw new Error("bench:browser: gpu.js's src/ is not patched; run `npx patch-package` at the repository root");
  mkdirSync(join(dir, 'tfjs-wasm'), { recursive: true });
  await bundle(join(dir, 'bench.js'), true);
  await bundle(join(dir, 'bench-unpatched.js'), false);
  const html = (script: string): string =>
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>LeNet.ts browser benchmark</title></head><body><script type="module" src="./${script}"></script></body></html>\n`;
  writeFileSync(join(dir, PAGES.patched), html('bench.js'));
  writeFileSync(join(dir, PAGES.unpatched), html('bench-unpatched.js'));
  const wasmDir = join(tfjsWasmDir(), 'dist');
  for (const name of readdirSync(wasmDir).filter((file) => file.endsWith('.wasm')))
    copyFileSync(join(wasmDir, name), join(dir, 'tfjs-wasm', name));
}
