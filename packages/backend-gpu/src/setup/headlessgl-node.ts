/**
 * headless-gl in Node: the native `gl` module (ANGLE over desktop GL) needs an X display. When
 * `DISPLAY` is unset and `Xvfb` is installed, this module starts a private Xvfb for the process
 * (so callers need no `xvfb-run`); otherwise it explains what is missing. Node-only: loaded with
 * a dynamic `import()`.
 *
 * It also names the renderer behind headless-gl, read from GL as the browser modes read theirs
 * ({@link readHeadlessGlRenderer}).
 * @module
 */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { GpuModeUnavailableError } from './mode-unavailable-error.js';
import { claimNativeGraphics } from './native-graphics-claim.js';
import { isSoftwareRenderer } from './software-renderer.js';

/** The X display headless-gl renders on. */
export interface DisplayChoice {
  /** The value of `DISPLAY`, e.g. `:99`. */
  readonly display: string;
  /** Whether this process started Xvfb itself (it stops with the process). */
  readonly startedXvfb: boolean;
}

const DISPLAY_KEY = Symbol.for('@lenet/backend-gpu/display-choice');

/** The full path of `command` on PATH, or null. */
export function findOnPath(command: string): string | null {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, command);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/**
 * Makes sure headless-gl can run: the `gl` module is built and an X display is set (starting
 * Xvfb when DISPLAY is unset). Idempotent within a process.
 * @throws GpuModeUnavailableError naming what is missing and how to get it.
 */
export async function prepareHeadlessGl(): Promise<DisplayChoice> {
  const previous: unknown = Reflect.get(globalThis, DISPLAY_KEY);
  if (previous instanceof Promise) {
    return previous;
  }
  claimNativeGraphics('headlessgl');
  checkGlModule();
  const choice = chooseDisplay();
  Reflect.set(globalThis, DISPLAY_KEY, choice);
  choice.catch(() => Reflect.deleteProperty(globalThis, DISPLAY_KEY));
  return choice;
}

/** The GL renderer behind headless-gl. */
export interface HeadlessGlRenderer {
  /** The renderer string, e.g. `ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)`. */
  readonly renderer: string;
  /** Whether it is a software rasteriser (llvmpipe, softpipe, …) rather than a GPU. */
  readonly software: boolean;
}

/** headless-gl's factory: `require('gl')(width, height)`, null when no context can be made. */
type CreateHeadlessGlContext = (width: number, height: number) => WebGLRenderingContext | null;

function isContextFactory(value: unknown): value is CreateHeadlessGlContext {
  return typeof value === 'function';
}

/**
 * Reads the renderer of a fresh 1×1 headless-gl context, as a browser reads its WebGL renderer:
 * `WEBGL_debug_renderer_info`'s unmasked renderer when the extension exists, else
 * `getParameter(RENDERER)`. gl@8.1.6 offers no such extension and its JavaScript wrapper answers
 * `RENDERER` with the constant `'ANGLE'` (`src/javascript/webgl-rendering-context.js`), so in that
 * case the native class the wrapper extends is asked: its `getParameter` is ANGLE's
 * `glGetString(GL_RENDERER)`, which names the desktop GL driver beneath ANGLE, e.g.
 * `ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)`.
 * Call it after {@link prepareHeadlessGl} (it needs the display).
 * @returns null when no context can be made or no renderer string comes back.
 */
export function readHeadlessGlRenderer(): HeadlessGlRenderer | null {
  const createContext: unknown = createRequire(import.meta.url)('gl');
  if (!isContextFactory(createContext)) return null;
  const context = createContext(1, 1);
  if (context === null) return null;
  try {
    const renderer = rendererOf(context);
    return renderer === null ? null : { renderer, software: isSoftwareRenderer(renderer) };
  } finally {
    destroyContext(context);
  }
}

/** Frees the context at once (headless-gl's `STACKGL_destroy_context`) rather than at garbage collection. */
function destroyContext(context: WebGLRenderingContext): void {
  const extension: unknown = context.getExtension('STACKGL_destroy_context');
  const destroy: unknown = typeof extension === 'object' && extension !== null ? Reflect.get(extension, 'destroy') : null;
  if (typeof destroy === 'function') Reflect.apply(destroy, extension, []);
}

