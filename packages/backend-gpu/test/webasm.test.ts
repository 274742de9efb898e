/**
 * gpu.js mode `webasm`: the mode suite (see support/describe-gpu-mode.ts) in its own process.
 */
import { describeGpuMode } from './support/describe-gpu-mode.js';

await describeGpuMode('webasm', { numRuns: 25, conformanceRuns: 10 });
