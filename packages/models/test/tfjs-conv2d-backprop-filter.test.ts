/**
 * The Conv2DBackpropFilter kernel the benchmark registers for TensorFlow.js's wasm backend, in both
 * formulations (tfjs's Conv2D on transposed tensors; im2col + BatchMatMul), gives the filter
 * gradient that tfjs's own cpu backend gives, on non-square inputs and filters, with padding and
 * unequal strides, on distinct random tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FASTEST_FILTER_GRADIENT,
  FILTER_GRADIENT_FORMULATIONS,
  registerWasmConv2dBackpropFilter,
} from '../src/bench/peers/tfjs-conv2d-backprop-filter.js';

interface Case {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: [number, number];
  readonly pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
}

const CASES: readonly Case[] = [
  { name: 'non-square, pad 1, strides 2×1', x: [2, 7, 5, 3], filter: [3, 2, 3, 4], strides: [2, 1], pad: 1 },
  { name: "'same', strides 1×2, 4×3 filter", x: [3, 6, 9, 2], filter: [4, 3, 2, 5], strides: [1, 2], pad: 'same' },
  {
    name: 'explicit asymmetric padding',
    x: [1, 5, 8, 2],
    filter: [2, 3, 2, 3],
    strides: [1, 1],
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  { name: "LeNet's C1 at batch 3", x: [3, 28, 28, 1], filter: [5, 5, 1, 6], strides: [1, 1], pad: 2 },
  { name: "LeNet's C3 at batch 4", x: [4, 14, 14, 6], filter: [5, 5, 6, 16], strides: [1, 1], pad: 'valid' },
  // (10 − 3) / 3 leaves a row and a column the forward convolution never reaches
  { name: "'valid', strides 3×2, rows past the last window", x: [2, 10, 9, 2], filter: [3, 4, 2, 3], strides: [3, 2], pad: 'valid' },
];

function seeded(size: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: size }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

/** The output shape of conv2d(x, filter), from the cpu backend. */
function outputShape(c: Case): number[] {
  return tf.tidy(() => tf.conv2d(tf.zeros<tf.Rank.R4>(c.x), tf.zeros<tf.Rank.R4>(c.filter), c.strides, c.pad).shape);
}

/**
 * The kernel itself on `backend`, called as conv2d's gradient calls it. (Not through tf.grad: the
 * wasm backend's forward Conv2D corrupts its memory for a non-square filter with numeric padding,
 * a bug of tfjs-backend-wasm 4.22 that this kernel does not share.)
 */
async function filterGradient(
  backend: string,
  c: Case,
  x: Float32Array,
  dy: Float32Array,
  dyShape: number[],
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const xs = tf.tensor4d(x, c.x);
  const dys = tf.tensor(dy, dyShape);
  const gradient = tf
    .engine()
    .runKernel('Conv2DBackpropFilter', { x: xs, dy: dys }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter });
  if (Array.isArray(gradient)) throw new Error('one output expected');
  const result = { values: Float32Array.from(await gradient.data()), shape: gradient.shape };
  tf.dispose([xs, dys, gradient]);
  return result;
}

describe.each(FILTER_GRADIENT_FORMULATIONS)('Conv2DBackpropFilter on wasm by %s', (formulation) => {
  beforeAll(async () => {
    registerWasmConv2dBackpropFilter(formulation);
    expect(await tf.setBackend('wasm')).toBe(true);
    await tf.setBackend('cpu');
  });

  it.each(CASES)('$name: equals the cpu backend', async (c) => {
    const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
    await tf.setBackend('cpu');
    const dyShape = outputShape(c);
    const x = seeded(size(c.x), 11);
    const dy = seeded(size(dyShape), 13);
    const expected = await filterGradient('cpu', c, x, dy, dyShape);
    const actual = await filterGradient('wasm', c, x, dy, dyShape);
    expect(actual.shape).toEqual(c.filter);
    const scale = Math.max(...expected.values.map(Math.abs));
    expect(scale).toBeGreaterThan(0.1); // a zero gradient would match a kernel that returns zeros
    actual.values.forEach((value, i) => expect(Math.abs(value - expected.values[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, scale)));
  });

  it('refuses NCHW with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 4, 4]);
    const dy = tf.zeros([1, 2, 4, 4]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] }),
    ).toThrow(/only NHWC is supported/);
    tf.dispose([x, dy]);
  });
});

describe('the formulation the peer uses', () => {
  it('is one of the two checked above', () => {
    expect(FILTER_GRADIENT_FORMULATIONS).toContain(FASTEST_FILTER_GRADIENT);
  });
});
