/**
 * headlessgl names its device from the GL renderer string, as the browser modes name theirs, not
 * from a fixed label. Its own file (hence its own process): it loads headless-gl, which cannot
 * share a process with Dawn. The backend starts Xvfb itself when DISPLAY is unset; `xvfb-run -a`
 * works too.
 */
import { describe, expect, it } from 'vitest';
import { createGpuBackend, type GpuBackend } from '../src/index.js';
import { readHeadlessGlRenderer } from '../src/setup/headlessgl-node.js';
import { isSoftwareRenderer } from '../src/setup/software-renderer.js';
import { expectedGpuModes } from './support/expected-modes.js';
import { cleanEnvironment, distUrl, runModuleSnippet } from './support/run-node.js';

/** Starts headlessgl, or returns null where it cannot run and CI does not list it. */
async function startHeadlessGl(): Promise<GpuBackend | null> {
  try {
    return await createGpuBackend({ mode: 'headlessgl' });
  } catch (error) {
    if (expectedGpuModes().has('headlessgl')) throw error;
    console.info(
      `[backend-gpu] headlessgl NOT AVAILABLE here, its device is not tested: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}

const backend = await startHeadlessGl();

/** The device a fresh process reports for headlessgl with `GALLIUM_DRIVER` set to `driver`. */
function deviceWithGalliumDriver(driver: string): { device?: string; hardwareGpu?: boolean; error?: string } {
  const snippet = `
    import { createGpuBackend } from ${JSON.stringify(distUrl('index.js'))};
    try {
      const backend = await createGpuBackend({ mode: 'headlessgl' });
      console.log(JSON.stringify({ device: backend.device, hardwareGpu: backend.hardwareGpu }));
    } catch (error) {
      console.log(JSON.stringify({ error: error.message }));
    }
    process.exit(0);`;
  const child = runModuleSnippet(snippet, { ...cleanEnvironment(), GALLIUM_DRIVER: driver });
  const line = child.stdout.split('\n').find((text) => text.startsWith('{'));
  if (line === undefined) throw new Error(`no outcome from the child process: ${child.stderr}`);
  return JSON.parse(line) as { device?: string; hardwareGpu?: boolean; error?: string };
}

describe.skipIf(backend === null)('headlessgl device', () => {
  const started = (): GpuBackend => {
    if (backend === null) throw new Error('headlessgl did not start');
    return backend;
  };

  it('is the GL renderer string of a fresh headless-gl context, and hardwareGpu follows it', () => {
    const found = readHeadlessGlRenderer();
    expect(found, 'a renderer string comes back').not.toBeNull();
    const renderer = found?.renderer ?? '';
    // headless-gl's wrapper answers RENDERER with the constant 'ANGLE'; the native string names
    // the driver under ANGLE, e.g. 'ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)'
    expect(renderer).not.toBe('ANGLE');
    expect(renderer).toMatch(/^ANGLE \(.+\)$/);
    expect(started().device.startsWith(`${renderer} through headless-gl on X display :`)).toBe(true);
    expect(found?.software).toBe(isSoftwareRenderer(renderer));
    expect(started().hardwareGpu).toBe(!isSoftwareRenderer(renderer));
    expect(started().mode).toBe('headlessgl');
  });

  it('changes with the driver underneath: Mesa softpipe and llvmpipe each name themselves', () => {
    const renderer = readHeadlessGlRenderer()?.renderer ?? '';
    if (!/Mesa/.test(renderer)) {
      // GALLIUM_DRIVER picks Mesa's software rasteriser only where Mesa renders (not on a GPU driver)
      console.info(`[backend-gpu] headlessgl renders on ${renderer}, not Mesa: the GALLIUM_DRIVER check does not apply`);
      return;
    }
    const softpipe = deviceWithGalliumDriver('softpipe');
    expect(softpipe.error).toBeUndefined();
    expect(softpipe.device).toMatch(
      /^ANGLE \(.*\bsoftpipe\b.*\) through headless-gl on X display :\d+ \(an Xvfb started by this backend\)$/,
    );
    expect(softpipe.hardwareGpu).toBe(false);
    const llvmpipe = deviceWithGalliumDriver('llvmpipe');
    expect(llvmpipe.error).toBeUndefined();
    expect(llvmpipe.device).toMatch(
      /^ANGLE \(.*\bllvmpipe\b.*\) through headless-gl on X display :\d+ \(an Xvfb started by this backend\)$/,
    );
    expect(llvmpipe.hardwareGpu).toBe(false);
  }, 120_000);
});
