import { describeBackendConformance } from '@lenet/core/testing';
import { createGpuBackend, type ConcreteGpuMode } from '../src/index.js';
const mode = (process.env.GPUMODE ?? 'cpu') as ConcreteGpuMode;
describeBackendConformance(`gpu.js:${mode}`, () => createGpuBackend({ mode }), { numRuns: Number(process.env.RUNS ?? 5), maxCheckedElements: 24 });
import { afterAll } from 'vitest';
afterAll(() => { const g = globalThis as { worst?: Map<string, number> }; console.log([...(g.worst ?? [])].map(([k, v]) => `${k}: ${v.toExponential(2)}`).join('\n')); });
