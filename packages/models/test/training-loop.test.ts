/**
 * The training loop that `train()` and the Playground share (src/training/training-loop.ts), on
 * backend-cpu with a tiny run (3 steps of 8 Fashion-MNIST examples per epoch, 16 test examples):
 * 1. its reports come in d2l's order, and its epochs are the figures `train()` records;
 * 2. it runs where Node's `setImmediate` does not exist (a browser, a worker);
 * 3. the hook before each step sees every step and can change the learning rate, which the
 *    compiled step (plain SGD folded into the backward pass) uses from the next step on;
 * 4. an abort stops it before the next step or during the evaluation, with a report saying where,
 *    and it leaves no buffer behind.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuBackend } from '@lenet/backend-cpu';
import { optim, setBackend } from '@lenet/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import type { ImageClassificationData } from '../src/data/image-classification-data.js';
import { initialModel } from '../src/training/initial-model.js';
import { train } from '../src/training/train.js';
import { trainingLoop, type TrainingLoopOptions, type TrainingReport } from '../src/training/training-loop.js';
import { deterministic, TINY_SETTINGS } from './helpers/tiny-run.js';

const TINY = TINY_SETTINGS;

let data: ImageClassificationData;
beforeAll(() => {
  data = loadFashionMnist();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** How {@link runLoop} runs the loop: its options, and a hook before each step that may set the optimiser's learning rate. */
interface LoopRun {
  readonly options?: Partial<Omit<TrainingLoopOptions, 'model' | 'optimizer' | 'beforeStep'>>;
  readonly lr?: number;
  readonly beforeStep?: (at: { readonly epoch: number; readonly step: number }, optimizer: optim.SGD) => void;
  readonly onReport?: (report: TrainingReport) => void;
}

/** Runs the loop on a fresh model from TINY's seed; returns every report and the live buffers left once the model and optimiser are freed. */
async function runLoop(run: LoopRun = {}): Promise<{ reports: TrainingReport[]; leftBuffers: number }> {
  const backend = new CpuBackend();
  setBackend(backend);
  const before = backend.liveBuffers();
  const model = initialModel(TINY);
  const optimizer = new optim.SGD(model.parameters(), { lr: run.lr ?? TINY.lr });
  const reports: TrainingReport[] = [];
  try {
    const loop = trainingLoop({
      model,
      optimizer,
      data,
      settings: TINY,
      epochs: 2,
      progressIntervalMs: 0,
      beforeStep: (at) => run.beforeStep?.(at, optimizer),
      ...run.options,
    });
    for await (const report of loop) {
      reports.push(report);
      run.onReport?.(report);
    }
  } finally {
    optimizer.zeroGrad();
    optimizer.dispose();
    model.dispose();
  }
  return { reports, leftBuffers: backend.liveBuffers() - before };
}

const stepLosses = (reports: readonly TrainingReport[]): number[] => reports.flatMap((r) => (r.kind === 'step' ? [r.loss] : []));

describe('the training loop', () => {
  it("reports in d2l's order, and its epochs are the figures train() records", async () => {
    const { reports, leftBuffers } = await runLoop();
    const epoch = ['epochStart', 'step', 'step', 'step', 'evaluation', 'epoch'];
    expect(reports.map((r) => r.kind)).toEqual(['start', ...epoch, ...epoch]);
    expect(reports[0]).toEqual({ kind: 'start', firstEpoch: 1, epochs: 2, stepsPerEpoch: 3 });
    expect(reports.flatMap((r) => (r.kind === 'step' ? [[r.epoch, r.step, r.steps]] : []))).toEqual([
      [1, 1, 3],
      [1, 2, 3],
      [1, 3, 3],
      [2, 1, 3],
      [2, 2, 3],
      [2, 3, 3],
    ]);
    expect(leftBuffers).toBe(0);

    const recorded = await train({ settings: TINY, epochs: 2, data, outDir: join(mkdtempSync(join(tmpdir(), 'lenet-loop-')), 'run') });
    const epochs = deterministic(reports.flatMap((r) => (r.kind === 'epoch' ? [r.metrics] : [])));
    expect(epochs).toEqual(deterministic(recorded.history));
    // the weights really changed, so the equality above compares trained figures
    expect(epochs[1].trainLoss).not.toBe(epochs[0].trainLoss);
  });

  it('runs where there is no setImmediate (a browser, a worker), an interruptible evaluation included', async () => {
    const inNode = await runLoop({ options: { signal: new AbortController().signal } });
    vi.stubGlobal('setImmediate', undefined);
    expect(typeof setImmediate).toBe('undefined');
    const elsewhere = await runLoop({ options: { signal: new AbortController().signal } });
    expect(elsewhere.reports.map((r) => r.kind)).toEqual(inNode.reports.map((r) => r.kind));
    expect(stepLosses(elsewhere.reports)).toEqual(stepLosses(inNode.reports));
    expect(stepLosses(elsewhere.reports)).toHaveLength(6);
  });

  it('calls the hook before every step; a learning rate it sets is the one the compiled step folds into the next update', async () => {
    const seen: string[] = [];
    // η = 0.9 for the first step, then 0.1: the hook is where a schedule (or a reader's slider) sets it
    const scheduled = await runLoop({
      options: { stepMode: 'compiled' },
      beforeStep: ({ epoch, step }, optimizer) => {
        seen.push(`${epoch}.${step}`);
        optimizer.lr = epoch === 1 && step === 1 ? 0.9 : 0.1;
      },
    });
    expect(seen).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2', '2.3']);
    const steady = stepLosses((await runLoop({ options: { stepMode: 'compiled' }, lr: 0.9 })).reports);
    const slow = stepLosses((await runLoop({ options: { stepMode: 'compiled' }, lr: 0.1 })).reports);
    const losses = stepLosses(scheduled.reports);
    // step 1 runs on the initial weights, step 2 on those after an update with η = 0.9, step 3 after one with η = 0.1
    expect(losses[0]).toBe(steady[0]);
    expect(losses[0]).toBe(slow[0]);
    expect(losses[1]).toBe(steady[1]);
    expect(losses[1]).not.toBe(slow[1]);
    expect(losses[2]).not.toBe(steady[2]);
    expect(scheduled.leftBuffers).toBe(0);
  });

  it('an abort stops it before the next step, or during the evaluation, with a report saying where, and leaves no buffer', async () => {
    const beforeStep = new AbortController();
    const stopped = await runLoop({
      options: { signal: beforeStep.signal },
      beforeStep: ({ epoch, step }) => {
        if (epoch === 2 && step === 2) beforeStep.abort();
      },
    });
    expect(stopped.reports.at(-1)).toEqual({ kind: 'interrupted', epoch: 2, step: 1, duringEvaluation: false });
    expect(stepLosses(stopped.reports)).toHaveLength(4);
    expect(stopped.leftBuffers).toBe(0);

    const duringEvaluation = new AbortController();
    const evaluating = await runLoop({
      options: { signal: duringEvaluation.signal },
      onReport: (report) => {
        if (report.kind === 'evaluation') duringEvaluation.abort();
      },
    });
    expect(evaluating.reports.map((r) => r.kind).slice(-2)).toEqual(['evaluation', 'interrupted']);
    expect(evaluating.reports.at(-1)).toEqual({ kind: 'interrupted', epoch: 1, step: 3, duringEvaluation: true });
    expect(evaluating.leftBuffers).toBe(0);
  });
});
