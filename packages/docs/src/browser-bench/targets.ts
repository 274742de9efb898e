/**
 * What the browser benchmark runs: LeNet.ts's gpu.js modes and TensorFlow.js's backends, named as
 * the page and the results file name them. Shared by the page and the Node side.
 * @module
 */

/** Every target, in the order of a round. */
export const BROWSER_BENCH_TARGETS = [
  'lenet-webgpu',
  'lenet-webgl2',
  'lenet-webasm',
  'lenet-webasm-unpatched',
  'tfjs-wasm',
  'tfjs-webgl',
  'tfjs-webgpu',
] as const;

/** One of {@link BROWSER_BENCH_TARGETS}. */
export type BrowserBenchTarget = (typeof BROWSER_BENCH_TARGETS)[number];

/** How a target reads in the tables. */
export const TARGET_LABELS: Readonly<Record<BrowserBenchTarget, string>> = {
  'lenet-webgpu': 'LeNet.ts webgpu',
  'lenet-webgl2': 'LeNet.ts webgl2',
  'lenet-webasm': 'LeNet.ts webasm (the Playground now: patched gpu.js)',
  'lenet-webasm-unpatched': "LeNet.ts webasm (the Playground before: gpu.js's browser build)",
  'tfjs-wasm': 'TensorFlow.js wasm',
  'tfjs-webgl': 'TensorFlow.js webgl',
  'tfjs-webgpu': 'TensorFlow.js webgpu',
};

/** Whether `value` names a target. */
export function isBrowserBenchTarget(value: string): value is BrowserBenchTarget {
  return (BROWSER_BENCH_TARGETS as readonly string[]).includes(value);
}

/** What one run of one target in the page returns. */
export interface PageRun {
  readonly target: BrowserBenchTarget;
  /** The GPU.js mode that ran (its kernels' class) or TensorFlow.js's backend and version. */
  readonly ran: string;
  readonly device: string;
  /** Worker threads the target computed on (webasm's pool, tfjs-wasm's threads); null on a GPU. */
  readonly threads: number | null;
  /** Workers the page started during the run (webasm: one pool, or one per kernel unpatched). */
  readonly workersStarted: number;
  /** Every step's time, warm-up first, and every step's loss. */
  readonly stepsMs: readonly number[];
  readonly losses: readonly number[];
  /** The Node benchmark's summary of those steps (`summariseSteps`): the median step, examples/s. */
  readonly msPerStep: number;
  readonly examplesPerSecond: number;
  /** The benchmark's recipe (`BENCH_RECIPE` of `@lenet/models`). */
  readonly recipe: Readonly<Record<string, string | number>>;
}
