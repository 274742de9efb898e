/**
 * Runs a snippet or script in a fresh Node process, for the tests that need a process of their
 * own: a missing display, a broken Dawn set-up, headless-gl and Dawn in one process, the CLI.
 * They run the built package (`dist/`), which `turbo run test` builds first.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package root. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built entry point, as a file URL for `import()`. */
export function distUrl(relative: string): string {
  const path = fileURLToPath(new URL(`../../dist/${relative}`, import.meta.url));
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build the package first (npx turbo run build --filter=@lenet/backend-gpu)`);
  }
  return pathToFileURL(path).href;
}

/** What a child process printed. */
export interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node` with `args` and the given environment (replacing, not extending, the parent's). */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): ChildResult {
  const result = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, env, encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs an ES-module snippet in a fresh Node process. */
export function runModuleSnippet(code: string, env: NodeJS.ProcessEnv): ChildResult {
  return runNode(['--input-type=module', '-e', code], env);
}

/** The parent's environment without the variables that choose a display or an EGL platform. */
export function cleanEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.EGL_PLATFORM;
  return env;
}
