/**
 * An esbuild plugin that bundles gpu.js from its `src/` — the files the repository's patch
 * (`patches/gpu.js+2.24.1.patch`, applied by patch-package at install) changes — instead of the
 * prebuilt browser build that gpu.js's `browser` field names (`dist/gpu-browser.js`, unpatched).
 * Without it, webasm in a browser runs gpu.js's kernels as released: every read of a convolution a
 * four-lane gather, `Math.exp` a call into JavaScript per value, and one worker pool per kernel.
 *
 * What gpu.js's own browser build does, done the same way here:
 * - its entry is `src/browser.js` (the `GPU` class with the library's parts as statics, bound to
 *   `window.GPU` and `self.GPU` unless a gpu.js is there already);
 * - `gl` (headless-gl), `os` and `worker_threads`, which only its Node paths use, become empty
 *   modules (its build aliases them to `empty-module`); every use of them is guarded (`try`, or
 *   `typeof Worker` picks the browser's workers);
 * - acorn and gpu-mock.js are bundled from `node_modules`, as there;
 * - its classes keep their names: gpu.js's `src/` has classes of the same name in several files,
 *   which a bundler renames apart (`_WebAssemblyKernel`), and `@lenet/backend-gpu` checks the mode
 *   that ran by the kernel's class name. Each of gpu.js's files is compiled with esbuild's
 *   `keepNames` (its own small `__name` helper inside the file), not the whole bundle: a bundle-wide
 *   `keepNames` also rewrites code that other libraries ship to workers as source text
 *   (TensorFlow.js-wasm's threaded factory), where the helper does not exist.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, transformSync } from 'esbuild';

/** What gpu.js's browser build replaces with an empty module. */
const NODE_ONLY_REQUIRES = /^(gl|os|worker_threads)$/;

/** gpu.js's package folder, as `@lenet/backend-gpu` resolves it. */
export function gpujsPackageDir(): string {
  // @lenet/backend-gpu exports an ES module only, so import.meta.resolve (not require.resolve) finds it
  const backendGpu = createRequire(fileURLToPath(import.meta.resolve('@lenet/backend-gpu')));
  return dirname(backendGpu.resolve('gpu.js/package.json'));
}

/**
 * Whether the patch is in gpu.js's `src/`: its WebAssembly kernel emits `Math.exp` itself
 * (`_emitNativeExp`), which released gpu.js does not. The Playground's build refuses to bundle an
 * unpatched `src/` (a `npm install` without its `postinstall`), which would lose the speed silently.
 */
export function gpujsSourceIsPatched(packageDir: string = gpujsPackageDir()): boolean {
  return readFileSync(join(packageDir, 'src', 'backend', 'web-assembly', 'kernel.js'), 'utf8').includes('_emitNativeExp');
}

/** The plugin: `import … from 'gpu.js'` bundles `src/browser.js`, with gpu.js's Node-only requires emptied. */
export function gpujsFromSource(packageDir: string = gpujsPackageDir()): Plugin {
  const sourceDir = join(packageDir, 'src');
  return {
    name: 'gpu.js-from-source',
    setup(build) {
      build.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: join(sourceDir, 'browser.js') }));
      build.onResolve({ filter: NODE_ONLY_REQUIRES }, (args) =>
        args.importer.startsWith(sourceDir) ? { path: args.path, namespace: 'gpu.js-empty' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'gpu.js-empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      build.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(sourceDir)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        return { contents: transformSync(source, { loader: 'js', keepNames: true, sourcefile: args.path }).code, loader: 'js' };
      });
    },
  };
}
