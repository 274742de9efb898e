/**
 * gpu.js mode `cpu`: the mode suite (see support/describe-gpu-mode.ts) in its own process.
 */
import { describeGpuMode } from './support/describe-gpu-mode.js';

await describeGpuMode('cpu', { numRuns: 25, conformanceRuns: 10 });
