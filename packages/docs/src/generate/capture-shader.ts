/**
 * Child process of the generator: compiles one GPU.js kernel in one mode and writes its listing
 * (JavaScript, generated shader, device) as JSON to the file given. Each mode runs in its own process
 * because headless-gl (GLX) and Dawn (EGL) cannot share one.
 *
 *   node dist/generate/capture-shader.js <mode> <kernel> <out.json>
 * @module
 */
import { writeFileSync } from 'node:fs';
import { createGpuBackend, isGpuMode, kernelSource } from '@lenet/backend-gpu';

const [mode, kernel, outFile] = process.argv.slice(2);
if (mode === undefined || kernel === undefined || outFile === undefined || !isGpuMode(mode)) {
  console.error(`capture-shader: usage: capture-shader <mode> <kernel> <out.json>; got ${process.argv.slice(2).join(' ')}`);
  process.exit(2);
}
const backend = await createGpuBackend({ mode });
if (backend.mode !== mode) {
  console.error(`capture-shader: asked for gpu.js mode ${mode} but ${backend.mode} ran`);
  process.exit(1);
}
const listing = await kernelSource(backend, kernel);
writeFileSync(outFile, JSON.stringify(listing, null, 2));
// gpu.js keeps Dawn / Xvfb handles alive; the listing is written, so end the process now.
process.exit(0);
