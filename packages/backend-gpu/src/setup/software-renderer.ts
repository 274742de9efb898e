/**
 * Telling a real GPU from a software rasteriser by its name. On a machine without a GPU, WebGPU
 * and WebGL still work, on Mesa's llvmpipe (Node) or Google's SwiftShader (Chromium); they run
 * real shaders, on the CPU, and are no faster than WebAssembly there.
 * @module
 */

const SOFTWARE_RENDERERS = /llvmpipe|softpipe|lavapipe|swiftshader|swrast|software|basic render driver|microsoft basic/i;

/**
 * Whether an adapter or GL renderer name belongs to a software rasteriser.
 * @example isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)') // true
 * @example isSoftwareRenderer('NVIDIA H200') // false
 */
export function isSoftwareRenderer(name: string): boolean {
  return SOFTWARE_RENDERERS.test(name);
}