function rendererOf(context: WebGLRenderingContext): string | null {
  const debugInfo = context.getExtension('WEBGL_debug_renderer_info');
  if (debugInfo !== null) {
    const unmasked: unknown = context.getParameter(debugInfo.UNMASKED_RENDERER_WEBGL);
    if (typeof unmasked === 'string' && unmasked !== '') return unmasked;
  }
  const masked: unknown = context.getParameter(context.RENDERER);
  if (typeof masked === 'string' && masked !== '' && masked !== 'ANGLE') return masked;
  const wrapperPrototype: unknown = Object.getPrototypeOf(context);
  const nativePrototype: unknown =
    typeof wrapperPrototype === 'object' && wrapperPrototype !== null ? Object.getPrototypeOf(wrapperPrototype) : null;
  const nativeGetParameter: unknown =
    typeof nativePrototype === 'object' && nativePrototype !== null ? Reflect.get(nativePrototype, 'getParameter') : null;
  if (typeof nativeGetParameter !== 'function') return null;
  const native: unknown = Reflect.apply(nativeGetParameter, context, [context.RENDERER]);
  return typeof native === 'string' && native !== '' ? native : null;
}

function checkGlModule(): void {
  try {
    createRequire(import.meta.url)('gl');
  } catch (error) {
    throw new GpuModeUnavailableError(
      'headlessgl',
      `the native module \`gl\` (gpu.js's optional dependency gl@8.1.6) could not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      'install its build tools (apt install build-essential python3 pkg-config libx11-dev libxext-dev libxi-dev libglu1-mesa-dev) and run `JOBS=max npm rebuild gl` (it builds ANGLE from source, about 9 minutes on 2 cores)',
    );
  }
}

async function chooseDisplay(): Promise<DisplayChoice> {
  const existing = process.env.DISPLAY;
  if (existing !== undefined && existing !== '') {
    return { display: existing, startedXvfb: false };
  }
  const xvfb = findOnPath('Xvfb');
  if (xvfb === null) {
    throw new GpuModeUnavailableError(
      'headlessgl',
      'headless-gl needs an X display; DISPLAY is not set and Xvfb is not installed',
      'run under `xvfb-run -a` (e.g. `xvfb-run -a npx vitest run`), or install Xvfb (apt install xvfb xauth) and this backend starts it itself',
    );
  }
  const display = await startXvfb(xvfb);
  process.env.DISPLAY = display;
  return { display, startedXvfb: true };
}

/**
 * Starts `Xvfb -displayfd`, which picks a free display number and writes it to a pipe. The server
 * is stopped when this process exits, and `-terminate` also ends it when its last client (this
 * process's GL context) disconnects, so a killed process leaves nothing behind.
 */
function startXvfb(xvfb: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '64x64x24', '-nolisten', 'tcp', '-terminate'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let announced = '';
    let errors = '';
    const fail = (why: string): void => {
      reject(
        new GpuModeUnavailableError(
          'headlessgl',
          `headless-gl needs an X display; DISPLAY is not set and starting ${xvfb} failed: ${why}${errors === '' ? '' : ` (${errors.trim().split('\n').slice(-2).join(' | ')})`}`,
          'run under `xvfb-run -a`, or set DISPLAY to a running X server',
        ),
      );
    };
    const timer = setTimeout(() => {
      server.kill();
      fail('it did not report a display within 10 s');
    }, 10_000);
    server.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const displayPipe = server.stdio[3];
    displayPipe?.on('data', (chunk: Buffer) => {
      announced += chunk.toString();
      const match = /^(\d+)\s/.exec(announced);
      if (match) {
        clearTimeout(timer);
        server.stderr?.destroy();
        displayPipe.destroy();
        server.unref();
        process.once('exit', () => server.kill());
        resolve(`:${match[1]}`);
      }
    });
    server.once('error', (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      fail(`it exited with code ${code}`);
    });
  });
}
