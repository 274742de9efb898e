/**
 * The compiled training step (fused kernels, the loss gradient as the seed) against the eager one
 * on backend-cpu, the oracle: on backend-cpu itself and on gpu.js webasm and webgpu.
 *
 * What is compared, for d2l's LeNet on 16 real Fashion-MNIST images:
 * - each parameter's gradient after one step, within a tolerance relative to that gradient's own
 *   largest value (so a small gradient that is wrong, or zero, cannot hide under an absolute bound).
 *   The compiled step updates the weights in the backward pass and keeps no `.grad`; its gradient
 *   is read from the first update, ∂L/∂w = (w₀ − w₁)/η;
 * - each parameter's change over 5 steps, relative to the size of that change (C1's weights move
 *   by less than 1e-3 in 5 steps, so comparing the weights themselves would let a broken C1 through).
 *
 * The comparison is run once more on a deliberately broken backend (zero ∂L/∂w for C1, or zero
 * ∂L/∂x of a convolution) and must fail there: the test shows that it can catch what it is about.
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { createGpuBackend, type ConcreteGpuMode } from '@lenet/backend-gpu';
import {
  optim,
  Rng,
  setBackend,
  tensor,
  type Backend,
  type DataId,
  type GradientEpilogue,
  type nn,
  type Tensor,
  type TensorInfo,
  type WindowInfo,
} from '@lenet/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import { scaleToUnitInterval } from '../src/data/idx-bytes.js';
import { getModelSpec } from '../src/models/registry.js';
import { initWeights } from '../src/training/init-weights.js';
import { TrainingStep, type StepMode } from '../src/training/training-step.js';

const BATCH = 16;
const STEPS = 5;
/** |actual − oracle| ≤ TOLERANCE · max |oracle| for every element of a gradient or a 5-step change (float32 vs float64 accumulation). */
const TOLERANCE = 2e-3;

interface RunResult {
  /** Each parameter's gradient after the first step, by state-dict name. */
  readonly gradients: Map<string, Float32Array>;
  /** Each parameter's change over {@link STEPS} steps. */
  readonly changes: Map<string, Float32Array>;
}

let images: Float32Array;
let labels: Float32Array;
let oracle: RunResult;

/** Trains d2l's LeNet for {@link STEPS} steps of the same batches on `backend`, in `mode`. */
async function run(backend: Backend, mode: StepMode): Promise<RunResult> {
  setBackend(backend);
  const rng = new Rng(7);
  const model: nn.Sequential = getModelSpec('lenet5').build(rng.derive('layers'));
  initWeights(model, rng.derive('xavier'));
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.9 });
  const step = new TrainingStep(model, optimizer, mode);
  const named = model.namedParameters();
  const start = new Map(await Promise.all(named.map(async ([name, p]) => [name, await p.data()] as const)));
  const gradients = new Map<string, Float32Array>();
  let metrics = tensor(Float32Array.of(0, 0), [2]);
  try {
    for (let s = 0; s < STEPS; s++) {
      const half = (s % 2) * BATCH; // two different batches, alternating
      const x = tensor(images.subarray(half * 784, (half + BATCH) * 784), [BATCH, 1, 28, 28]);
      const y = tensor(labels.subarray(half, half + BATCH), [BATCH]);
      const next = step.run(x, y, metrics);
      metrics.dispose();
      metrics = next;
      x.dispose();
      y.dispose();
      if (s === 0) {
        for (const [name, p] of named) {
          gradients.set(
            name,
            await gradientOfFirstStep(p, start.get(name), optimizer.lr, step.foldsOptimizer(), `${mode} on ${backend.name}: ${name}`),
          );
        }
      }
    }
    const changes = new Map(
      await Promise.all(
        named.map(async ([name, p]) => {
          const now = await p.data();
          return [name, now.map((value, i) => value - (start.get(name) ?? now)[i])] as const;
        }),
      ),
    );
    return { gradients, changes };
  } finally {
    metrics.dispose();
    optimizer.zeroGrad();
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * A parameter's gradient in the first step: its `.grad`, or, where the compiled step updated it in the
 * backward pass (and kept no gradient), (w₀ − w₁)/η from its first update.
 */
async function gradientOfFirstStep(
  p: Tensor,
  before: Float32Array | undefined,
  lr: number,
  foldsOptimizer: boolean,
  what: string,
): Promise<Float32Array> {
  if (!foldsOptimizer) {
    if (p.grad === null) throw new Error(`${what} has no gradient after a step`);
    return p.grad.data();
  }
  if (p.grad !== null) throw new Error(`${what} kept a gradient although the step updates it in the backward pass`);
  if (before === undefined) throw new Error(`${what}: no starting values`);
  const after = await p.data();
  return after.map((value, i) => (before[i] - value) / lr);
}

/** Throws naming the parameter and element unless every value is within TOLERANCE of the oracle's, relative to its largest. */
function compare(what: string, actual: Map<string, Float32Array>, expected: Map<string, Float32Array>): void {
  for (const [name, want] of expected) {
    const got = actual.get(name);
    if (got === undefined || got.length !== want.length) throw new Error(`${what} of ${name}: missing or of another size`);
    const scale = want.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
    if (scale === 0) throw new Error(`${what} of ${name}: the oracle's is all zeros, so the comparison would prove nothing`);
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= TOLERANCE * scale)) {
        throw new Error(`${what} of ${name}[${i}]: ${got[i]} but the oracle has ${want[i]} (largest |value| ${scale.toExponential(2)})`);
      }
    }
  }
}

