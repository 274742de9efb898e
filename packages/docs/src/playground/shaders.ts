/**
 * "See the shaders": the GLSL or WGSL that GPU.js generated for each kernel the running backend
 * compiled, read from the backend itself (`GpuBackend.shaderSource`), in the order of backend-gpu's
 * kernel table (`KERNELS`), with the table's line on what each kernel computes.
 * @module
 */
import { KERNELS, type GpuBackend } from '@lenet/backend-gpu';

/** One generated shader. */
export interface ShaderListing {
  /** The kernel function's name, e.g. `conv2dKernel`. */
  readonly kernel: string;
  /** What it computes (the kernel table's summary). */
  readonly summary: string;
  /** The generated GLSL or WGSL. */
  readonly source: string;
}

/** The shaders of every kernel `backend` has compiled so far. */
export function compiledShaders(backend: GpuBackend): ShaderListing[] {
  const listings: ShaderListing[] = [];
  for (const { kernel, summary } of Object.values(KERNELS)) {
    const source = backend.shaderSource(kernel.name);
    if (source === null) continue;
    listings.push({ kernel: kernel.name, summary, source });
  }
  return listings;
}
