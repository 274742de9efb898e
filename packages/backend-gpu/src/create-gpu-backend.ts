/**
 * `createGpuBackend`: prepares the environment for a gpu.js mode, proves the mode runs, and
 * returns a {@link GpuBackend}. A mode that cannot run is a {@link GpuModeUnavailableError} that
 * says why and how to get it, never a silent fallback.
 *
 * How `auto` decides (the measurements behind it are files, not copied here: the benchmark results
 * in `packages/models/bench-results/`, the peak memory per mode in
 * `packages/models/runs-recorded/2026-12-01-memory-by-mode/`, the full runs in
 * `packages/models/runs-recorded/`):
 * 1. WebGPU on a hardware adapter;
 * 2. in a browser, WebGL2 on a hardware renderer (SwiftShader, the browsers' software rasteriser,
 *    is never chosen);
 * 3. otherwise webasm (WebAssembly, SIMD, threads where available), saying that no GPU is present.
 *    A software rasteriser (Mesa's llvmpipe in Node, SwiftShader in a browser) is never chosen:
 *    with its convolutions on the SIMD lanes and the gpu.js patch, webasm trains LeNet several
 *    times faster than WebGPU on llvmpipe;
 * 4. cpu (plain JS) only where WebAssembly is missing.
 * In Node, `auto` looks for the WebGPU adapter in a child process (`setup/webgpu-probe-node.ts`),
 * so Dawn, and with it llvmpipe, is loaded into this process only when the adapter is a GPU and
 * WebGPU is chosen; this process can then no longer use headless-gl (see `native-graphics-claim.ts`).
 * Ask for `headlessgl` explicitly to use it.
 * @module
 */
import { GPU } from 'gpu.js';
import { GpuBackend } from './gpu-backend.js';
import type { ConcreteGpuMode, GpuMode } from './mode.js';
import { KernelRunner } from './runtime/kernel-runner.js';
import { findBrowserWebGlRenderer, findBrowserWebGpuAdapter } from './setup/browser-devices.js';
import { GpuModeUnavailableError } from './setup/mode-unavailable-error.js';
import { isNodeRuntime } from './setup/runtime-environment.js';

/** Options of {@link createGpuBackend}. */
export interface CreateGpuBackendOptions {
  /** Which gpu.js mode to run; `auto` (the default) picks the fastest one available. */
  readonly mode?: GpuMode;
  /**
   * webasm only: run kernels with ≥ 4096 outputs on gpu.js's worker pool (one worker per core).
   * Default true.
   */
  readonly wasmThreads?: boolean;
  /**
   * webasm with threads: the worker pool's size. Default: gpu.js's, one worker per core of the
   * machine (`os.cpus()`, which ignores a process pinned to fewer cores with taskset).
   */
  readonly wasmPoolSize?: number;
}

/** A mode that was prepared and can run, with its device (what {@link prepareMode} and {@link chooseAutoMode} return). */
export interface ModeProbe {
  /** The mode. */
  readonly mode: ConcreteGpuMode;
  /** The adapter or renderer behind it, or `WebAssembly (no GPU)`. */
  readonly device: string;
  /** Whether the device is a real GPU. */
  readonly hardwareGpu: boolean;
  /** Why this mode (for `auto`: what was found and why it was chosen). */
  readonly reason: string;
}

/**
 * Creates a gpu.js backend in the requested mode.
 * @throws GpuModeUnavailableError when the mode cannot run here (the message says how to get it).
 * @example
 * const backend = await createGpuBackend({ mode: 'webgpu' });
 * console.log(backend.mode, backend.device); // webgpu llvmpipe-llvm-15-0-6-256-bits- (OpenGL ES 3.2 Mesa 22.3.6)
 */
