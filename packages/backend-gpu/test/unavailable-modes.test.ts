/**
 * Asking for a mode that cannot run is a clear error (it names the mode, why, and how to get it),
 * never a silent fallback. The native set-ups run in child processes, so this file's own process
 * never loads headless-gl or Dawn.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedGpuModes } from './support/expected-modes.js';
import { createGpuBackend, GpuModeUnavailableError } from '../src/index.js';
import { cleanEnvironment, distUrl, runModuleSnippet } from './support/run-node.js';

/** A snippet that tries `modes` in order and prints the outcome of each as JSON lines. */
function tryModes(modes: readonly string[]): string {
  return `
    import { createGpuBackend } from ${JSON.stringify(distUrl('index.js'))};
    for (const mode of ${JSON.stringify(modes)}) {
      try {
        const backend = await createGpuBackend({ mode });
        console.log(JSON.stringify({ mode, ran: backend.mode, device: backend.device, reason: backend.reason, hardwareGpu: backend.hardwareGpu }));
      } catch (error) {
        console.log(JSON.stringify({ mode, error: error.name, message: error.message }));
      }
    }
    process.exit(0);`;
}

interface Outcome {
  readonly mode: string;
  readonly ran?: string;
  readonly device?: string;
  readonly reason?: string;
  readonly hardwareGpu?: boolean;
  readonly error?: string;
  readonly message?: string;
}

function outcomes(stdout: string): Outcome[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Outcome);
}

describe('requesting a mode that cannot run', () => {
  it('headlessgl without a display and without Xvfb says to run under xvfb-run or install Xvfb', () => {
    // an empty PATH directory: no Xvfb to start (node itself is run by its absolute path)
    const env = { ...cleanEnvironment(), PATH: mkdtempSync(join(tmpdir(), 'no-xvfb-')) };
    const [outcome] = outcomes(runModuleSnippet(tryModes(['headlessgl']), env).stdout);
    expect(outcome.error).toBe('GpuModeUnavailableError');
    expect(outcome.message).toContain(
      'gpu.js mode "headlessgl" is not available: headless-gl needs an X display; DISPLAY is not set and Xvfb is not installed',
    );
    expect(outcome.message).toContain('xvfb-run -a');
  });

  it('webgpu with a broken EGL set-up says Dawn found no adapter and how to fix it', () => {
    const env = { ...cleanEnvironment(), EGL_PLATFORM: 'no-such-platform' };
    const [outcome] = outcomes(runModuleSnippet(tryModes(['webgpu']), env).stdout);
    if (outcome.hardwareGpu === true) {
      // a machine with a real GPU: Dawn finds it at core level first, and EGL is never asked
      expect(outcome.reason).toContain('Dawn adapter at core level');
      return;
    }
    expect(outcome.error).toBe('GpuModeUnavailableError');
    expect(outcome.message).toContain('gpu.js mode "webgpu" is not available: Dawn found no adapter');
    expect(outcome.message).toContain('EGL_PLATFORM=surfaceless');
  });

  it('webgpu after headlessgl in one process says the two cannot share a process', () => {
    const [first, second] = outcomes(runModuleSnippet(tryModes(['headlessgl', 'webgpu']), cleanEnvironment()).stdout);
    expect(first.error, 'headlessgl itself starts').toBeUndefined();
    expect(first.ran, "the mode that ran (from its kernels' class), not the one asked for").toBe('headlessgl');
    expect(first.device, 'the GL renderer string, read from the context').toMatch(/^ANGLE \(.+\) through headless-gl on X display :/);
    expect(second.error).toBe('GpuModeUnavailableError');
    expect(second.message).toContain('this process already started headlessgl');
    expect(second.message).toContain('separate processes');
  });

  it('webgl2 and webgl in Node say they need a browser and name the Node modes', async () => {
    for (const mode of ['webgl2', 'webgl'] as const) {
      const attempt = createGpuBackend({ mode });
      await expect(attempt).rejects.toBeInstanceOf(GpuModeUnavailableError);
      await expect(attempt).rejects.toThrow(
        `gpu.js mode "${mode}" is not available: ${mode} needs a browser canvas and Node has none. To get it: in Node ask for headlessgl`,
      );
    }
  });
});

describe('auto', () => {
  it('picks WebGPU on a hardware adapter, else webasm (never a software rasteriser), and says plainly when no GPU is present', () => {
    const [outcome] = outcomes(runModuleSnippet(tryModes(['auto']), cleanEnvironment()).stdout);
    expect(outcome.error).toBeUndefined();
    if (outcome.hardwareGpu === true) {
      expect(outcome.ran).toBe('webgpu');
      expect(outcome.reason).toContain('auto: WebGPU on a hardware adapter');
    } else {
      expect(outcome.ran).toBe('webasm');
      expect(outcome.device).toBe('WebAssembly (no GPU)');
      expect(outcome.reason).toMatch(/^auto: no GPU present — (WebGPU only on a software rasteriser|no WebGPU).*; webasm runs$/);
    }
    if (expectedGpuModes().has('webgpu') && outcome.hardwareGpu !== true) {
      // WebGPU runs here (CI lists it), on llvmpipe: auto names it and passes it over
      expect(outcome.reason).toMatch(/WebGPU only on a software rasteriser \(llvmpipe.*\), which webasm outruns; webasm runs$/);
    }
  });

  it('looks for the adapter in a child process: choosing webasm, it loads neither Dawn nor llvmpipe here, and headlessgl can still start', () => {
    const snippet = `
      import { readFileSync } from 'node:fs';
      import { createGpuBackend } from ${JSON.stringify(distUrl('index.js'))};
      const auto = await createGpuBackend({ mode: 'auto' });
      const maps = readFileSync('/proc/self/maps', 'utf8');
      console.log(JSON.stringify({ ran: auto.mode, hardwareGpu: auto.hardwareGpu, dawnLoaded: maps.includes('dawn.node'), llvmLoaded: maps.includes('libLLVM') }));
      try {
        const gl = await createGpuBackend({ mode: 'headlessgl' });
        console.log(JSON.stringify({ ran: gl.mode }));
      } catch (error) {
        console.log(JSON.stringify({ error: error.name, message: error.message }));
      }
      process.exit(0);`;
    const [auto, headlessgl] = runModuleSnippet(snippet, cleanEnvironment())
      .stdout.split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    if (auto.hardwareGpu === true) return; // WebGPU is chosen, and Dawn is loaded here on purpose
    expect(auto).toEqual({ ran: 'webasm', hardwareGpu: false, dawnLoaded: false, llvmLoaded: false });
    if (expectedGpuModes().has('headlessgl')) expect(headlessgl).toEqual({ ran: 'headlessgl' });
  });

  it('falls back to webasm, saying why, where Dawn finds no adapter', () => {
    const environment = { ...cleanEnvironment(), EGL_PLATFORM: 'no-such-platform' };
    const [outcome] = outcomes(runModuleSnippet(tryModes(['auto']), environment).stdout);
    expect(outcome.error).toBeUndefined();
    expect(outcome.ran).toBe('webasm');
    expect(outcome.reason).toMatch(/^auto: no GPU present — no WebGPU \(.*\); webasm runs$/);
  });
});
