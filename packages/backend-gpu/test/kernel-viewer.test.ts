/**
 * The kernel viewer prints real shaders: WGSL through Dawn for webgpu, GLSL through headless-gl
 * for headlessgl — each in its own process, as the CLI runs.
 */
import { describe, expect, it } from 'vitest';
import { createGpuBackend, kernelNames, kernelSource, type ConcreteGpuMode } from '../src/index.js';
import { parseViewerArguments } from '../src/cli/viewer-arguments.js';
import { expectedGpuModes } from './support/expected-modes.js';
import { cleanEnvironment, runNode } from './support/run-node.js';

function viewer(kernel: string, mode: string): { status: number | null; stdout: string; stderr: string } {
  return runNode(['dist/cli/kernels.js', kernel, '--mode', mode], cleanEnvironment());
}

describe('npm run kernels', () => {
  it.each<[string, ConcreteGpuMode, string[]]>([
    [
      'conv2d',
      'webgpu',
      ['@compute @workgroup_size(64, 1, 1)', 'fn main(@builtin(global_invocation_id) gid : vec3<u32>)', 'var user_sum : f32 = 0.0;'],
    ],
    ['maxPool2dBackprop', 'webgpu', ['@compute', 'fn main(', 'result[data_index] = user_sum;']],
    ['conv2d', 'headlessgl', ['precision highp float;', 'void main(void) {', 'float user_sum=0.0;', 'void kernel() {']],
    ['softmaxCrossEntropyGrad', 'headlessgl', ['void main(void) {', 'exp(']],
  ])('prints %s in mode %s as a real shader next to its JavaScript', (kernel, mode, expected) => {
    const result = viewer(kernel, mode);
    if (result.status !== 0 && !expectedGpuModes().has(mode) && result.stderr.includes(`gpu.js mode "${mode}" is not available`)) {
      console.info(`[backend-gpu] viewer: mode ${mode} not available here: ${result.stderr.trim()}`);
      return;
    }
    expect(result.stderr.split('\n').filter((line) => line.startsWith('kernel viewer'))).toEqual([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`function ${kernel}Kernel(`);
    for (const fragment of expected) {
      expect(result.stdout).toContain(fragment);
    }
  });

  it('lists the kernels and rejects an unknown mode', () => {
    expect(runNode(['dist/cli/kernels.js', '--list'], cleanEnvironment()).stdout).toContain('conv2dBackpropFilter');
    const known = kernelNames();
    expect(() => parseViewerArguments(['conv2d', '--mode', 'vulkan'], known)).toThrow(
      'kernels: --mode must be one of auto, webgpu, headlessgl',
    );
    expect(parseViewerArguments(['conv2d', '--mode=headlessgl'], known)).toEqual({
      kernel: 'conv2d',
      mode: 'headlessgl',
      list: false,
      help: false,
    });
    expect(() => parseViewerArguments(['conv9d'], known)).toThrow('kernels: unknown kernel conv9d');
  });
});

describe('kernelSource (what the docs site captures)', () => {
  it('returns the generated JavaScript in cpu mode and explains that webasm has no text form', async () => {
    const cpu = await createGpuBackend({ mode: 'cpu' });
    const listing = await kernelSource(cpu, 'avgPool2d');
    expect(listing).toMatchObject({ name: 'avgPool2d', kernelName: 'avgPool2dKernel', mode: 'cpu', language: 'JavaScript' });
    expect(listing.javascript).toContain('function avgPool2dKernel(a)');
    expect(listing.shader).toContain('user_sum');
    await expect(kernelSource(cpu, 'conv3d')).rejects.toThrow(
      'kernel viewer: no kernel named "conv3d"; known kernels: activation, activationGrad, add, affine',
    );
    // what gpu.js parsed: the fused epilogue and the example's sigmoid spliced in, no snippet call left
    const conv2d = await kernelSource(cpu, 'conv2d');
    expect(conv2d.javascript).toContain('if (this.constants.hasBias === 1) {');
    expect(conv2d.javascript).toContain('const e = Math.exp(-Math.abs(sum));');
    expect(conv2d.javascript).not.toContain('this.fusedEpilogue(');
    const webasm = await createGpuBackend({ mode: 'webasm' });
    await expect(kernelSource(webasm, 'conv2d')).rejects.toThrow('compiles conv2dKernel to WebAssembly bytes, which have no text form');
  });
});