export async function createGpuBackend(options: CreateGpuBackendOptions = {}): Promise<GpuBackend> {
  const poolSize = options.wasmPoolSize;
  if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1)) {
    throw new RangeError(`createGpuBackend: wasmPoolSize must be an integer ≥ 1 (workers), got ${poolSize}`);
  }
  const requested = options.mode ?? 'auto';
  const probe = requested === 'auto' ? await chooseAutoMode() : await prepareMode(requested);
  const gpu = new GPU({ mode: probe.mode });
  const runner = new KernelRunner(gpu, probe.mode, { wasmThreads: options.wasmThreads ?? true, wasmPoolSize: options.wasmPoolSize });
  const backend = new GpuBackend({ ...probe, runner });
  try {
    await runner.prepare();
    await proveModeRuns(backend, requested);
  } catch (error) {
    backend.destroy();
    throw error;
  }
  return backend;
}

/** Runs one upload and download, so a mode that cannot compile or run a kernel fails here, clearly. */
async function proveModeRuns(backend: GpuBackend, requested: GpuMode): Promise<void> {
  const probeValues = Float32Array.of(1, -2, 3.5);
  try {
    const dataId = backend.upload(probeValues, [3]);
    const doubled = backend.affine({ dataId, shape: [3] }, 2, 0);
    const values = await backend.download(doubled);
    backend.dispose(dataId);
    backend.dispose(doubled);
    if (values[0] !== 2 || values[1] !== -4 || values[2] !== 7) {
      throw new Error(`a test kernel computed [${[...values].join(', ')}] instead of [2, -4, 7]`);
    }
  } catch (error) {
    if (error instanceof GpuModeUnavailableError) throw error;
    throw new GpuModeUnavailableError(
      requested,
      `${backend.mode} on ${backend.device} could not run a test kernel: ${error instanceof Error ? error.message : String(error)}`,
      'check the set-up for this mode in the @lenet/backend-gpu README',
    );
  }
}

/**
 * Prepares `mode` (Dawn, Xvfb, ...) and names its device, or throws why it cannot run.
 * @throws GpuModeUnavailableError
 */
export async function prepareMode(mode: ConcreteGpuMode): Promise<ModeProbe> {
  switch (mode) {
    case 'webgpu':
      return prepareWebGpu();
    case 'headlessgl':
      return prepareHeadlessGl();
    case 'webgl2':
    case 'webgl':
      return prepareBrowserWebGl(mode);
    case 'webasm':
      if (!GPU.isWebAssemblySupported) {
        throw new GpuModeUnavailableError('webasm', 'this JavaScript engine has no WebAssembly', 'use a current browser or Node ≥ 20');
      }
      return { mode, device: 'WebAssembly (no GPU)', hardwareGpu: false, reason: 'webasm was requested' };
    case 'cpu':
      return { mode, device: 'JavaScript (no GPU)', hardwareGpu: false, reason: 'cpu was requested' };
  }
}

async function prepareWebGpu(): Promise<ModeProbe> {
  if (isNodeRuntime()) {
    const { installNodeWebGpu } = await import('./setup/webgpu-node.js');
    const choice = await installNodeWebGpu();
    return {
      mode: 'webgpu',
      device: choice.device,
      hardwareGpu: !choice.software,
      reason: `webgpu was requested; Dawn adapter at ${choice.featureLevel} level`,
    };
  }
  const adapter = await findBrowserWebGpuAdapter();
  if (adapter === null) {
    throw new GpuModeUnavailableError(
      'webgpu',
      'this browser has no WebGPU adapter (navigator.gpu is missing, or requestAdapter() returned null)',
      'use a browser with WebGPU enabled; headless Chromium needs --enable-unsafe-webgpu',
    );
  }
  return { mode: 'webgpu', device: adapter.device, hardwareGpu: !adapter.software, reason: 'webgpu was requested' };
}

/** What {@link prepareWebGpu} would find in Node, found by a child process (`setup/webgpu-probe-node.ts`). */
async function probeWebGpuInChild(): Promise<ModeProbe> {
  const { probeNodeWebGpu } = await import('./setup/webgpu-probe-node.js');
  const choice = await probeNodeWebGpu();
  return {
    mode: 'webgpu',
    device: choice.device,
    hardwareGpu: !choice.software,
    reason: `Dawn adapter at ${choice.featureLevel} level (found by a child process)`,
  };
}

