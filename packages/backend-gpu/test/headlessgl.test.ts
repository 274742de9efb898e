/**
 * gpu.js mode `headlessgl`: the mode suite (see support/describe-gpu-mode.ts) in its own process.
 */
import { describeGpuMode } from './support/describe-gpu-mode.js';

await describeGpuMode('headlessgl', { numRuns: 12, conformanceRuns: 5 });
