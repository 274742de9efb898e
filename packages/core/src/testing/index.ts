/**
 * `@lenet/core/testing`: the conformance suite every backend runs against itself.
 *
 * One call registers the same vitest tests for any backend — hand-worked known values, forward
 * passes against a float64 reference, finite-difference gradient checks of every op over shapes
 * drawn by fast-check, the errors of bad arguments, memory scopes, `nn.Module` (names, buffers,
 * state dicts), the layers (`Conv2d`, `Linear`, …) against their formulas, `init`, `optim.SGD`, a
 * tiny network that trains, and graph pictures — judged with the tolerance the backend declares
 * (`backend.tolerance`).
 *
 * @example
 * // packages/backend-cpu/test/conformance.test.ts
 * import { describeBackendConformance } from '@lenet/core/testing';
 * import { CpuBackend } from '@lenet/backend-cpu';
 * describeBackendConformance('cpu', () => new CpuBackend());
 *
 * @example
 * // one suite per GPU mode, describe.each style
 * for (const mode of ['cpu', 'headlessgl'] as const) {
 *   describeBackendConformance(`gpu.js:${mode}`, () => createGpuBackend({ mode }), { numRuns: 5 });
 * }
 * @module
 */
import { beforeAll, beforeEach, describe } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { setBackend } from '../engine/engine.js';
import { DEFAULT_NUM_RUNS, type ConformanceContext, type ConformanceOptions } from './context.js';
import { describeErrors } from './errors.js';
import { describeForwardChecks } from './forward-checks.js';
import { describeFusedChecks } from './fused-checks.js';
import { describeFusedNetworkChecks } from './fused-network-checks.js';
import { describeGradientChecks } from './gradient-checks.js';
import { describeGraphPictures } from './graph-pictures.js';
import { describeInitChecks } from './init-checks.js';
import { describeKnownValues } from './known-values.js';
import { describeLayerChecks } from './layer-checks.js';
import { describeMemory } from './memory.js';
import { describeModuleChecks } from './module-checks.js';
import { describeOptimChecks } from './optim-checks.js';
import { describeTraining } from './training.js';

export type { ConformanceContext, ConformanceOptions } from './context.js';
export { DEFAULT_NUM_RUNS } from './context.js';
export { expectAllClose, expectTensor, gradOf } from './expect-close.js';
export { d2lLeNet } from './networks.js';
export {
  checkGradients,
  FINITE_DIFFERENCE_STEP,
  GRADIENT_TOLERANCE_FLOOR,
  gradientTolerance,
  type GradientInput,
  type GradientProblem,
} from './gradient-check.js';

/**
 * Registers the conformance suite for one backend as a vitest `describe` block named
 * `conformance: <label>`. `makeBackend` runs once, in a `beforeAll` hook, and the backend is made
 * the default (`setBackend`) before every test, so several suites (one per GPU mode) can share a
 * file.
 * @param label names the backend in test reports, e.g. `'cpu'` or `'gpu.js:webgl'`
 * @param makeBackend creates the backend under test (may be async)
 * @param options fast-check runs and seed, and how many elements a gradient check differentiates
 */
export function describeBackendConformance(
  label: string,
  makeBackend: () => Backend | Promise<Backend>,
  options: ConformanceOptions = {},
): void {
  let backend: Backend | null = null;
  const context: ConformanceContext = {
    get backend(): Backend {
      if (backend === null) throw new Error(`conformance ${label}: the backend is not made yet (it is made in beforeAll)`);
      return backend;
    },
    numRuns: options.numRuns ?? DEFAULT_NUM_RUNS,
    seed: options.seed,
    maxCheckedElements: options.maxCheckedElements ?? Number.POSITIVE_INFINITY,
  };

  describe(`conformance: ${label}`, () => {
    beforeAll(async () => {
      backend = await makeBackend();
    });
    beforeEach(() => {
      setBackend(context.backend);
    });

    describeKnownValues(context);
    describeForwardChecks(context);
    describeGradientChecks(context);
    describeFusedChecks(context);
    describeFusedNetworkChecks(context);
    describeErrors(context);
    describeMemory(context);
    describeModuleChecks(context);
    describeLayerChecks(context);
    describeInitChecks(context);
    describeOptimChecks(context);
    describeTraining(context);
    describeGraphPictures(context);
  });
}
