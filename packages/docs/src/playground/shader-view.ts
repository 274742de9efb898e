/**
 * The "Shaders" tab: the GLSL or WGSL of every kernel the running backend compiled.
 * @module
 */
import type { OpenBackend } from './backends.js';
import { ui } from './page.js';
import { compiledShaders, type ShaderListing } from './shaders.js';

/** Lists the shaders of `open`'s compiled kernels (or says why there are none). */
export function renderShaders(open: OpenBackend | null): void {
  const gpu = open?.gpu ?? null;
  if (open === null || gpu === null) {
    ui.shadersIntro.textContent = `${open?.choice ?? 'backend-cpu'} runs no shaders: its kernels are the JavaScript loops of @lenet/backend-cpu. Choose a GPU.js backend and start training (or load weights) to see the shaders it generates.`;
    ui.shaders.replaceChildren();
    return;
  }
  renderShaderListings(gpu.mode, gpu.device, compiledShaders(gpu));
}

/** Lists `listings`, the shaders of a backend in mode `mode` on `device` (here or in the training worker). */
export function renderShaderListings(mode: string, device: string, listings: readonly ShaderListing[]): void {
  const gpu = { mode, device };
  ui.shadersIntro.textContent =
    listings.length === 0 && (gpu.mode === 'webasm' || gpu.mode === 'webgpu' || gpu.mode === 'webgl2' || gpu.mode === 'webgl')
      ? gpu.mode === 'webasm'
        ? 'webasm compiles each kernel to WebAssembly bytes, not to a text shader: choose webgpu, webgl2 or webgl to read the shaders.'
        : `no kernel has run on ${gpu.mode} yet: start training (or look inside) to compile them.`
      : `${listings.length} kernels compiled by GPU.js in mode ${gpu.mode} on ${gpu.device}, captured from the running backend:`;
  ui.shaders.dataset.mode = gpu.mode;
  ui.shaders.replaceChildren(
    ...listings.map((listing) => {
      const details = document.createElement('details');
      details.dataset.kernel = listing.kernel;
      const summary = document.createElement('summary');
      summary.textContent = `${listing.kernel} — ${listing.summary}`;
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = listing.source;
      pre.append(code);
      details.append(summary, pre);
      return details;
    }),
  );
}
