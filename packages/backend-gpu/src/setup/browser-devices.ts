/**
 * What a browser offers: a WebGPU adapter and a WebGL renderer, by name, so `auto` can tell a
 * real GPU from SwiftShader.
 * @module
 */
import { isSoftwareRenderer } from './software-renderer.js';

/** A device found in the browser. */
export interface BrowserDevice {
  readonly device: string;
  readonly software: boolean;
}

/** The browser's WebGPU adapter, or null when there is none (`navigator.gpu` missing or no adapter). */
export async function findBrowserWebGpuAdapter(): Promise<BrowserDevice | null> {
  const navigatorObject: unknown = Reflect.get(globalThis, 'navigator');
  if (typeof navigatorObject !== 'object' || navigatorObject === null) return null;
  const gpu: unknown = Reflect.get(navigatorObject, 'gpu');
  if (!isGpu(gpu)) return null;
  const adapter = await gpu.requestAdapter();
  if (adapter === null) return null;
  const { vendor, architecture, device, description, isFallbackAdapter } = adapter.info;
  const name = [vendor, architecture, device, description].filter((part) => part !== '').join(' ') || 'unnamed WebGPU adapter';
  return { device: name, software: isFallbackAdapter || isSoftwareRenderer(name) };
}

function isGpu(value: unknown): value is GPU {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'requestAdapter') === 'function';
}

/** A new WebGL context of `kind`: on a canvas of the page, or, in a worker (no document), on an OffscreenCanvas as gpu.js uses there. */
function freshWebGlContext(kind: 'webgl2' | 'webgl'): WebGLRenderingContext | WebGL2RenderingContext | null {
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    return kind === 'webgl2' ? canvas.getContext('webgl2') : canvas.getContext('webgl');
  }
  if (typeof OffscreenCanvas === 'undefined') return null;
  const canvas = new OffscreenCanvas(1, 1);
  return kind === 'webgl2' ? canvas.getContext('webgl2') : canvas.getContext('webgl');
}

/** The renderer behind a fresh WebGL context of `kind` (on a page or in a worker), or null when the browser has none. */
export function findBrowserWebGlRenderer(kind: 'webgl2' | 'webgl'): BrowserDevice | null {
  const gl = freshWebGlContext(kind);
  if (gl === null) return null;
  const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer: unknown = debugInfo === null ? gl.getParameter(gl.RENDERER) : gl.getParameter(debugInfo.UNMASKED_RENDERER_WEBGL);
  const name = typeof renderer === 'string' ? renderer : 'unknown WebGL renderer';
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { device: name, software: isSoftwareRenderer(name) };
}
