/**
 * A LeNet-sized training step (conv, pool, linear, loss, backward, SGD) on the gpu.js backend
 * ends, after 5 steps, at the parameters backend-cpu reaches from the same start.
 * @module
 */
import { CpuBackend } from '@lenet/backend-cpu';
import { dispose, optim, Rng, setBackend, tensor, type Backend } from '@lenet/core';
import { d2lLeNet } from '@lenet/core/testing';
import { expect, it } from 'vitest';
import { trainStep } from './train-step.js';
import { expectClose } from './expect-close.js';
import { seededLabels, seededValues } from './seeded-values.js';

const BATCH = 8;
const STEPS = 5;

interface TrainingRecord {
  readonly losses: number[];
  readonly parameters: Array<[string, Float32Array]>;
  readonly liveBefore: number;
  readonly liveAfter: number;
}

async function trainLenet(backend: Backend): Promise<TrainingRecord> {
  setBackend(backend);
  const liveBefore = backend.liveBuffers();
  const net = d2lLeNet(new Rng(7));
  const optimizer = new optim.SGD(net.parameters(), { lr: 0.9 });
  const images = tensor(seededValues(101, BATCH * 28 * 28, 0, 1), [BATCH, 1, 28, 28]);
  const labels = tensor(seededLabels(102, BATCH, 10), [BATCH]);
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    losses.push(await trainStep(net, optimizer, images, labels));
  }
  optimizer.zeroGrad();
  const parameters: Array<[string, Float32Array]> = [];
  for (const [name, parameter] of net.namedParameters()) {
    parameters.push([name, await parameter.data()]);
  }
  dispose(images, labels, ...net.parameters());
  return { losses, parameters, liveBefore, liveAfter: backend.liveBuffers() };
}

/** Registers the parity test for the backend `gpu()` returns. */
export function describeLenetParity(gpu: () => Backend): void {
  it(`trains LeNet (batch ${BATCH}) for ${STEPS} SGD steps to backend-cpu's parameters, freeing every buffer`, async () => {
    const backend = gpu();
    const expected = await trainLenet(new CpuBackend());
    const actual = await trainLenet(backend);
    expectClose(Float32Array.from(actual.losses), Float32Array.from(expected.losses), backend.tolerance, 'losses');
    expect(actual.parameters.map(([name]) => name)).toEqual(expected.parameters.map(([name]) => name));
    actual.parameters.forEach(([name, values], index) =>
      expectClose(values, expected.parameters[index][1], backend.tolerance, `parameter ${name}`),
    );
    // the parameters moved: a step that did nothing would also "match"
    expect(Math.abs(expected.losses[STEPS - 1] - expected.losses[0])).toBeGreaterThan(1e-3);
    expect(actual.liveAfter).toBe(actual.liveBefore);
  });
}