async function prepareHeadlessGl(): Promise<ModeProbe> {
  if (!isNodeRuntime()) {
    throw new GpuModeUnavailableError(
      'headlessgl',
      'headless-gl is a native Node module and does not run in a browser',
      'in a browser ask for webgl2 (or webgl)',
    );
  }
  const { prepareHeadlessGl: prepare, readHeadlessGlRenderer } = await import('./setup/headlessgl-node.js');
  const display = await prepare();
  if (!GPU.isHeadlessGLSupported) {
    throw new GpuModeUnavailableError(
      'headlessgl',
      `headless-gl could not create a WebGL context on DISPLAY=${display.display}`,
      'check that the X server on that display runs (or unset DISPLAY so this backend starts Xvfb), and that Mesa GL is installed (apt install libgl1-mesa-dri)',
    );
  }
  const found = readHeadlessGlRenderer();
  const renderer = found?.renderer ?? 'ANGLE (headless-gl; the GL renderer string could not be read)';
  return {
    mode: 'headlessgl',
    device: `${renderer} through headless-gl on X display ${display.display}${display.startedXvfb ? ' (an Xvfb started by this backend)' : ''}`,
    hardwareGpu: found !== null && !found.software,
    reason: 'headlessgl was requested',
  };
}

function prepareBrowserWebGl(mode: 'webgl2' | 'webgl'): ModeProbe {
  if (isNodeRuntime()) {
    throw new GpuModeUnavailableError(
      mode,
      `${mode} needs a browser canvas and Node has none`,
      'in Node ask for headlessgl (WebGL 1 through headless-gl) or webgpu (Dawn)',
    );
  }
  const renderer = findBrowserWebGlRenderer(mode);
  if (renderer === null) {
    throw new GpuModeUnavailableError(
      mode,
      `this browser could not create a ${mode} context`,
      'enable hardware acceleration, or use a browser with WebGL2',
    );
  }
  return { mode, device: renderer.device, hardwareGpu: !renderer.software, reason: `${mode} was requested` };
}

/**
 * The `auto` rule (see the module comment): a hardware WebGPU adapter; else (in a browser) a
 * hardware WebGL2 renderer, else WebAssembly, else plain JS. The reason says what was found.
 */
export async function chooseAutoMode(): Promise<ModeProbe> {
  const found: string[] = [];
  try {
    const webgpu = isNodeRuntime() ? await probeWebGpuInChild() : await prepareWebGpu();
    if (webgpu.hardwareGpu) {
      const prepared = isNodeRuntime() ? await prepareWebGpu() : webgpu;
      return { ...prepared, reason: `auto: WebGPU on a hardware adapter (${prepared.device})` };
    }
    found.push(`WebGPU only on a software rasteriser (${webgpu.device}), which webasm outruns`);
  } catch (error) {
    found.push(`no WebGPU (${error instanceof GpuModeUnavailableError ? error.reason : String(error)})`);
  }
  if (!isNodeRuntime()) {
    const webgl2 = findBrowserWebGlRenderer('webgl2');
    if (webgl2 !== null && !webgl2.software) {
      return {
        mode: 'webgl2',
        device: webgl2.device,
        hardwareGpu: true,
        reason: `auto: WebGL2 on a hardware renderer (${webgl2.device}); ${found.join('; ')}`,
      };
    }
    found.push(webgl2 === null ? 'no WebGL2' : `WebGL2 only on a software rasteriser (${webgl2.device})`);
  }
  if (GPU.isWebAssemblySupported) {
    return {
      mode: 'webasm',
      device: 'WebAssembly (no GPU)',
      hardwareGpu: false,
      reason: `auto: no GPU present — ${found.join('; ')}; webasm runs`,
    };
  }
  return {
    mode: 'cpu',
    device: 'JavaScript (no GPU)',
    hardwareGpu: false,
    reason: `auto: no GPU and no WebAssembly — ${found.join('; ')}; plain JS runs`,
  };
}
