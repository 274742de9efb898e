/**
 * The backends the Playground offers: GPU.js in each browser mode, and the readable backend-cpu.
 * A mode the browser lacks is a {@link ModeUnavailableMessage}: the reason, and the choices that do
 * run here.
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { createGpuBackend, GpuModeUnavailableError, prepareMode, type GpuBackend } from '@lenet/backend-gpu';
import type { Backend } from '@lenet/core';

/** What the reader can choose: a GPU.js mode, or `backend-cpu`. */
export const BACKEND_CHOICES = ['webgpu', 'webgl2', 'webgl', 'webasm', 'cpu', 'backend-cpu'] as const;

/** One of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** How each choice reads in the settings. */
export const CHOICE_LABELS: Readonly<Record<BackendChoice, string>> = {
  webgpu: 'GPU.js webgpu (WGSL)',
  webgl2: 'GPU.js webgl2 (GLSL ES 3.00)',
  webgl: 'GPU.js webgl (GLSL ES 1.00)',
  webasm: 'GPU.js webasm (WebAssembly)',
  cpu: 'GPU.js cpu (JavaScript)',
  'backend-cpu': 'backend-cpu (the readable loops)',
};

/** A backend that runs, and what to tell the reader about it (the header the CLI prints). */
export interface OpenBackend {
  readonly choice: BackendChoice;
  readonly backend: Backend;
  /** The GPU.js backend, for its shaders; null for backend-cpu. */
  readonly gpu: GpuBackend | null;
  /** The GPU.js mode that actually ran (from its kernels' class), or `backend-cpu`. */
  readonly mode: string;
  /** The adapter or renderer, or what runs the loops. */
  readonly device: string;
  /** webasm only: whether its kernels run on worker threads here, and why (null in the other modes). */
  readonly threads: WebasmThreads | null;
  /** Releases the device. */
  close(): void;
}

/** Whether webasm runs on worker threads in this page, in words. */
export interface WebasmThreads {
  readonly on: boolean;
  /** What the page says: how many workers, or why there are none. */
  readonly note: string;
}

/**
 * webasm's threads in this page. gpu.js's workers share the kernels' WebAssembly memory, and a
 * browser shares memory with workers only in a cross-origin isolated page (the COOP and COEP
 * headers, which `npm run docs:serve` sends); elsewhere webasm runs on the page's thread.
 */
export function webasmThreads(): WebasmThreads {
  if (globalThis.crossOriginIsolated === true) {
    return { on: true, note: `threads on: one pool of ${navigator.hardwareConcurrency} workers (the page is cross-origin isolated)` };
  }
  return {
    on: false,
    note:
      'threads off: this page is not cross-origin isolated (crossOriginIsolated === false), and a browser shares memory with workers only then; ' +
      'serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, as npm run docs:serve does',
  };
}

/** The requested mode cannot run in this browser. */
export class ModeUnavailableMessage extends Error {
  constructor(
    readonly choice: BackendChoice,
    readonly reason: string,
    readonly alternatives: readonly BackendChoice[],
  ) {
    super(`${choice} does not run in this browser: ${reason}. It has: ${alternatives.join(', ')}.`);
    this.name = 'ModeUnavailableMessage';
  }
}

/** Whether `choice` can run here, and why not. */
async function probe(choice: BackendChoice): Promise<string | null> {
  if (choice === 'backend-cpu') return null;
  try {
    await prepareMode(choice);
    return null;
  } catch (error) {
    if (error instanceof GpuModeUnavailableError) return error.message;
    return error instanceof Error ? error.message : String(error);
  }
}

/** The choices this browser can run. */
export async function availableChoices(): Promise<BackendChoice[]> {
  const results = await Promise.all(BACKEND_CHOICES.map(async (choice) => [choice, await probe(choice)] as const));
  return results.filter(([, problem]) => problem === null).map(([choice]) => choice);
}

/**
 * Opens `choice`.
 * @throws ModeUnavailableMessage when the browser lacks it (with the alternatives it has).
 */
export async function openBackend(choice: BackendChoice): Promise<OpenBackend> {
  if (choice === 'backend-cpu') {
    const backend = new CpuBackend();
    return {
      choice,
      backend,
      gpu: null,
      mode: 'backend-cpu',
      device: 'JavaScript loops (formula (1) as written)',
      threads: null,
      close: () => undefined,
    };
  }
  let gpu: GpuBackend;
  const threads = choice === 'webasm' ? webasmThreads() : null;
  try {
    gpu = await createGpuBackend({ mode: choice, wasmThreads: threads?.on === true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const alternatives = (await availableChoices()).filter((other) => other !== choice);
    throw new ModeUnavailableMessage(choice, reason, alternatives);
  }
  const classes = new Set(gpu.compiledKernelClasses());
  const ran = classes.size === 1 ? `${gpu.mode} (${[...classes][0]})` : gpu.mode;
  return { choice, backend: gpu, gpu, mode: ran, device: gpu.device, threads, close: () => gpu.destroy() };
}
