/**
 * Benchmarks one backend in this process and prints its {@link BenchResult} as one JSON line.
 * Run by `run-bench.ts`, one process per backend (headless-gl and Dawn cannot share a process).
 *
 *   node dist/bench/bench-one.js <backend-cpu|webgpu|headlessgl|webasm|cpu|...> <batches file> [bench options]
 * @module
 */
import { availableParallelism } from 'node:os';
import { CpuBackend } from '@lenet/backend-cpu';
import type { Backend } from '@lenet/core';
import { createGpuBackend, isConcreteGpuMode } from '@lenet/backend-gpu';
import { parseBenchArguments } from './bench-arguments.js';
import { readBenchBatches } from './bench-batches.js';
import { RESULT_PREFIX, type BenchResult } from './bench-result.js';
import { measureKernels, measureTraining } from './measure-backend.js';
import type { ProcessCpu } from './process-cpu.js';

/**
 * The cores and threads of `target` in this process: `cores` as the benchmark pinned it (or every
 * core); webasm's pool has one worker per core; llvmpipe (a software GPU) has LP_NUM_THREADS.
 */
function processCpu(target: string, cores: number, pinned: boolean, hardwareGpu: boolean): ProcessCpu {
  const base = { cores, pinned };
  if (target === 'webasm') return { ...base, threads: cores, threading: `gpu.js worker pool of ${cores} (kernels of ≥ 4096 outputs)` };
  if (target === 'webgpu' || target === 'headlessgl' || target === 'webgl2' || target === 'webgl') {
    if (hardwareGpu) return { ...base, threads: null, threading: 'the GPU' };
    const lp = Number(process.env.LP_NUM_THREADS);
    return Number.isInteger(lp) && lp > 0
      ? { ...base, threads: lp, threading: `llvmpipe, LP_NUM_THREADS=${lp}` }
      : { ...base, threads: null, threading: "llvmpipe's default threads" };
  }
  return { ...base, threads: 1, threading: 'JavaScript, 1 thread' };
}

async function webGpuAdapterDetails(): Promise<Record<string, string | number | boolean>> {
  const navigatorObject: unknown = Reflect.get(globalThis, 'navigator');
  const gpu: unknown = typeof navigatorObject === 'object' && navigatorObject !== null ? Reflect.get(navigatorObject, 'gpu') : undefined;
  if (typeof gpu !== 'object' || gpu === null || typeof Reflect.get(gpu, 'requestAdapter') !== 'function') {
    return { adapter: 'navigator.gpu is missing' };
  }
  const adapter: unknown = await Reflect.apply(Reflect.get(gpu, 'requestAdapter'), gpu, []);
  if (typeof adapter !== 'object' || adapter === null) {
    return { adapter: 'none' };
  }
  const details: Record<string, string | number | boolean> = {};
  const info: unknown = Reflect.get(adapter, 'info');
  const limits: unknown = Reflect.get(adapter, 'limits');
  for (const [source, keys] of [
    [info, ['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter']],
    [
      limits,
      [
        'maxComputeWorkgroupSizeX',
        'maxComputeInvocationsPerWorkgroup',
        'maxStorageBufferBindingSize',
        'maxStorageBuffersPerShaderStage',
        'maxComputeWorkgroupsPerDimension',
      ],
    ],
  ] as const) {
    if (typeof source !== 'object' || source === null) continue;
    for (const key of keys) {
      const value: unknown = Reflect.get(source, key);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') details[key] = value;
    }
  }
  return details;
}

async function benchmark(target: string, batchesFile: string, argv: readonly string[]): Promise<BenchResult> {
  const options = parseBenchArguments(argv);
  if (options === 'help') return { target, error: 'bench-one takes the options run-bench forwards; npm run bench -- --help lists them' };
  let backend: Backend;
  let result: BenchResult = { target };
  const cores = options.cores ?? availableParallelism();
  const pinned = options.cores !== null;
  if (target === 'backend-cpu') {
    backend = new CpuBackend();
    result = {
      target,
      backend: backend.name,
      device: 'JavaScript (plain loops)',
      hardwareGpu: false,
      cpu: processCpu(target, cores, pinned, false),
    };
  } else if (isConcreteGpuMode(target)) {
    try {
      const gpu = await createGpuBackend({ mode: target, wasmPoolSize: cores });
      backend = gpu;
      result = {
        target,
        backend: gpu.name,
        device: gpu.device,
        hardwareGpu: gpu.hardwareGpu,
        reason: gpu.reason,
        cpu: processCpu(target, cores, pinned, gpu.hardwareGpu),
      };
      if (options.deviceInfo && target === 'webgpu') {
        result = { ...result, deviceInfo: await webGpuAdapterDetails() };
      }
    } catch (error) {
      return { target, error: error instanceof Error ? error.message : String(error) };
    }
  } else {
    return { target, error: `unknown benchmark target ${target}; use backend-cpu or a gpu.js mode` };
  }
  try {
    const kernels = options.kernels ? await measureKernels(backend, { batch: options.batch, kernelReps: options.kernelReps }) : undefined;
    const training = await measureTraining(backend, readBenchBatches(batchesFile), target === 'backend-cpu' ? 'eager' : options.stepMode);
    return { ...result, kernels, training };
  } catch (error) {
    return { ...result, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

const [target = '', batchesFile = '', ...rest] = process.argv.slice(2);
benchmark(target, batchesFile, rest).then(
  (result) => process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0)),
  (error: unknown) => process.stderr.write(`${String(error)}\n`, () => process.exit(1)),
);
