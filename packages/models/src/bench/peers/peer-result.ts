/**
 * What a peer (another framework training the same network on the same batches) reports.
 * @module
 */
import type { ProcessCpu } from '../process-cpu.js';
import type { Rounds } from '../rounds.js';
import type { StepTiming } from '../step-timing.js';

/** The peers the benchmark knows. */
export const PEER_NAMES = ['tfjs-wasm', 'pytorch'] as const;

/** One of {@link PEER_NAMES}. */
export type PeerName = (typeof PEER_NAMES)[number];

/** One peer's figures, or why it did not run. */
export interface PeerResult {
  readonly peer: PeerName;
  /** e.g. `TensorFlow.js 4.22.0 (wasm)`, `PyTorch 1.13.0 (cpu)`. */
  readonly label: string;
  /** Where it ran, e.g. `WebAssembly SIMD, 1 thread` or `CPU, 2 threads`. */
  readonly device?: string;
  /** How it ran: versions, SIMD, threads, CUDA device … */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  readonly training?: StepTiming;
  /** The cores and threads it ran on. */
  readonly cpu?: ProcessCpu;
  /** Its examples per second over the interleaved rounds (`training` is the median round's). */
  readonly rounds?: Rounds;
  /** Set when the peer is not installed here (the run carries on; not a failure). */
  readonly unavailable?: string;
  /** Set when the peer started and failed. */
  readonly error?: string;
}

/** The line prefix a peer's child process prints its result after. */
export const PEER_RESULT_PREFIX = 'PEER_RESULT ';
