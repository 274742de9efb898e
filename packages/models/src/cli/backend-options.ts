/**
 * `--backend cpu|gpu` and `--gpu-mode`: creating the backend a command computes on.
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { createGpuBackend, GPU_MODES, type GpuBackend, type GpuMode } from '@lenet/backend-gpu';
import { setBackend, type Backend } from '@lenet/core';
import { choiceOption, flagOption } from './command-line.js';
import { UsageError } from './usage-error.js';

/** The values of `--backend`. */
export const BACKEND_NAMES = ['cpu', 'gpu'] as const;

/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The default `--backend`: every gpu.js mode that `--gpu-mode auto` picks trains many times faster
 * than the readable CPU backend, on a GPU and on the 2-core machine without one (the measurements
 * are files, not copied here: `packages/models/bench-results/*.json`). So `gpu` it is.
 */
export const DEFAULT_BACKEND: BackendName = 'gpu';

/** `--backend cpu|gpu`, shared by the train and evaluate commands. */
export function backendOption() {
  return choiceOption('--backend <name>', BACKEND_NAMES, 'where to compute: cpu (the readable reference backend) or gpu (gpu.js)').default(
    DEFAULT_BACKEND,
  );
}

/** `--gpu-mode`, shared by the train and evaluate commands; undefined when not given (`auto`). */
export function gpuModeOption() {
  return choiceOption(
    '--gpu-mode <mode>',
    GPU_MODES,
    'gpu.js mode for --backend gpu (default: auto, the fastest that runs here); an error with --backend cpu',
  );
}

/** `--wasm-threads` (on by default), shared by the train and evaluate commands. */
export function wasmThreadsOption() {
  return flagOption(
    '--wasm-threads',
    'webasm mode: run large kernels on one pool of worker threads, one per core (faster; --no-wasm-threads runs them on this thread)',
  ).default(true);
}

/** A backend in use and the words that describe it in a header. */
export interface ActiveBackend {
  /** The backend, already made the current one (`setBackend`). */
  readonly backend: Backend;
  /** `cpu` or `gpu`. */
  readonly kind: BackendName;
  /** The gpu.js mode that runs (`webgpu`, `webasm`, …), or `-` for the CPU backend. */
  readonly mode: string;
  /** The device, e.g. the GPU adapter or `JavaScript (Float32Array)`. */
  readonly device: string;
  /** Why this mode (for `auto`), or an empty string. */
  readonly reason: string;
  /** Frees the backend's resources (gpu.js kernels, worker threads). */
  readonly close: () => void;
}

/**
 * Refuses option combinations that would be silently ignored: `--gpu-mode` with `--backend cpu`.
 * @throws UsageError naming both options.
 */
export function checkBackend(kind: BackendName, gpuMode: GpuMode | undefined): void {
  if (kind === 'cpu' && gpuMode !== undefined) {
    throw new UsageError(`--gpu-mode ${gpuMode} applies to --backend gpu only; drop --gpu-mode or use --backend gpu`, '--gpu-mode');
  }
}

/**
 * Creates the backend `--backend`/`--gpu-mode`/`--wasm-threads` ask for and makes it the current one
 * (`gpuMode` undefined: `auto`).
 * @throws UsageError for `--gpu-mode` with the CPU backend ({@link checkBackend});
 *   GpuModeUnavailableError when the gpu.js mode cannot run here (its message says how to get it).
 */
export async function activateBackend(kind: BackendName, gpuMode: GpuMode | undefined, wasmThreads = true): Promise<ActiveBackend> {
  checkBackend(kind, gpuMode);
  if (kind === 'cpu') {
    const backend = new CpuBackend();
    setBackend(backend);
    return { backend, kind, mode: '-', device: 'JavaScript (Float32Array, one thread)', reason: '', close: () => undefined };
  }
  const backend: GpuBackend = await createGpuBackend({ mode: gpuMode ?? 'auto', wasmThreads });
  setBackend(backend);
  return { backend, kind, mode: backend.mode, device: backend.device, reason: backend.reason, close: () => backend.destroy() };
}

/** `backend gpu (gpu.js mode webasm), device …` — the header line of a run. */
export function describeBackend(active: ActiveBackend): string {
  if (active.kind === 'cpu') return `backend cpu (${active.backend.name}), device ${active.device}`;
  const why = active.reason === '' ? '' : ` — ${active.reason}`;
  return `backend gpu (gpu.js mode ${active.mode}), device ${active.device}${why}`;
}
