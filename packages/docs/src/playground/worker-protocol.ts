/**
 * The messages between the page and the training worker (`training-worker.ts`): what the page asks
 * for, and what the worker reports. Plain data only (structured clone).
 * @module
 */
import type { EpochMetrics, ImageClassificationSplit } from '@lenet/models/browser';
import type { BackendChoice, WebasmThreads } from './backends.js';
import type { FormulaComparison, GradientCheck } from './formula-check.js';
import type { NetworkProbe } from './network-probe.js';
import type { ShaderListing } from './shaders.js';
import type { StepPoint, TrainerState, TrainSettings } from './trainer.js';

/** One state-dict entry as it crosses to the page. */
export type WeightEntry = readonly [name: string, value: { readonly data: Float32Array; readonly shape: readonly number[] }];

/** The network seen from inside, on the batch about to be trained on (maps of its first example). */
export interface NetworkView extends NetworkProbe {
  /** The global step this example's batch is (1-based): the views show the weights that step starts from. */
  readonly step: number;
  readonly epoch: number;
  /** The first example's index in the training split, its label and pixels (28 × 28 in [0, 1]). */
  readonly example: number;
  readonly label: number;
  readonly pixels: Float32Array;
  /** How long the probe took in the worker (ms). */
  readonly probeMs: number;
}

/** The test gallery and the confusion matrix, after an epoch. */
export interface GalleryReport {
  readonly epoch: number;
  /** The first test images: pixels (28 × 28 bytes), label and the 10 probabilities each. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly probabilities: Float32Array;
  /** counts[true class][predicted class] over the test examples evaluated. */
  readonly confusion: number[][];
}

/** What the page sends. */
export type ToWorker =
  | {
      readonly kind: 'start';
      readonly choice: BackendChoice;
      readonly settings: TrainSettings;
      readonly train: ImageClassificationSplit;
      readonly test: ImageClassificationSplit;
      /** Least time between two views of the network (ms), or null: views off. */
      readonly viewsIntervalMs: number | null;
      /** Start paused, then run one step (One step before Start). */
      readonly oneStep: boolean;
      /** Replace the GPU.js conv2d kernel by a wrong one (the formula table must flag it). */
      readonly wrongKernel: boolean;
    }
  | { readonly kind: 'pause' | 'resume' | 'stop' | 'stepOnce' | 'weights' | 'compare' | 'shaders' }
  | { readonly kind: 'hyperparameters'; readonly lr: number; readonly momentum: number }
  | { readonly kind: 'views'; readonly intervalMs: number | null }
  | { readonly kind: 'gradientCheck'; readonly picks: ReadonlyArray<{ parameter: string; index: number }> };

/** What the worker reports. */
export type FromWorker =
  | {
      readonly kind: 'opened';
      readonly mode: string;
      readonly device: string;
      readonly gpuMode: string;
      readonly threads: WebasmThreads | null;
    }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'state'; readonly state: TrainerState; readonly detail: string }
  | { readonly kind: 'step'; readonly point: StepPoint }
  | { readonly kind: 'epoch'; readonly metrics: EpochMetrics }
  | { readonly kind: 'view'; readonly view: NetworkView }
  | { readonly kind: 'gallery'; readonly gallery: GalleryReport }
  | { readonly kind: 'weights'; readonly entries: readonly WeightEntry[]; readonly lastGood: readonly WeightEntry[] | null }
  | { readonly kind: 'comparison'; readonly step: number; readonly rows: readonly FormulaComparison[] }
  | { readonly kind: 'gradientCheck'; readonly checks: readonly GradientCheck[] }
  | { readonly kind: 'shaders'; readonly mode: string; readonly device: string; readonly listings: readonly ShaderListing[] }
  | { readonly kind: 'error'; readonly message: string };
