/** Spawning the built CLIs as a user would, and fingerprinting a run directory. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package directory (its `dist/cli/*.js` are the built executables). */
export const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** The issue's flags for a quick run. */
export const QUICK = ['--backend', 'cpu', '--limit', '64', '--test-limit', '64', '--batch-size', '64'];

/** A running CLI whose output is collected. */
export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything printed so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once `text` has been printed on stdout or stderr (rejects if the process ends first). */
  readonly printed: (text: string | RegExp) => Promise<void>;
  /** Resolves with the exit code (or 128 + signal number) and the milliseconds since it started. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts `dist/cli/<command>.js` with `args`; killed with SIGKILL after `watchdogMs` at the latest. */
export function startCli(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; watchdogMs?: number } = {},
): RunningCli {
  const started = Date.now();
  const child = spawn(process.execPath, [join(PACKAGE_DIR, 'dist/cli', `${command}.js`), ...args], {
    env: { ...process.env, ...options.env },
  });
  let out = '';
  let err = '';
  const waiters: Array<{ text: string | RegExp; resolve: () => void; reject: (error: Error) => void }> = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const all = out + err;
      if (typeof waiter.text === 'string' ? all.includes(waiter.text) : waiter.text.test(all)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    check();
  });
  const watchdog = setTimeout(() => child.kill('SIGKILL'), options.watchdogMs ?? 120_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error(`exited (${code ?? signal}) before printing ${String(waiter.text)}:\n${out}\n${err}`));
      resolve({ code, signal, ms: Date.now() - started });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    printed: (text) =>
      new Promise((resolve, reject) => {
        waiters.push({ text, resolve, reject });
        check();
      }),
    exited,
  };
}

/** Runs a CLI to its end. */
export async function runCli(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const running = startCli(command, args, { env });
  const { code, ms } = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr(), ms };
}

/**
 * SHA-256 over every entry of `dir` (names, kinds, contents, link targets), except the lock file,
 * which only says who is running: equal before and after means nothing was lost or changed.
 */
export function hashDirectory(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name === '.lock') continue;
    const path = join(dir, name);
    const stats = lstatSync(path);
    hash.update(`${name}\0${stats.mode}\0`);
    if (stats.isFile()) hash.update(readFileSync(path));
    else if (stats.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (stats.isDirectory()) hash.update(hashDirectory(path));
  }
  return hash.digest('hex');
}

/** A stack trace line, as Node prints them. */
export const STACK_LINE = /\n\s+at .+(:\d+:\d+|\(native\))/;
