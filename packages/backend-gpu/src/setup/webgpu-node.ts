/**
 * WebGPU in Node through Dawn (the `webgpu` package). Node-only: loaded with a dynamic `import()`
 * so the package still works in a browser, where `navigator.gpu` is native.
 *
 * Adapter choice, in order:
 * 1. Dawn's default instance at core feature level (`create([])`): Vulkan, Metal or D3D12 on a
 *    machine with a real GPU.
 * 2. Only if that finds nothing: OpenGL ES through EGL at **compatibility** level
 *    (`create(['backend=opengles'])`), which is what Mesa offers on a machine without a GPU
 *    (llvmpipe). It needs `EGL_PLATFORM=surfaceless` in the process environment.
 *
 * gpu.js calls `navigator.gpu.requestAdapter()` with no options, which would return `null` for
 * the compatibility adapter, so this module installs a `navigator.gpu` that asks for the chosen
 * adapter, and lifts the device's storage-buffer limit to what the adapter supports (the default
 * of 8 per stage caps a kernel at 7 array inputs).
 * @module
 */
import { isMainThread } from 'node:worker_threads';
import { GpuModeUnavailableError } from './mode-unavailable-error.js';
import { claimNativeGraphics } from './native-graphics-claim.js';
import { isSoftwareRenderer } from './software-renderer.js';

/** The adapter this process uses for WebGPU. */
export interface WebGpuAdapterChoice {
  /** Adapter name, e.g. `llvmpipe-llvm-15-0-6-256-bits- (OpenGL ES 3.2 Mesa 22.3.6)`. */
  readonly device: string;
  /** Whether the adapter is a software rasteriser (no GPU). */
  readonly software: boolean;
  /** `core` (Vulkan/Metal/D3D12) or `compatibility` (OpenGL ES). */
  readonly featureLevel: 'core' | 'compatibility';
}

const CHOICE_KEY = Symbol.for('@lenet/backend-gpu/webgpu-adapter-choice');

/** Names an adapter from its `GPUAdapterInfo`. */
export function describeAdapter(info: GPUAdapterInfo): string {
  const parts = [info.vendor, info.architecture, info.device].filter((part) => part !== '');
  const name = parts.length > 0 ? parts.join(' ') : 'unnamed adapter';
  return info.description === '' ? name : `${name} (${info.description.replace(/^OpenGL version /, '')})`;
}

function raiseStorageBufferLimit(adapter: GPUAdapter): GPUAdapter {
  const requestDevice = (descriptor: GPUDeviceDescriptor = {}): Promise<GPUDevice> =>
    adapter.requestDevice({
      ...descriptor,
      requiredLimits: {
        maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
        ...descriptor.requiredLimits,
      },
    });
  return new Proxy(adapter, {
    get(target, property) {
      if (property === 'requestDevice') {
        return requestDevice;
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function installNavigatorGpu(gpu: object): void {
  const existing: unknown = Reflect.get(globalThis, 'navigator');
  if (typeof existing === 'object' && existing !== null) {
    Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
}

/**
 * Loads Dawn, picks an adapter (core first, the OpenGL ES compatibility adapter as a fallback),
 * and installs `navigator.gpu` for gpu.js. Idempotent within a process.
 * @throws GpuModeUnavailableError when Dawn cannot load or finds no adapter, with the fix.
 */
export async function installNodeWebGpu(): Promise<WebGpuAdapterChoice> {
  const previous: unknown = Reflect.get(globalThis, CHOICE_KEY);
  if (previous instanceof Promise) {
    return previous;
  }
  claimNativeGraphics('webgpu');
  const choice = chooseAdapter();
  Reflect.set(globalThis, CHOICE_KEY, choice);
  choice.catch(() => Reflect.deleteProperty(globalThis, CHOICE_KEY));
  return choice;
}

async function chooseAdapter(): Promise<WebGpuAdapterChoice> {
  const eglPlatformWasSet = process.env.EGL_PLATFORM !== undefined;
  process.env.EGL_PLATFORM ??= 'surfaceless';
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (error) {
    throw new GpuModeUnavailableError(
      'webgpu',
      `the \`webgpu\` package (Dawn for Node) could not load: ${error instanceof Error ? error.message : String(error)}`,
      'install webgpu 0.6.2 (gpu.js pins 0.2.9, which needs GLIBCXX_3.4.32; override it in the root package.json), or run in a browser with WebGPU',
    );
  }
  Object.assign(globalThis, dawn.globals);

  const coreInstance = dawn.create([]);
  const coreAdapter = await coreInstance.requestAdapter({ powerPreference: 'high-performance' });
  if (coreAdapter !== null) {
    installNavigatorGpu({
      requestAdapter: async (options: GPURequestAdapterOptions = {}) => {
        const adapter = await coreInstance.requestAdapter({ powerPreference: 'high-performance', ...options });
        return adapter === null ? null : raiseStorageBufferLimit(adapter);
      },
      getPreferredCanvasFormat: () => coreInstance.getPreferredCanvasFormat(),
      wgslLanguageFeatures: coreInstance.wgslLanguageFeatures,
    });
    const device = describeAdapter(coreAdapter.info);
    return { device, software: coreAdapter.info.isFallbackAdapter || isSoftwareRenderer(device), featureLevel: 'core' };
  }

  const glesInstance = dawn.create(['backend=opengles']);
  const compatibility: GPURequestAdapterOptions = { featureLevel: 'compatibility' };
  const glesAdapter = await glesInstance.requestAdapter(compatibility);
  if (glesAdapter === null) {
    const environmentHint = eglPlatformWasSet
      ? ''
      : isMainThread
        ? ''
        : ' (EGL_PLATFORM was not set before this worker thread started: set it in the shell, the npm script or vitest.config, not in a worker)';
    throw new GpuModeUnavailableError(
      'webgpu',
      `Dawn found no adapter: no Vulkan/Metal/D3D12 GPU at core level, and no OpenGL ES adapter through EGL${environmentHint}`,
      'on a machine without a GPU install Mesa (apt install libegl1 libegl-mesa0 libgl1-mesa-dri) and set EGL_PLATFORM=surfaceless in the environment; on a GPU machine install its Vulkan driver',
    );
  }
  installNavigatorGpu({
    requestAdapter: async (options: GPURequestAdapterOptions = {}) => {
      const adapter = await glesInstance.requestAdapter({ ...compatibility, ...options });
      return adapter === null ? null : raiseStorageBufferLimit(adapter);
    },
    getPreferredCanvasFormat: () => glesInstance.getPreferredCanvasFormat(),
    wgslLanguageFeatures: glesInstance.wgslLanguageFeatures,
  });
  const device = describeAdapter(glesAdapter.info);
  return { device, software: glesAdapter.info.isFallbackAdapter || isSoftwareRenderer(device), featureLevel: 'compatibility' };
}
