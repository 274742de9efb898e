/**
 * Everything one gpu.js mode is tested for, registered from one test file per mode (webgpu and
 * headlessgl cannot share a process, so each mode has its own file, hence its own vitest fork).
 *
 * If the mode starts: it must report itself and its device, every compiled kernel must be of the
 * mode's gpu.js class, the kernel property tests and LeNet-sized checks must match backend-cpu,
 * kernels must be compiled once per shape and buffers freed. If it does not start: when CI lists
 * it in `LENET_GPU_MODES` the file fails; locally the error must be the clear one.
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { describe, expect, it } from 'vitest';
import { computeConv2dInfo } from '@lenet/core';
import { describeBackendConformance } from '@lenet/core/testing';
import { createGpuBackend, GpuModeUnavailableError, KERNEL_CLASS_BY_MODE, type ConcreteGpuMode, type GpuBackend } from '../../src/index.js';
import { expectedGpuModes } from './expected-modes.js';
import { describeKernelProperties } from './kernel-properties.js';
import { describeLenetParity } from './lenet-parity.js';
import { describeLenetShapes } from './lenet-shapes.js';
import { seededValues } from './seeded-values.js';
import { TwinBackends } from './twin-backends.js';

/** Per-mode knobs. */
export interface GpuModeSuiteOptions {
  /** fast-check cases per kernel property. */
  readonly numRuns: number;
  /** fast-check cases per property of core's conformance suite. */
  readonly conformanceRuns: number;
}

/** What trying to start a mode gave. */
export type ModeOutcome = { readonly backend: GpuBackend } | { readonly error: unknown };

/**
 * Starts `mode`, or records why it cannot start. Throws (failing the test file) if CI lists the
 * mode in `LENET_GPU_MODES` and it cannot start.
 */
export async function startGpuMode(mode: ConcreteGpuMode): Promise<ModeOutcome> {
  try {
    const backend = await createGpuBackend({ mode });
    console.info(`[backend-gpu] mode ${mode} RAN on ${backend.device}`);
    return { backend };
  } catch (error) {
    if (expectedGpuModes().has(mode)) {
      throw new Error(
        `LENET_GPU_MODES expects gpu.js mode ${mode}, and it could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    console.info(
      `[backend-gpu] mode ${mode} NOT AVAILABLE here, testing its error instead: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { error };
  }
}

/** Registers the whole suite for `mode` (top-level `await` in the mode's test file). */
export async function describeGpuMode(mode: ConcreteGpuMode, options: GpuModeSuiteOptions): Promise<ModeOutcome> {
  const outcome = await startGpuMode(mode);
  if (!('backend' in outcome)) {
    describe(`gpu.js mode ${mode} (not available here)`, () => {
      it('fails with an error naming the mode, why, and how to get it', () => {
        const error = outcome.error;
        if (!(error instanceof GpuModeUnavailableError)) {
          throw new Error(`expected a GpuModeUnavailableError, got ${String(error)}`);
        }
        expect(error.mode).toBe(mode);
        expect(error.message).toContain(`"${mode}"`);
        expect(error.reason.length).toBeGreaterThan(10);
        expect(error.remedy.length).toBeGreaterThan(10);
      });
    });
    return outcome;
  }
  const backend = outcome.backend;
  const twins = new TwinBackends(backend, new CpuBackend());

  describe(`gpu.js mode ${mode} on ${backend.device}`, () => {
    it('reports the mode that runs and its device', () => {
      expect(backend.mode).toBe(mode);
      expect(backend.name).toBe(`gpu.js:${mode}`);
      expect(backend.device.length).toBeGreaterThan(3);
    });

    describeKernelProperties(() => twins, { numRuns: options.numRuns });
    describeLenetShapes(() => twins);
    describeLenetParity(() => backend);

    it(`ran every compiled kernel as ${KERNEL_CLASS_BY_MODE[mode]}`, () => {
      const classes = backend.compiledKernelClasses();
      expect(classes.length).toBeGreaterThan(20);
      expect(new Set(classes)).toEqual(new Set([KERNEL_CLASS_BY_MODE[mode]]));
    });

    it('compiles a kernel once per shape and frees every buffer it made', async () => {
      const info = computeConv2dInfo([2, 3, 9, 8], [4, 3, 3, 2], [1, 2], [1, 0]);
      const step = async (): Promise<void> => {
        const x = backend.upload(seededValues(5, 2 * 3 * 9 * 8), info.inShape);
        const w = backend.upload(seededValues(6, 4 * 3 * 3 * 2), info.filterShape);
        const z = backend.conv2d({ dataId: x, shape: info.inShape }, { dataId: w, shape: info.filterShape }, info);
        const a = backend.unary('sigmoid', { dataId: z, shape: info.outShape });
        const dw = backend.conv2dBackpropFilter({ dataId: x, shape: info.inShape }, { dataId: a, shape: info.outShape }, info);
        await backend.download(dw);
        for (const id of [x, w, z, a, dw]) backend.dispose(id);
      };
      await step();
      const compiled = backend.compiledKernels;
      const live = backend.liveBuffers();
      for (let i = 0; i < 3; i++) await step();
      expect(backend.compiledKernels).toBe(compiled);
      expect(backend.liveBuffers()).toBe(live);
    });

    it('fills with any value, ±∞ included, from one compiled kernel', async () => {
      const values = [0.25, -Infinity, Infinity, -3, 1e30];
      const compiledBefore = backend.compiledKernels;
      for (const value of values) {
        const id = backend.fill([3, 7], value);
        expect(Array.from(await backend.download(id))).toEqual(new Array(21).fill(Math.fround(value)));
        backend.dispose(id);
      }
      expect(backend.compiledKernels - compiledBefore).toBeLessThanOrEqual(1);
    });

    it('throws when a buffer is disposed twice, naming it', () => {
      const id = backend.upload(Float32Array.of(1, 2), [2]);
      backend.dispose(id);
      expect(() => backend.dispose(id)).toThrow(`dispose: buffer #${id.id} is not live on gpu.js:${mode}`);
    });
  });
  describeBackendConformance(`gpu.js:${mode}`, () => backend, { numRuns: options.conformanceRuns });
  return outcome;
}
