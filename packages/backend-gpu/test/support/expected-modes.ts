/**
 * Which gpu.js modes must run. CI sets `LENET_GPU_MODES=webgpu,headlessgl,webasm,cpu`; a listed
 * mode that cannot start fails the run. Locally (variable unset) a mode that cannot start is
 * tested for its clear error instead, and the log says which modes ran.
 * @module
 */
import { isConcreteGpuMode, type ConcreteGpuMode } from '../../src/index.js';

/** The modes named in `LENET_GPU_MODES`. */
export function expectedGpuModes(): ReadonlySet<ConcreteGpuMode> {
  const listed = (process.env.LENET_GPU_MODES ?? '')
    .split(',')
    .map((mode) => mode.trim())
    .filter((mode) => mode !== '');
  const unknown = listed.filter((mode) => !isConcreteGpuMode(mode));
  if (unknown.length > 0) {
    throw new Error(`LENET_GPU_MODES names unknown modes ${unknown.join(', ')}; use webgpu, headlessgl, webgl2, webgl, webasm, cpu`);
  }
  return new Set(listed.filter(isConcreteGpuMode));
}
