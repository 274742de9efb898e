/**
 * TensorFlow.js in a browser, for the browser benchmark: tfjs-core with its gradients and the
 * three backends a learner's browser offers — `wasm` (XNNPACK, SIMD, a thread per core where the
 * page is cross-origin isolated), `webgl` and `webgpu` — started by name.
 *
 * In Node the TensorFlow.js peer registers the gradients by importing tfjs-layers; in a browser
 * bundle tfjs-core's own `register_all_gradients` does it without the layers API.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2dBackpropFilter } from './tfjs-conv2d-backprop-filter.js';

/** A TensorFlow.js backend the browser benchmark runs (its targets `tfjs-wasm`, `tfjs-webgl`, `tfjs-webgpu`). */
export type TfjsBrowserBackend = 'wasm' | 'webgl' | 'webgpu';

/** The backend that started, and what it runs on. */
export interface TfjsStarted {
  readonly backend: TfjsBrowserBackend;
  readonly version: string;
  /** e.g. `WebAssembly SIMD, 2 threads`, or the WebGL renderer / WebGPU adapter. */
  readonly device: string;
  /** wasm: its threads (1 without cross-origin isolation); null for the GPU backends. */
  readonly threads: number | null;
}

function webGlRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl === null) return 'WebGL2 (no context)';
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(debug === null ? gl.RENDERER : debug.UNMASKED_RENDERER_WEBGL));
}

async function webGpuAdapter(): Promise<string> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (adapter === undefined || adapter === null) return 'WebGPU (no adapter)';
  const { vendor, architecture, description } = adapter.info;
  return [vendor, architecture, description].filter((part) => part !== '').join(' ') || 'WebGPU adapter';
}

/**
 * Starts `backend`; `wasmFilesUrl` is where tfjs-backend-wasm's `.wasm` files are served (a URL
 * ending in `/`).
 * @throws Error when the backend does not start here (the message says which).
 */
export async function startTfjs(backend: TfjsBrowserBackend, wasmFilesUrl: string): Promise<TfjsStarted> {
  if (backend === 'wasm') {
    setWasmPaths(wasmFilesUrl);
    // tfjs takes half the cores by default; a thread per core, as LeNet.ts's webasm pool has
    if (crossOriginIsolated) setThreadsCount(navigator.hardwareConcurrency);
    registerWasmConv2dBackpropFilter();
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js's ${backend} backend did not start in this browser`);
  await tf.ready();
  if (backend === 'wasm') {
    const threads = getThreadsCount();
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    return {
      backend,
      version: tf.version_core,
      device: `WebAssembly${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`,
      threads,
    };
  }
  return { backend, version: tf.version_core, device: backend === 'webgl' ? webGlRenderer() : await webGpuAdapter(), threads: null };
}
