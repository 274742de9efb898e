/**
 * Builds the Playground into the site (`site/playground/`), after TypeDoc has written the rest:
 * esbuild bundles `dist/playground/main.js` — the packages' `dist`, `@lenet/models` through its
 * browser entry, `@lenet/backend-gpu` through its `browser` field (no Dawn, no headless-gl), and
 * gpu.js from its patched `src/` (see `gpujs-from-source.ts`), not its unpatched browser build — and
 * the build fails if a Node built-in or a Node-only module reaches the bundle, or if gpu.js's `src/`
 * is not patched. Next to the bundle go
 * the page, its stylesheets, Fashion-MNIST's four IDX files (the ones `@lenet/models` ships) and the
 * recorded run's `model.safetensors` as the pretrained weights.
 *
 * `node dist/generate/playground-bundle.js` (run by `npm run site` after TypeDoc).
 * @module
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DEFAULT_FASHION_MNIST_DIR, IDX_FILE_NAMES } from '@lenet/models';
import { DOCS_DIR, SITE_DIR } from './paths.js';
import { gpujsFromSource, gpujsSourceIsPatched } from './gpujs-from-source.js';
import { findRecordedRun } from './recorded-run.js';

/** Where the Playground goes inside the site. */
export const PLAYGROUND_DIR = join(SITE_DIR, 'playground');

/** What the bundle is made of, for the README and the test. */
export interface PlaygroundBundleReport {
  /** Bytes of `playground.js` (whitespace removed, not compressed). */
  readonly bytes: number;
  /** Bytes after gzip, as a server would send it. */
  readonly gzipBytes: number;
  /** Bytes per top-level source (a package, or the Playground's own code), largest first. */
  readonly bySource: ReadonlyArray<readonly [string, number]>;
}

/** Inputs that must never be in the browser bundle. */
const NODE_ONLY = [
  /^node:/,
  /node_modules\/(webgpu|gl)\//,
  /setup\/(webgpu|webgpu-probe|headlessgl)-node\.js$/,
  /models\/dist\/(cli|bench)\//,
  /models\/dist\/io\/(atomic-write|output-file|make-directory|file-system-error|safetensors-file)\.js$/,
  /models\/dist\/data\/(idx|image-classification-data|fashion-mnist|mnist|download|data-checksum)\.js$/,
  /models\/dist\/training\/(train|checkpoint|run-directory|run-store|optimizer-state)\.js$/,
];

function sourceOf(input: string): string {
  const scoped = /node_modules\/(@[^/]+\/[^/]+|[^/]+)\//.exec(input);
  if (scoped !== null) return scoped[1];
  const packageDir = /packages\/([^/]+)\//.exec(input);
  if (packageDir !== null) return packageDir[1] === 'docs' ? 'the Playground' : `@lenet/${packageDir[1]}`;
  return input;
}

/** Bundles the Playground and copies its files into `site/playground/`. */
export async function buildPlayground(): Promise<PlaygroundBundleReport> {
  mkdirSync(join(PLAYGROUND_DIR, 'data'), { recursive: true });
  mkdirSync(join(PLAYGROUND_DIR, 'pretrained'), { recursive: true });
  if (!gpujsSourceIsPatched()) {
    throw new Error(
      "playground bundle: gpu.js's src/ is not patched (patches/gpu.js+2.24.1.patch); run `npx patch-package` at the repository root (npm ci runs it)",
    );
  }
  const result = await build({
    // the page, and the worker it trains in (src/playground/training-worker.ts)
    entryPoints: {
      playground: join(DOCS_DIR, 'dist', 'playground', 'main.js'),
      'training-worker': join(DOCS_DIR, 'dist', 'playground', 'training-worker.js'),
    },
    outdir: PLAYGROUND_DIR,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // Whitespace only: gpu.js parses each kernel's source text, and minifying syntax rewrites it
    // (`if (a) b` → `a && b`, which GLSL rejects); identifiers keep their names for the same reason
    // and because the shader view finds kernels by their function names.
    minifyWhitespace: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [gpujsFromSource()],
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((input) => !input.startsWith('(disabled)') && NODE_ONLY.some((pattern) => pattern.test(input)));
  if (forbidden.length > 0) throw new Error(`playground bundle: Node-only modules reached the browser bundle: ${forbidden.join(', ')}`);
  const output = result.outputFiles.find((file) => file.path.endsWith('playground.js'));
  const worker = result.outputFiles.find((file) => file.path.endsWith('training-worker.js'));
  if (output === undefined || worker === undefined)
    throw new Error('playground bundle: esbuild wrote no playground.js or training-worker.js');
  writeFileSync(join(PLAYGROUND_DIR, 'playground.js'), output.contents);
  writeFileSync(join(PLAYGROUND_DIR, 'training-worker.js'), worker.contents);

  const require = createRequire(import.meta.url);
  copyFileSync(join(DOCS_DIR, 'playground', 'index.html'), join(PLAYGROUND_DIR, 'index.html'));
  copyFileSync(join(DOCS_DIR, 'playground', 'playground.css'), join(PLAYGROUND_DIR, 'playground.css'));
  copyFileSync(require.resolve('uplot/dist/uPlot.min.css'), join(PLAYGROUND_DIR, 'uPlot.min.css'));
  for (const name of Object.values(IDX_FILE_NAMES)) copyFileSync(join(DEFAULT_FASHION_MNIST_DIR, name), join(PLAYGROUND_DIR, 'data', name));
  copyFileSync(findRecordedRun().checkpoint, join(PLAYGROUND_DIR, 'pretrained', 'model.safetensors'));

  const bySource = new Map<string, number>();
  const outputMeta = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('playground.js'))?.[1];
  if (outputMeta === undefined) throw new Error('playground bundle: esbuild reported no playground.js');
  for (const [input, { bytesInOutput }] of Object.entries(outputMeta.inputs)) {
    const source = sourceOf(input);
    bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
  }
  const { gzipSync } = await import('node:zlib');
  const report: PlaygroundBundleReport = {
    bytes: output.contents.length,
    gzipBytes: gzipSync(output.contents).length,
    bySource: [...bySource].sort((a, b) => b[1] - a[1]),
  };
  writeFileSync(join(PLAYGROUND_DIR, 'bundle-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const report = await buildPlayground();
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
  console.log(
    `playground: ${relative(process.cwd(), join(PLAYGROUND_DIR, 'playground.js'))} ${kib(report.bytes)} (${kib(report.gzipBytes)} gzip) in ${Date.now() - started} ms; ` +
      report.bySource
        .slice(0, 6)
        .map(([source, bytes]) => `${source} ${kib(bytes)}`)
        .join(', '),
  );
}
