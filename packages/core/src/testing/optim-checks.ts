/**
 * `optim.SGD` on the backend under test: the update rule against hand computations (plain, with
 * momentum and weight decay), the update folded into a gradient kernel, skipped parameters, memory
 * (zeroGrad, momentum buffers, no graph), an exact resume from a saved state, a learning-rate and a
 * momentum schedule, bad hyper-parameters, and a Linear layer fitted by backpropagation.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { tidy } from '../engine/memory.js';
import { Linear } from '../nn/linear.js';
import { Parameter } from '../nn/parameter.js';
import { SGD } from '../optim/sgd.js';
import { Rng } from '../random/rng.js';
import { tensor } from '../tensor/creation.js';
import type { ConformanceContext } from './context.js';
import { expectAllClose } from './expect-close.js';
import { present } from './networks.js';

/** Gives `parameter` the gradient `values` (freeing the previous one), as backward() would. */
function setGrad(parameter: Parameter, values: number[]): void {
  parameter.grad?.dispose();
  parameter.grad = tensor(values, parameter.shape);
}

/** Registers the `optim` checks. */
export function describeOptimChecks(context: ConformanceContext): void {
  const live = () => context.backend.liveBuffers();
  /** Asserts that `parameter` holds `expected` within the backend's tolerance. */
  const expectValues = async (parameter: Parameter, expected: number[], what: string): Promise<void> => {
    expectAllClose(await parameter.data(), expected, context.backend.tolerance, what);
  };

  describe('optim.SGD', () => {
    it('plain SGD: w ← w − η·g', async () => {
      const w = new Parameter(Float32Array.of(1, -2, 0.5), [3]);
      const optimizer = new SGD([w], { lr: 0.1 });
      setGrad(w, [0.5, -1, 4]);
      optimizer.step();
      await expectValues(w, [1 - 0.05, -2 + 0.1, 0.5 - 0.4], 'w after one step');
      optimizer.zeroGrad();
      w.dispose();
    });

    it("folds plain SGD into a gradient kernel (foldedUpdate): step()'s w ← w − η·g, with η as it is at the launch; none with momentum or weight decay", async () => {
      const w = new Parameter(Float32Array.of(1, -2, 0.5), [3]);
      const optimizer = new SGD([w], { lr: 0.5 });
      const folded = optimizer.foldedUpdate();
      if (folded === null) throw new Error('plain SGD offers no folded update');
      optimizer.lr = 0.1; // a schedule changes η after the step was planned
      const one = tensor([1], [1, 1]);
      const g = tensor([0.5, -1, 4], [1, 3]);
      // g = 1 · g as a gradient kernel would write it, here a matrix product, with the update as its epilogue
      folded.apply(w, [1, 3], (epilogue) => context.backend.matmul(one, g, false, false, epilogue));
      await expectValues(w, [1 - 0.05, -2 + 0.1, 0.5 - 0.4], 'w after the folded update');
      expect(w.grad, 'a folded update keeps no gradient').toBeNull();
      const stranger = new Parameter(Float32Array.of(1, 2, 3), [3]);
      expect(() =>
        folded.apply(stranger, [1, 3], () => {
          throw new Error('the kernel must not run');
        }),
      ).toThrow(/SGD\.foldedUpdate: .* is not one of this optimiser's parameters; make the optimiser with model\.parameters\(\)/);
      expect(new SGD([w], { lr: 0.1, momentum: 0.9 }).foldedUpdate(), 'momentum needs the gradient itself').toBeNull();
      expect(new SGD([w], { lr: 0.1, weightDecay: 0.01 }).foldedUpdate(), 'weight decay needs the gradient itself').toBeNull();
      for (const t of [one, g, stranger, w]) t.dispose();
    });

    it('matches a hand computation of two steps with momentum 0.9 and weight decay 0.01', async () => {
      const w = new Parameter(Float32Array.of(1, -2), [2]);
      const optimizer = new SGD([w], { lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
      // step 1: g = [0.5, 1] + 0.01·[1, −2] = [0.51, 0.98]; v = g; w = [1, −2] − 0.1·v = [0.949, −2.098]
      setGrad(w, [0.5, 1]);
      optimizer.step();
      await expectValues(w, [0.949, -2.098], 'w after step 1');
      // step 2: g = [−1, 2] + 0.01·[0.949, −2.098] = [−0.99051, 1.97902]
      //         v = 0.9·[0.51, 0.98] + g = [−0.53151, 2.86102]
      //         w = [0.949, −2.098] − 0.1·v = [1.002151, −2.384102]
      setGrad(w, [-1, 2]);
      optimizer.step();
      await expectValues(w, [1.002151, -2.384102], 'w after step 2');
      const state = await optimizer.stateDict();
      expectAllClose(
        present(state.momentumBuffers[0], 'a momentum buffer'),
        [-0.53151, 2.86102],
        context.backend.tolerance,
        'momentum after step 2',
      );
      optimizer.zeroGrad();
      optimizer.dispose();
      w.dispose();
    });

    it('skips parameters without a gradient and keeps every parameter object', async () => {
      const a = new Parameter(Float32Array.of(1, 2), [2]);
      const b = new Parameter(Float32Array.of(3, 4), [1, 2]);
      const optimizer = new SGD([a, b], { lr: 0.5, momentum: 0.5 });
      setGrad(b, [2, -2]);
      optimizer.step();
      expect(optimizer.params[0]).toBe(a);
      expect(optimizer.params[1]).toBe(b);
      expect(Array.from(await a.data())).toEqual([1, 2]);
      await expectValues(b, [2, 5], 'b after one step');
      expect((await optimizer.stateDict()).momentumBuffers[0]).toBeNull();
      optimizer.zeroGrad();
      optimizer.dispose();
      a.dispose();
      b.dispose();
    });

    it('zeroGrad frees the gradients; the live-buffer count is the same after step 10 as after step 100', () => {
      const w = new Parameter(Float32Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), [2, 3]);
      const optimizer = new SGD([w], { lr: 0.01, momentum: 0.9, weightDecay: 1e-3 });
      const counts: number[] = [];
      for (let step = 1; step <= 100; step++) {
        optimizer.zeroGrad();
        setGrad(w, [1, -1, 0.5, -0.5, 0.25, step / 100]);
        optimizer.step();
        if (step === 10 || step === 100) counts.push(live());
      }
      expect(counts[0]).toBe(counts[1]);
      const withGrad = live();
      optimizer.zeroGrad();
      expect(w.grad).toBeNull();
      expect(live()).toBe(withGrad - 1);
      optimizer.dispose();
      expect(live()).toBe(withGrad - 2);
      w.dispose();
    });

    it('records no graph during step()', () => {
      const w = new Parameter(Float32Array.of(1, 2), [2]);
      const optimizer = new SGD([w], { lr: 0.1, weightDecay: 0.1, momentum: 0.5 });
      setGrad(w, [1, 1]);
      optimizer.step();
      expect(w.op).toBeNull();
      expect(w.requiresGrad).toBe(true);
      optimizer.zeroGrad();
      optimizer.dispose();
      w.dispose();
    });

    it('resumes exactly from a saved state', async () => {
      const grads = [
        [0.3, -0.2],
        [0.1, 0.4],
        [-0.5, 0.2],
      ];
      const run = async (resumeAfter: number | null, loadState = true): Promise<number[]> => {
        const w = new Parameter(Float32Array.of(0.7, -0.3), [2]);
        let optimizer = new SGD([w], { lr: 0.2, momentum: 0.8 });
        for (let step = 0; step < grads.length; step++) {
          if (step === resumeAfter) {
            const saved = await optimizer.stateDict();
            optimizer.dispose();
            optimizer = new SGD([w], { lr: 0.2, momentum: 0.8 });
            if (loadState) optimizer.loadStateDict(saved);
          }
          setGrad(w, grads[step]);
          optimizer.step();
        }
        const result = Array.from(await w.data());
        optimizer.zeroGrad();
        optimizer.dispose();
        w.dispose();
        return result;
      };
      const straight = await run(null);
      expect(await run(2)).toEqual(straight);
      expect(await run(1)).toEqual(straight);
      // without the momentum buffer the steps after the restart differ, so the checks above can fail
      expect(await run(2, false)).not.toEqual(straight);
      const w = new Parameter(Float32Array.of(0.7, -0.3), [2]);
      const fresh = new SGD([w], { lr: 0.2, momentum: 0.8 });
      expect(() => fresh.loadStateDict({ momentumBuffers: [Float32Array.of(1, 2, 3)] })).toThrow(
        /SGD\.loadStateDict: momentum buffer 0 has 3 values but parameter 0 \[2\] has 2/,
      );
      expect(() => fresh.loadStateDict({ momentumBuffers: [] })).toThrow(/got 0 momentum buffers for 1 parameters/);
      w.dispose();
    });

    it('lets the learning rate change between steps', async () => {
      const w = new Parameter(Float32Array.of(1), [1]);
      const optimizer = new SGD([w], { lr: 0.1 });
      setGrad(w, [1]);
      optimizer.step();
      optimizer.lr = 0.5;
      optimizer.step();
      await expectValues(w, [1 - 0.1 - 0.5], 'w after steps with η = 0.1, then 0.5');
      expect(() => {
        optimizer.lr = -1;
      }).toThrow(/SGD: lr must be a finite number > 0, got -1/);
      optimizer.zeroGrad();
      w.dispose();
    });

    it('lets the momentum change between steps; v is kept, and neither used nor updated while μ = 0 (as PyTorch)', async () => {
      const w = new Parameter(Float32Array.of(1), [1]);
      const optimizer = new SGD([w], { lr: 0.1 });
      let step = 0;
      for (const [momentum, after] of [
        [0, 1 - 0.1], // plain: w − η·g
        [0.5, 0.9 - 0.1 * 1], // v = g on the first step with momentum
        [0.5, 0.8 - 0.1 * 1.5], // v = μ·v + g
        [0, 0.65 - 0.1], // plain again: v untouched
        [0.5, 0.55 - 0.1 * 1.75], // v = 0.5 · 1.5 + 1
      ]) {
        optimizer.momentum = momentum;
        expect(optimizer.foldedUpdate() === null, `μ = ${momentum}: no folded update with momentum`).toBe(momentum !== 0);
        setGrad(w, [1]);
        optimizer.step();
        step++;
        await expectValues(w, [after], `w after step ${step} (μ = ${momentum})`);
      }
      expect(() => {
        optimizer.momentum = -1;
      }).toThrow(/SGD: momentum must be a finite number ≥ 0, got -1/);
      optimizer.zeroGrad();
      optimizer.dispose();
      w.dispose();
    });

    it('rejects bad hyper-parameters and parameter lists, naming them', () => {
      const w = new Parameter(Float32Array.of(1), [1]);
      expect(() => new SGD([], { lr: 0.1 })).toThrow(/SGD: got an empty parameter list/);
      expect(() => new SGD([w, w], { lr: 0.1 })).toThrow(/SGD: a parameter appears more than once/);
      expect(() => new SGD([w], { lr: 0 })).toThrow(/SGD: lr must be a finite number > 0, got 0/);
      expect(() => new SGD([w], { lr: 0.1, momentum: -0.5 })).toThrow(/SGD: momentum must be a finite number ≥ 0, got -0.5/);
      expect(() => new SGD([w], { lr: 0.1, weightDecay: Number.NaN })).toThrow(/SGD: weightDecay must be a finite number ≥ 0, got NaN/);
      w.dispose();
    });

    it('trains a Linear layer by backpropagation to fit y = 1·x₁ − 2·x₂ + 0.5·x₃ + 0.3', async () => {
      const rng = new Rng(17);
      const layer = new Linear(3, 1, { rng });
      const xValues = Array.from({ length: 32 * 3 }, () => rng.uniform(-1, 1));
      const yValues = Array.from({ length: 32 }, (_, n) => xValues[3 * n] - 2 * xValues[3 * n + 1] + 0.5 * xValues[3 * n + 2] + 0.3);
      const x = tensor(xValues, [32, 3]);
      const y = tensor(yValues, [32, 1]);
      const optimizer = new SGD(layer.parameters(), { lr: 0.3, momentum: 0.5 });
      let buffersAfterStep10 = 0;
      for (let step = 1; step <= 150; step++) {
        optimizer.zeroGrad();
        tidy(() => layer.call(x).sub(y).square().mean().backward());
        optimizer.step();
        if (step === 10) buffersAfterStep10 = live();
      }
      expect(live()).toBe(buffersAfterStep10);
      const loss = tidy(() => layer.call(x).sub(y).square().mean());
      expect(await loss.item()).toBeLessThan(1e-6);
      // Within 1e-3 of the generating coefficients: a loss below 1e-6 leaves them no more room.
      expectAllClose(await layer.weight.data(), [1, -2, 0.5], 1e-3, 'learned weight');
      expectAllClose(await present(layer.bias, 'a bias').data(), [0.3], 1e-3, 'learned bias');
      loss.dispose();
      optimizer.zeroGrad();
      optimizer.dispose();
      x.dispose();
      y.dispose();
      layer.dispose();
    });
  });
}
