/**
 * The one vitest set-up every package shares. A package's `vitest.config.ts` spreads it and adds
 * only what is its own (for example the GPU modes it runs).
 */
import { defineConfig } from 'vitest/config';

// Dawn (the `webgpu` package) reads EGL_PLATFORM with the native getenv, so it must be in the real
// process environment before any worker starts; vitest.config runs in the main process.
process.env.EGL_PLATFORM ??= 'surfaceless';
process.env.XDG_RUNTIME_DIR ??= '/tmp';

export const sharedTestConfig = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