async function expectMatchesOracle(backend: Backend, mode: StepMode): Promise<void> {
  const result = await run(backend, mode);
  compare(`the ${mode} step's gradient on ${backend.name}`, result.gradients, oracle.gradients);
  compare(`the ${mode} step's ${STEPS}-step change on ${backend.name}`, result.changes, oracle.changes);
}

/** backend-cpu with C1's filter gradient (the only convolution with one input channel) replaced by zeros. */
class ZeroC1FilterGradient extends CpuBackend {
  override conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: WindowInfo, epilogue?: GradientEpilogue): DataId {
    if (info.inChannels !== 1) return super.conv2dBackpropFilter(x, dy, info, epilogue);
    const zeros = this.fill(info.filterShape, 0);
    if (epilogue === undefined) return zeros;
    // the update the compiled step folds in, applied to the broken (zero) gradient
    const updated =
      epilogue.kind === 'sgdUpdate'
        ? this.sgdUpdate(epilogue.param, { dataId: zeros, shape: info.filterShape }, epilogue.lr)
        : this.activationGrad(epilogue.op, epilogue.input, { dataId: zeros, shape: info.filterShape });
    this.dispose(zeros);
    return updated;
  }
}

/** backend-cpu whose convolution input gradient is zeros (nothing reaches C1 through C3). */
class ZeroConvInputGradient extends CpuBackend {
  override conv2dBackpropInput(_dy: TensorInfo, _w: TensorInfo, info: WindowInfo): DataId {
    return this.fill(info.inShape, 0);
  }
}

/** backend-cpu that drops the activation gradient a compiled step folds into the pooling's backward kernel. */
class DropsFoldedActivationGradient extends CpuBackend {
  override avgPool2dBackprop(dy: TensorInfo, info: WindowInfo): DataId {
    return super.avgPool2dBackprop(dy, info);
  }
}

beforeAll(async () => {
  const data = loadFashionMnist();
  images = scaleToUnitInterval(data.train.images.subarray(0, 2 * BATCH * 784));
  labels = Float32Array.from(data.train.labels.subarray(0, 2 * BATCH));
  oracle = await run(new CpuBackend(), 'eager');
});

afterAll(() => setBackend(new CpuBackend()));

describe('eager vs compiled training step, against the eager step on backend-cpu', () => {
  it.each<StepMode>(['eager', 'compiled'])('backend-cpu, %s: gradients after one step and changes over five agree', async (mode) => {
    await expectMatchesOracle(new CpuBackend(), mode);
  });

  it.each<[string, () => Backend]>([
    ['zero ∂L/∂w for C1', () => new ZeroC1FilterGradient()],
    ['zero convolution ∂L/∂x', () => new ZeroConvInputGradient()],
  ])('fails on a deliberately broken backend (%s), in both modes', async (_, makeBroken) => {
    for (const mode of ['eager', 'compiled'] as const) {
      await expect(expectMatchesOracle(makeBroken(), mode), `${mode} on a broken backend must not pass`).rejects.toThrow(
        /0\.weight|3\.weight/,
      );
    }
  });

  it('fails in compiled mode on a backend that drops a folded activation gradient (eager does not use the fold)', async () => {
    await expectMatchesOracle(new DropsFoldedActivationGradient(), 'eager');
    await expect(expectMatchesOracle(new DropsFoldedActivationGradient(), 'compiled')).rejects.toThrow(
      /0\.weight|0\.bias|3\.weight|3\.bias/,
    );
  });

  describe.each<ConcreteGpuMode>(['webasm', 'webgpu'])('gpu.js %s', (gpuMode) => {
    it.each<StepMode>(['eager', 'compiled'])('%s: gradients after one step and changes over five agree', async (mode) => {
      const backend = await createGpuBackend({ mode: gpuMode });
      expect(backend.mode).toBe(gpuMode);
      try {
        await expectMatchesOracle(backend, mode);
      } finally {
        setBackend(new CpuBackend());
        backend.destroy();
      }
    });
  });
});
