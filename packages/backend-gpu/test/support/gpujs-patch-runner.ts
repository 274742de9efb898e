/**
 * Runs a check of gpu.js's patch in a child process with a time limit, against the installed
 * (patched) gpu.js or against a temporary copy with the patch reverse-applied. A child process,
 * because a kernel's WebAssembly runs synchronously: a loop that never ends without the patch
 * cannot be stopped by vitest's timeout, only by killing its process.
 * @module
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deserialize } from 'node:v8';
import type { PatchCheck } from './gpujs-patch-checks.js';
import { PACKAGE_ROOT } from './run-node.js';

const REPOSITORY_ROOT = join(PACKAGE_ROOT, '..', '..');

/** The installed gpu.js's folder (the one with `package.json` and `src/`). */
export const INSTALLED_GPUJS = dirname(createRequire(import.meta.url).resolve('gpu.js/package.json'));

/** How a check ran in its child. */
export type CheckRun =
  | { readonly kind: 'observed'; readonly observed: unknown }
  | { readonly kind: 'timed out'; readonly afterMs: number }
  | { readonly kind: 'failed'; readonly message: string };

/** The child's program: loads gpu.js from argv[1], runs the check's source (argv[2]), prints the clone. */
function childMain(): void {
  const path: typeof import('node:path') = require('node:path');
  const v8: typeof import('node:v8') = require('node:v8');
  const gpujsFolder = process.argv[1];
  const gpujs = require(path.join(gpujsFolder, 'src', 'index.js'));
  const { WasmFunctionEmitter } = require(path.join(gpujsFolder, 'src', 'backend', 'web-assembly', 'wasm-builder.js'));
  const observe = new Function(`return (${process.argv[2]});`)();
  Promise.resolve()
    .then(() => observe({ GPU: gpujs.GPU, WasmFunctionEmitter, WebAssemblyKernel: gpujs.WebAssemblyKernel }))
    .then(
      (observed: unknown) => {
        // exit once the whole clone is written: a pipe may take it in several writes
        process.stdout.write(v8.serialize(observed).toString('base64'), () => process.exit(0));
      },
      (error: unknown) => {
        process.stderr.write(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exit(1);
      },
    );
}

/** Runs `check` against the gpu.js in `gpujsFolder`, killing the child after `timeoutMs`. */
export function runPatchCheck(check: PatchCheck, gpujsFolder: string, timeoutMs: number): Promise<CheckRun> {
  // gpu.js's own dependencies (acorn, gpu-mock.js) resolve from the repository's node_modules
  const env = { ...process.env, NODE_PATH: join(REPOSITORY_ROOT, 'node_modules') };
  const args = ['-e', `(${childMain.toString()})()`, gpujsFolder, check.source];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ kind: 'observed', observed: deserialize(Buffer.from(stdout, 'base64')) });
        } else if (error.killed) {
          resolve({ kind: 'timed out', afterMs: Math.round(performance.now() - started) });
        } else {
          resolve({ kind: 'failed', message: stderr || error.message });
        }
      },
    );
  });
}

/** The problems of a run: a child that timed out or threw is one. */
export function problemsOf(check: PatchCheck, run: CheckRun): string[] {
  if (run.kind === 'timed out') return [`killed after ${run.afterMs} ms: the kernel did not finish`];
  if (run.kind === 'failed') return [`the check threw: ${run.message}`];
  return check.problems(run.observed);
}

/**
 * A copy of the installed gpu.js (its `package.json` and `src/`) in a new temporary folder, with
 * `patches/gpu.js+<version>.patch` reverse-applied by `git apply -R`: gpu.js as npm publishes it.
 * Returns the copy's folder; remove its parent's parent when done.
 */
export function unpatchedGpuJsCopy(): string {
  const version: unknown = JSON.parse(readFileSync(join(INSTALLED_GPUJS, 'package.json'), 'utf8')).version;
  const patch = join(REPOSITORY_ROOT, 'patches', `gpu.js+${String(version)}.patch`);
  const root = mkdtempSync(join(tmpdir(), 'gpujs-unpatched-'));
  // the patch's paths are a/node_modules/gpu.js/src/…, so the copy sits at node_modules/gpu.js
  const copy = join(root, 'node_modules', 'gpu.js');
  mkdirSync(copy, { recursive: true });
  cpSync(join(INSTALLED_GPUJS, 'package.json'), join(copy, 'package.json'));
  cpSync(join(INSTALLED_GPUJS, 'src'), join(copy, 'src'), { recursive: true });
  const applied = spawnSync('git', ['apply', '-R', '-p1', patch], { cwd: root, encoding: 'utf8' });
  if (applied.status !== 0) {
    throw new Error(`git apply -R ${patch} failed in ${root} (is the installed gpu.js patched?): ${applied.stderr}`);
  }
  return copy;
}
