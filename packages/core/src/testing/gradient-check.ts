/**
 * Checking autograd against finite differences.
 *
 * For an op f and a fixed random weight tensor r of f's output shape, take the scalar
 *
 *   L(inputs) = Σ r ⊙ f(inputs)
 *
 * Its gradient by autograd is `f(inputs).backward(r)` (the seed r is ∂L/∂f). Numerically, each
 * input element x is moved by ±h and
 *
 *   ∂L/∂x ≈ (L(x + h) − L(x − h)) / ((x + h) − (x − h))
 *
 * (central differences; the denominator is the step actually taken after rounding x ± h to float32).
 * f runs on the backend under test in float32; r ⊙ f is summed in float64 on the host.
 *
 * **Step and tolerance, and why they suit float32.** h = 1e-2 on inputs of size O(1):
 * - truncation error of central differences is h²/6 · |f‴| ≈ 1.7e-5 · |f‴|; the steepest op drawn
 *   here, division by |b| ≥ 0.5, has |f‴| = 6/|b|⁴ ≤ 96 next to |f′| = 1/b² = 4, so ≤ 4e-4 relative;
 * - rounding: each output is stored in float32 (relative error ε ≈ 6e-8), so L(x ± h) carries an
 *   error of about ε · Σ|r·f| over the outputs that x touches, and the quotient about
 *   ε · Σ|r·f| / 2h ≈ 3e-6 · Σ|r·f| — a few 1e-5 for the sizes drawn here.
 * Both sit well below |auto − numeric| ≤ atol + rtol · |numeric| with atol = rtol = 3e-3. Measured:
 * the largest |auto − numeric| / (1 + |numeric|) over every op was 3.5e-4 (division; the rest
 * ≤ 1e-4) on the CPU backend over 200 cases per op, and 3.4e-4 in gpu.js's webgpu and headlessgl
 * modes over 20 — about ten times below the tolerance — while a wrong gradient (a missing term, a
 * swapped axis, a factor 2) is off by O(0.1) or more. A backend that declares a tolerance above
 * 1e-3 gets 3 · tolerance (see {@link gradientTolerance}).
 * Non-smooth ops are kept away from their kinks by more than 2h (relu inputs |x| ≥ 0.05, max-pool
 * values at least 0.05 apart), and log, sqrt and division stay at |x| ≥ 0.5.
 * @module
 */
import { expect } from 'vitest';
import { noGrad, tidyAsync } from '../engine/memory.js';
import { Rng } from '../random/rng.js';
import { formatShape, sizeOf, type Shape } from '../shape/shape.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConformanceContext } from './context.js';

/** The finite-difference step h (see the module comment for why it suits float32). */
export const FINITE_DIFFERENCE_STEP = 1e-2;

/** The smallest absolute and relative tolerance of a gradient check (see the module comment). */
export const GRADIENT_TOLERANCE_FLOOR = 3e-3;

/**
 * The absolute and relative tolerance of a gradient check for a backend that declares
 * `declaredTolerance`: max(3e-3, 3 · declaredTolerance). An error δ in the forward values turns
 * into about δ·|f| / 2h in the quotient where it does not cancel between L(x + h) and L(x − h);
 * the errors of a smooth float32 kernel mostly do (see the module comment for measurements), so
 * only a backend less precise than float32 arithmetic — declaring more than 1e-3 — gets more room.
 * @example gradientTolerance(1e-4) // 3e-3 (CPU); gradientTolerance(1e-3) // 3e-3 (gpu.js); gradientTolerance(1e-2) // 3e-2
 */
export function gradientTolerance(declaredTolerance: number): number {
  return Math.max(GRADIENT_TOLERANCE_FLOOR, 3 * declaredTolerance);
}

/** One input of the op being checked: its shape and values (row-major). */
export interface GradientInput {
  /** Its shape, e.g. `[N, C, H, W]` for an image batch. */
  readonly shape: Shape;
  /** Its values in row-major order, `sizeOf(shape)` of them. */
  readonly values: readonly number[];
}

