/**
 * Formula next to kernel: the same example through the same weights on the running GPU.js mode and
 * on backend-cpu (formula (1) and its gradients as plain loops), compared tensor by tensor with
 *
 * ```text
 * relative difference = max |kernel − formula| / max |formula|
 * ```
 *
 * for every layer's activation a^[l] and gradient ∂L/∂a^[l] and every parameter's gradient. A
 * tensor whose relative difference is above {@link FORMULA_TOLERANCE} is flagged. And a
 * finite-difference check of single weights: (L(w + h) − L(w − h)) / 2h next to backprop's ∂L/∂w.
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { crossEntropy, getBackend, nn, noGrad, Rng, setBackend, tensor, type Backend } from '@lenet/core';
import { getModelSpec, type ModelName } from '@lenet/models/browser';
import { probeNetwork, type NetworkProbe } from './network-probe.js';

/** Above this relative difference a tensor is flagged (float32 kernels summing in another order stay far below it). */
export const FORMULA_TOLERANCE = 1e-4;

/** One row of the table. */
export interface FormulaComparison {
  /** e.g. `C1 a`, `C1 ∂L/∂a`, `0.weight ∂L/∂w`. */
  readonly tensor: string;
  readonly maxDifference: number;
  readonly maxValue: number;
  /** maxDifference / maxValue (0 when both are 0). */
  readonly relative: number;
  readonly flagged: boolean;
}

function compare(name: string, kernel: Float32Array, formula: Float32Array): FormulaComparison {
  let maxDifference = 0;
  let maxValue = 0;
  for (let i = 0; i < formula.length; i++) {
    maxDifference = Math.max(maxDifference, Math.abs(kernel[i] - formula[i]));
    maxValue = Math.max(maxValue, Math.abs(formula[i]));
  }
  if (kernel.length !== formula.length) maxDifference = Number.POSITIVE_INFINITY;
  const relative = maxDifference === 0 ? 0 : maxDifference / maxValue;
  return { tensor: name, maxDifference, maxValue, relative, flagged: !(relative <= FORMULA_TOLERANCE) };
}

/** A model with `model`'s weights on backend-cpu (its own copy). */
async function cpuCopy(model: nn.Sequential, modelName: ModelName, cpu: Backend): Promise<nn.Sequential> {
  const state = await nn.readStateDict(model.namedStateTensors());
  const previous = getBackend();
  setBackend(cpu);
  try {
    const copy = getModelSpec(modelName).build(new Rng(0));
    copy.loadStateDict(state, 'the weights being trained');
    return copy;
  } finally {
    setBackend(previous);
  }
}

/**
 * The table for one batch: `probe` is what the running backend computed (see `probeNetwork`); the
 * same batch goes through a backend-cpu copy of `model`.
 */
export async function compareWithFormula(
  model: nn.Sequential,
  modelName: ModelName,
  images: Float32Array,
  labels: Float32Array,
  probe: NetworkProbe,
): Promise<FormulaComparison[]> {
  const running = getBackend();
  const cpu = new CpuBackend();
  const copy = await cpuCopy(model, modelName, cpu);
  setBackend(cpu);
  let formula: NetworkProbe;
  try {
    formula = await probeNetwork(copy, modelName, images, labels);
  } finally {
    copy.dispose();
    setBackend(running);
  }
  const rows: FormulaComparison[] = [];
  probe.layers.forEach((layer, l) => {
    const name = layer.label ?? `${layer.index} ${layer.kind}`;
    rows.push(compare(`${name} a`, layer.activation, formula.layers[l].activation));
    rows.push(compare(`${name} ∂L/∂a`, layer.gradient, formula.layers[l].gradient));
  });
  probe.parameters.forEach((parameter, p) =>
    rows.push(compare(`${parameter.name} ∂L/∂w`, parameter.gradient, formula.parameters[p].gradient)),
  );
  return rows;
}

/** One weight's finite-difference check. */
export interface GradientCheck {
  /** The parameter's state-dict name and the element's flat index. */
  readonly parameter: string;
  readonly index: number;
  /** ∂L/∂w from backpropagation (the probe), L the batch's mean loss. */
  readonly backprop: number;
  /** (L(w + h) − L(w − h)) / 2h, computed in float64 from float32 losses. */
  readonly finiteDifference: number;
  readonly h: number;
}

/**
 * Central differences for the weights asked for, on backend-cpu with a copy of the weights (the
 * running model is not touched): L(w ± h) with every other weight fixed.
 */
export async function checkGradients(
  model: nn.Sequential,
  modelName: ModelName,
  images: Float32Array,
  labels: Float32Array,
  picks: ReadonlyArray<{ parameter: string; index: number }>,
  h = 1e-2,
): Promise<GradientCheck[]> {
  const running = getBackend();
  const cpu = new CpuBackend();
  const copy = await cpuCopy(model, modelName, cpu);
  setBackend(cpu);
  try {
    const probe = await probeNetwork(copy, modelName, images, labels);
    const named = new Map(copy.namedParameters());
    const lossAt = async (): Promise<number> =>
      (await noGrad(() => crossEntropy(copy.call(tensor(images, [labels.length, 1, 28, 28])), tensor(labels, [labels.length]))).data())[0];
    const checks: GradientCheck[] = [];
    for (const { parameter, index } of picks) {
      const weight = named.get(parameter);
      const probed = probe.parameters.find((p) => p.name === parameter);
      if (weight === undefined || probed === undefined)
        throw new RangeError(`no parameter ${parameter}; the model has ${[...named.keys()].join(', ')}`);
      if (!Number.isInteger(index) || index < 0 || index >= probed.values.length)
        throw new RangeError(`${parameter} has ${probed.values.length} elements; pick an index from 0 to ${probed.values.length - 1}`);
      const original = probed.values;
      const shifted = async (delta: number): Promise<number> => {
        const values = original.slice();
        values[index] += delta;
        weight.assign(tensor(values, weight.shape));
        return lossAt();
      };
      const plus = await shifted(h);
      const minus = await shifted(-h);
      weight.assign(tensor(original.slice(), weight.shape));
      checks.push({ parameter, index, backprop: probed.gradient[index], finiteDifference: (plus - minus) / (2 * h), h });
    }
    return checks;
  } finally {
    copy.dispose();
    setBackend(running);
  }
}
