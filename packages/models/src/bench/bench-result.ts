/**
 * What one benchmarked backend reports, as JSON between the benchmark's processes and in the
 * results file.
 * @module
 */
import type { KernelTiming, TrainingTiming } from './measure-backend.js';
import type { ProcessCpu } from './process-cpu.js';
import type { Rounds } from './rounds.js';

/** One backend's figures, or why it did not run. */
export interface BenchResult {
  /** `backend-cpu` or a gpu.js mode. */
  readonly target: string;
  /** The backend's name, e.g. `gpu.js:webgpu`. */
  readonly backend?: string;
  readonly device?: string;
  readonly hardwareGpu?: boolean;
  readonly reason?: string;
  readonly kernels?: readonly KernelTiming[];
  readonly training?: TrainingTiming;
  /** Adapter details (`--device-info`). */
  readonly deviceInfo?: Readonly<Record<string, string | number | boolean>>;
  /** The cores and threads it ran on. */
  readonly cpu?: ProcessCpu;
  /** Its examples per second over the interleaved rounds (`training` is the median round's). */
  readonly rounds?: Rounds;
  /** Set when the backend could not start or failed. */
  readonly error?: string;
}

/** The line prefix a benchmark child prints its result after. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
