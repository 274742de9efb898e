/**
 * The patch of gpu.js 2.24.1's WebAssembly emitter (`patches/gpu.js+2.24.1.patch`, applied by
 * patch-package on `npm ci`): each change is shown by a kernel whose result depends on it, so a
 * clone where the patch did not apply fails here rather than running slower unnoticed. Every check
 * also runs against a copy of gpu.js with the patch reverse-applied, where it must fail (or be
 * killed: without the patch a kernel can loop for minutes), so none of them passes without it.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH_CHECKS, type PatchCheck } from './support/gpujs-patch-checks.js';
import { INSTALLED_GPUJS, problemsOf, runPatchCheck, unpatchedGpuJsCopy } from './support/gpujs-patch-runner.js';

/** A check's child is killed after this long; the two children of a test run side by side. */
const CHILD_TIMEOUT_MS = 30_000;

describe('the gpu.js WebAssembly patch', () => {
  let unpatched = '';
  beforeAll(() => {
    unpatched = unpatchedGpuJsCopy();
  });
  afterAll(() => {
    if (unpatched !== '') rmSync(dirname(dirname(unpatched)), { recursive: true, force: true });
  });

  it.each(PATCH_CHECKS)(
    '$title: holds with the patch, fails without it',
    async (check) => {
      const [patched, original] = await Promise.all([
        runPatchCheck(check, INSTALLED_GPUJS, CHILD_TIMEOUT_MS),
        runPatchCheck(check, unpatched, CHILD_TIMEOUT_MS),
      ]);
      expect(problemsOf(check, patched), 'with the patch').toEqual([]);
      expect(problemsOf(check, original), 'without the patch (gpu.js as published)').not.toEqual([]);
      // and it fails through what it checks, not because the unpatched copy could not run
      expect(original.kind === 'failed' ? original.message : '', 'the check crashed without the patch').toBe('');
    },
    60_000,
  );

  it('kills a check whose kernel never returns, and counts that as a problem', async () => {
    const endless: PatchCheck = {
      title: 'a loop without end',
      source: 'function () { for (;;) {} }',
      problems: () => [],
    };
    const run = await runPatchCheck(endless, INSTALLED_GPUJS, 2_000);
    expect(run.kind).toBe('timed out');
    expect(problemsOf(endless, run)).toEqual([expect.stringMatching(/^killed after \d+ ms/)]);
  });
});