/** An op applied to given inputs, to be differentiated with respect to every one of them. */
export interface GradientProblem {
  /** The op's name, for messages. */
  readonly op: string;
  /** The inputs, each differentiated. */
  readonly inputs: readonly GradientInput[];
  /** Applies the op to tensors holding `inputs` (in order); constants such as labels are made inside. */
  readonly apply: (inputs: readonly Tensor[]) => Tensor;
  /** Seeds the weights r of L = Σ r ⊙ f (uniform in [−1, 1]) and the sample of checked elements. */
  readonly weightSeed: number;
}

/** r: `size` weights uniform in [−1, 1], rounded to float32 (the seed tensor holds exactly these). */
function weightsFor(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
}

/** The indices of an input of `size` elements that are differentiated numerically. */
function checkedElements(size: number, limit: number, rng: Rng): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  return size <= limit
    ? all
    : rng
        .shuffle(all)
        .slice(0, limit)
        .sort((a, b) => a - b);
}

/** L = Σ r ⊙ f(inputs) in float64, with f run on the backend under test without recording a graph. */
async function weightedLoss(problem: GradientProblem, values: readonly Float32Array[], weights: Float32Array): Promise<number> {
  return tidyAsync(async () => {
    const output = noGrad(() => problem.apply(values.map((v, k) => tensor(v, problem.inputs[k].shape))));
    const out = await output.data();
    let loss = 0;
    for (let i = 0; i < out.length; i++) loss += weights[i] * out[i];
    return loss;
  });
}

/** ∂L/∂inputs by autograd: `f(inputs).backward(r)`. Also returns f's output shape. */
async function autogradGradients(problem: GradientProblem): Promise<{ grads: Float32Array[]; outShape: Shape }> {
  return tidyAsync(async () => {
    const leaves = problem.inputs.map((input) => tensor(input.values, input.shape, { requiresGrad: true }));
    const output = problem.apply(leaves);
    output.backward(tensor(weightsFor(output.size, problem.weightSeed), output.shape));
    const grads: Float32Array[] = [];
    for (const [k, leaf] of leaves.entries()) {
      if (leaf.grad === null) expect.fail(`${problem.op}: input ${k} ${formatShape(leaf.shape)} got no gradient from backward()`);
      expect(formatShape(leaf.grad.shape), `${problem.op}: shape of the gradient of input ${k}`).toBe(formatShape(leaf.shape));
      grads.push(await leaf.grad.data());
      leaf.grad.dispose();
    }
    return { grads, outShape: output.shape };
  });
}

/**
 * Compares autograd's gradient of L = Σ r ⊙ op(inputs) with central differences, for every input
 * (up to `context.maxCheckedElements` elements of each), and fails with the op, the input, the
 * element and both values at the first element out of tolerance.
 */
export async function checkGradients(context: ConformanceContext, problem: GradientProblem): Promise<void> {
  const { grads, outShape } = await autogradGradients(problem);
  const weights = weightsFor(sizeOf(outShape), problem.weightSeed);
  const tolerance = gradientTolerance(context.backend.tolerance);
  const h = FINITE_DIFFERENCE_STEP;
  const values = problem.inputs.map((input) => Float32Array.from(input.values));
  const sampler = new Rng(problem.weightSeed).derive('checked elements');
  for (const [k, input] of problem.inputs.entries()) {
    for (const j of checkedElements(values[k].length, context.maxCheckedElements, sampler)) {
      const original = values[k][j];
      const up = Math.fround(original + h);
      const down = Math.fround(original - h);
      values[k][j] = up;
      const lossUp = await weightedLoss(problem, values, weights);
      values[k][j] = down;
      const lossDown = await weightedLoss(problem, values, weights);
      values[k][j] = original;
      const numeric = (lossUp - lossDown) / (up - down);
      const automatic = grads[k][j];
      const allowed = tolerance + tolerance * Math.abs(numeric);
      if (!(Math.abs(automatic - numeric) <= allowed)) {
        expect.fail(
          `${problem.op}: ∂L/∂input${k}[${j}] (input ${k} has shape ${formatShape(input.shape)}, output ${formatShape(outShape)}) ` +
            `is ${automatic} by autograd but ${numeric} by central differences (h = ${h}); ` +
            `|difference| ${Math.abs(automatic - numeric).toExponential(2)} > ${allowed.toExponential(2)}`,
        );
      }
    }
  }
}
