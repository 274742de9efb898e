/**
 * What the backend keeps for one tensor: a device handle (a gpu.js `Texture` in the WebGL modes,
 * a `WebGPUBufferResult` in WebGPU mode) or, where there is no device memory (webasm, cpu), the
 * `Float32Array` that gpu.js's `pipeline: true` hands back.
 * @module
 */
import { isDeviceHandle, type DeviceHandle } from './gpujs-surface.js';

export type { DeviceHandle } from './gpujs-surface.js';

/** The data of one tensor. */
export type StoredValue = Float32Array | DeviceHandle;

/** Turns what a kernel returned into a {@link StoredValue}, or says what it was instead. */
export function toStoredValue(value: unknown, kernelName: string): StoredValue {
  if (value instanceof Float32Array || isDeviceHandle(value)) {
    return value;
  }
  const what = value === null ? 'null' : typeof value === 'object' ? value.constructor.name : typeof value;
  throw new Error(`gpu.js kernel ${kernelName} returned ${what}, expected a texture, a WebGPU buffer or a Float32Array`);
}

/** Flattens what gpu.js's `toArray()` returns for a 1-D output into a fresh `Float32Array` of `size` values. */
export function toFloat32Array(values: unknown, size: number): Float32Array {
  if (values instanceof Float32Array) {
    return values.slice(0, size);
  }
  if (Array.isArray(values)) {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      out[i] = Number(values[i]);
    }
    return out;
  }
  throw new Error(`gpu.js read back ${typeof values}, expected a Float32Array of ${size} values`);
}

/** Copies the values of `value` out of the device (or host array), `size` of them. */
export async function readStoredValue(value: StoredValue, size: number): Promise<Float32Array> {
  if (value instanceof Float32Array) {
    return value.slice(0, size);
  }
  return toFloat32Array(await value.toArray(), size);
}

/** Frees a device handle; a host array needs nothing. */
export function releaseStoredValue(value: StoredValue): void {
  if (!(value instanceof Float32Array)) {
    value.delete();
  }
}
