/**
 * gpu.js mode `webgpu`: the mode suite (see support/describe-gpu-mode.ts) in its own process.
 */
import { describeGpuMode } from './support/describe-gpu-mode.js';

await describeGpuMode('webgpu', { numRuns: 12, conformanceRuns: 5 });
