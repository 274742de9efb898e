/**
 * The compiled training step against the eager one, for every activation of core's list: a small
 * network with each fused pattern (Conv2d + f → AvgPool2d, Linear + f → Linear) run by `nn.runFused`
 * with plain SGD folded into the backward pass, against `model.call`, `backward()` and `SGD.step()`
 * on an identical model. The plan folds f′ into the next stage exactly for the activations whose
 * gradient reads their output (`ACTIVATIONS`' `gradientReads`), and the updated parameters agree.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { Activation, AvgPool2d, Conv2d, Flatten, Linear, Sequential } from '../nn/index.js';
import { fuse, runFused } from '../nn/fuse.js';
import { ACTIVATION_OPS, type ActivationOp, gradientReadsOutput } from '../ops/activations.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { SGD } from '../optim/sgd.js';
import { Rng } from '../random/index.js';
import { tensor } from '../tensor/creation.js';
import type { ConformanceContext } from './context.js';
import { expectAllClose } from './expect-close.js';
import { scopedTest } from './scoped.js';

/** A layer applying `op`, as `nn.Sigmoid` and its siblings do. */
class ActivationLayer extends Activation {
  constructor(readonly op: ActivationOp) {
    super();
  }
}

/** Conv2d(1→2, 3×3, padding 1) + f → AvgPool2d(2) → Flatten → Linear(8→3) + f → Linear(3→2), drawn from `seed`. */
function network(op: ActivationOp, seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential(
    new Conv2d(1, 2, 3, { padding: 1, rng }),
    new ActivationLayer(op),
    new AvgPool2d(2),
    new Flatten(),
    new Linear(8, 3, { rng }),
    new ActivationLayer(op),
    new Linear(3, 2, { rng }),
  );
}

/** Registers the compiled-versus-eager checks. */
export function describeFusedNetworkChecks(context: ConformanceContext): void {
  describe('compiled step (nn.runFused, SGD folded) against the eager step, for every activation', () => {
    for (const op of ACTIVATION_OPS) {
      it(`Conv2d + ${op} → AvgPool2d → Linear + ${op} → Linear`, async () => {
        await scopedTest(context, async () => {
          const rng = new Rng(11);
          const x = tensor(
            Array.from({ length: 2 * 16 }, () => rng.uniform(-2, 2)),
            [2, 1, 4, 4],
          );
          const upstream = tensor(
            Array.from({ length: 4 }, () => rng.uniform(-1, 1)),
            [2, 2],
          );
          const lr = 0.5;
          const [eager, compiled] = [network(op, 5), network(op, 5)];
          const [eagerSgd, compiledSgd] = [new SGD(eager.parameters(), { lr }), new SGD(compiled.parameters(), { lr })];
          try {
            const plan = fuse(compiled);
            const folds = plan.stages.map((stage) =>
              stage.kind === 'conv2d' || stage.kind === 'linear' ? stage.gradientIsPreActivation : null,
            );
            expect(folds, `${op}: f′ is folded into the next stage exactly when its gradient reads y`).toEqual(
              gradientReadsOutput(op) ? [true, null, null, true, false] : [false, null, null, false, false],
            );
            const before = await Promise.all(eager.parameters().map((p) => p.data()));
            sum(mul(eager.call(x), upstream)).backward();
            eagerSgd.step();
            const foldedUpdate = compiledSgd.foldedUpdate();
            sum(mul(runFused(plan, x, { foldedUpdate }), upstream)).backward();
            const names = eager.namedParameters().map(([name]) => name);
            const [expected, actual] = [eager.parameters(), compiled.parameters()];
            for (let i = 0; i < names.length; i++) {
              const [want, got] = [await expected[i].data(), await actual[i].data()];
              const step = Array.from(want, (value, j) => before[i][j] - value);
              const scale = Math.max(1e-6, ...step.map(Math.abs));
              expectAllClose(
                Array.from(got, (value, j) => (before[i][j] - value) / scale),
                step.map((value) => value / scale),
                3 * context.backend.tolerance,
                `${op}: ${names[i]}'s update, compiled vs eager (relative to ${scale.toExponential(2)})`,
              );
            }
          } finally {
            eagerSgd.zeroGrad();
            for (const optimizer of [eagerSgd, compiledSgd]) optimizer.dispose();
            for (const p of [...eager.parameters(), ...compiled.parameters()]) p.dispose();
          }
        });
      });
    }
  });
}
