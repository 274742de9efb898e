/**
 * Guide 6's "one step, eager and compiled": the kernel calls of one training step of `lenet5`,
 * recorded by `recordStepKernels` (a recording proxy over backend-cpu) for both step modes, as a
 * count per phase and the compiled step's calls in order.
 * @module
 */
import { recordStepKernels, type KernelCall } from '@lenet/models';
import type { Fragments } from '../fragments.js';
import { markdownTable } from '../markdown.js';

const PHASES = ['forward', 'loss and metrics', 'backward', 'SGD update'] as const;
type Phase = (typeof PHASES)[number];

const isLoss = (call: KernelCall): boolean => /softmaxCrossEntropy|classificationMetrics/.test(call.kernel);

/**
 * The phase of each call: the optimiser's calls are the update; of the others, forward until the
 * first loss kernel, "loss and metrics" from it to the last loss kernel (eagerly this spans the
 * mean, its seed of ones and their gradients), backward after it.
 */
function phases(calls: readonly KernelCall[]): Phase[] {
  const firstLoss = calls.findIndex(isLoss);
  const lastLoss = calls.length - 1 - [...calls].reverse().findIndex(isLoss);
  return calls.map((call, i): Phase => {
    if (call.update) return 'SGD update';
    if (i < firstLoss) return 'forward';
    if (i <= lastLoss) return 'loss and metrics';
    return 'backward';
  });
}

/** The fragments `step-plan-counts` and `step-plan-compiled`. */
export function stepPlanSection(): Fragments {
  const eager = recordStepKernels('lenet5', 'eager');
  const compiled = recordStepKernels('lenet5', 'compiled');
  const eagerPhases = phases(eager);
  const compiledPhases = phases(compiled);
  const count = (list: readonly Phase[], phase: Phase): string => String(list.filter((p) => p === phase).length);
  return {
    'step-plan-counts': markdownTable(
      ['phase', 'eager', 'compiled'],
      [
        ...PHASES.map((phase) => [phase, count(eagerPhases, phase), count(compiledPhases, phase)]),
        ['**kernel calls**', `**${eager.length}**`, `**${compiled.length}**`],
      ],
      ['l', 'r', 'r'],
    ),
    'step-plan-compiled': markdownTable(
      ['#', 'phase', 'kernel', 'inputs (batch 8)', ''],
      compiled.map((call, i) => [String(i + 1), compiledPhases[i], `\`${call.kernel}\``, call.inputs, call.detail]),
      ['r', 'l', 'l', 'l', 'l'],
    ),
  };
}
