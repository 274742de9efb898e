/**
 * The plan of one training step: every call a {@link TrainingStep} makes to the backend's kernels,
 * in order, recorded by running one step on backend-cpu behind a recording proxy. The docs show it
 * for both step modes, so a reader sees what "compiled" removes: the loss and its seed, the separate
 * bias additions and activations, the activation gradients and the SGD updates (folded into the
 * gradient kernels, shown as `then …` in a call's detail).
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { getBackend, optim, setBackend, tensor, type Backend, type TensorInfo } from '@lenet/core';
import { getModelSpec, type ModelName } from '../models/registry.js';
import { initialModel } from './initial-model.js';
import { TrainingStep, type StepMode } from './training-step.js';

/** One kernel call of a step. */
export interface KernelCall {
  /** The `Kernels` method, e.g. `fusedConv2d`. */
  readonly kernel: string;
  /** The shapes of its tensor arguments, e.g. `[8,1,28,28] [6,1,5,5] [6]`. */
  readonly inputs: string;
  /** Its string arguments (an activation, an op), e.g. `sigmoid`. */
  readonly detail: string;
  /** Whether the optimiser's update made it (the rest is forward, loss and backward). */
  readonly update: boolean;
}

/** The `Backend` members that are not kernels (storage, properties, the step boundary). */
const STORAGE_CALLS = new Set(['name', 'tolerance', 'upload', 'download', 'dispose', 'liveBuffers', 'endStep']);

/** What a gradient epilogue argument adds to a call's detail, e.g. `then ·sigmoid′` or `then SGD update`. */
function epilogueDetail(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return null;
  if (value.kind === 'sgdUpdate') return 'then SGD update';
  if (value.kind === 'activationGrad' && 'op' in value && typeof value.op === 'string') return `then ·${value.op}′`;
  return null;
}

function isTensorInfo(value: unknown): value is TensorInfo {
  return typeof value === 'object' && value !== null && 'dataId' in value && 'shape' in value && Array.isArray(value.shape);
}

/** `backend` with every kernel call appended to `calls`; `updating()` says whether the optimiser is running. */
function recording(backend: Backend, calls: KernelCall[], updating: () => boolean): Backend {
  return new Proxy(backend, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (STORAGE_CALLS.has(property)) return value.bind(target);
      return (...args: unknown[]): unknown => {
        calls.push({
          kernel: property,
          inputs: args
            .filter(isTensorInfo)
            .map((info) => `[${info.shape.join(',')}]`)
            .join(' '),
          detail: [
            ...args.filter((arg): arg is string => typeof arg === 'string'),
            ...args.map(epilogueDetail).filter((d): d is string => d !== null),
          ].join(' '),
          update: updating(),
        });
        return Reflect.apply(value, target, args);
      };
    },
  });
}

/**
 * The kernel calls of one training step of `model` at batch `batch` in `mode` (the second step, so
 * that every gradient already exists, as in the steady state of training).
 */
export function recordStepKernels(model: ModelName, mode: StepMode, batch = 8): KernelCall[] {
  let previous: Backend | null = null;
  try {
    previous = getBackend();
  } catch {
    // no backend set: nothing to restore
  }
  const calls: KernelCall[] = [];
  let updating = false;
  const backend = recording(new CpuBackend(), calls, () => updating);
  setBackend(backend);
  try {
    const spec = getModelSpec(model);
    const network = initialModel({ model, seed: 1 });
    const optimizer = new optim.SGD(network.parameters(), { lr: spec.defaultLr });
    const update = optimizer.step.bind(optimizer);
    optimizer.step = (options) => {
      updating = true;
      try {
        update(options);
      } finally {
        updating = false;
      }
    };
    const step = new TrainingStep(network, optimizer, mode);
    const exampleSize = spec.exampleShape.reduce((a, b) => a * b, 1);
    const images = tensor(new Float32Array(batch * exampleSize).fill(0.5), [batch, ...spec.exampleShape]);
    const labels = tensor(
      Float32Array.from({ length: batch }, (_, n) => n % 10),
      [batch],
    );
    let sums = tensor(Float32Array.of(0, 0), [2]);
    for (let s = 0; s < 2; s++) {
      if (s === 1) calls.length = 0;
      const next = step.run(images, labels, sums);
      sums.dispose();
      sums = next;
    }
    const recorded = [...calls];
    sums.dispose();
    images.dispose();
    labels.dispose();
    optimizer.zeroGrad();
    optimizer.dispose();
    network.dispose();
    return recorded;
  } finally {
    // the previous backend again; with none, a plain one, never the recording proxy
    setBackend(previous ?? new CpuBackend());
  }
}
