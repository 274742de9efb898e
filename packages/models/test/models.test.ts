import { CpuBackend } from '@lenet/backend-cpu';
import { conv2d, crossEntropy, getBackend, type nn, noGrad, Rng, setBackend, tensor, tidy } from '@lenet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { C3_CONNECTION_TABLE, connectionMatrix } from '../src/models/layers/c3-connection-table.js';
import { EuclideanRbf } from '../src/models/layers/euclidean-rbf.js';
import { MaskedConv2d } from '../src/models/layers/masked-conv2d.js';
import { ScaledTanh } from '../src/models/layers/scaled-tanh.js';
import { Subsampling } from '../src/models/layers/subsampling.js';
import { ZeroPad2d } from '../src/models/layers/zero-pad2d.js';
import { getModelSpec, MODEL_NAMES, UnknownModelError } from '../src/models/registry.js';

beforeAll(() => setBackend(new CpuBackend()));

/** Distinct values 0.1, 0.2, ... with alternating signs, so no two entries can be swapped unseen. */
function distinctValues(count: number): number[] {
  return Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 1 : -1) * 0.1 * (i + 1));
}

describe('the registry', () => {
  it('builds every model by name; each maps [N,1,28,28] to [N,10]', async () => {
    for (const name of MODEL_NAMES) {
      const model = getModelSpec(name).build(new Rng(5));
      const values = await noGrad(() =>
        model.call(
          tensor(
            distinctValues(3 * 784).map((v) => Math.abs(v) % 1),
            [3, 1, 28, 28],
          ),
        ),
      ).data();
      expect(values.length, name).toBe(30);
      expect(values.every(Number.isFinite), name).toBe(true);
    }
  });

  it('rejects an unknown name with the list of valid ones', () => {
    expect(() => getModelSpec('lenet6')).toThrow(UnknownModelError);
    expect(() => getModelSpec('lenet6')).toThrow("unknown model 'lenet6': choose one of lenet5, lenet5-modern, lenet5-classic");
  });

  it("names lenet5's parameters as PyTorch's state_dict does, with PyTorch's layouts", () => {
    const named = getModelSpec('lenet5')
      .build(new Rng(0))
      .namedParameters()
      .map(([name, p]) => [name, p.shape]);
    expect(named).toEqual([
      ['0.weight', [6, 1, 5, 5]],
      ['0.bias', [6]],
      ['3.weight', [16, 6, 5, 5]],
      ['3.bias', [16]],
      ['7.weight', [120, 400]],
      ['7.bias', [120]],
      ['9.weight', [84, 120]],
      ['9.bias', [84]],
      ['11.weight', [10, 84]],
      ['11.bias', [10]],
    ]);
  });

  it('lenet5-modern uses ReLU and max pooling where lenet5 uses sigmoid and average pooling', () => {
    const names = (model: nn.Sequential) => model.layers.map((layer) => layer.constructor.name);
    expect(names(getModelSpec('lenet5-modern').build(new Rng(0)))).toEqual([
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Flatten',
      'Linear',
      'ReLU',
      'Linear',
      'ReLU',
      'Linear',
    ]);
  });
});

describe('ScaledTanh', () => {
  it('is 1.7159·tanh(2x/3): f(±1) = ±1 and f(3) by hand', async () => {
    const y = await new ScaledTanh().call(tensor([1, -1, 0, 3], [4])).data();
    expect(y[0]).toBeCloseTo(1, 4);
    expect(y[1]).toBeCloseTo(-1, 4);
    expect(y[2]).toBe(0);
    expect(y[3]).toBeCloseTo(1.7159 * Math.tanh(2), 5);
  });
});

describe('ZeroPad2d', () => {
  it('puts each channel inside a border of zeros (2 channels, non-square)', async () => {
    const x = tensor(distinctValues(2 * 2 * 3), [1, 2, 2, 3]);
    const y = new ZeroPad2d(1, 2).call(x);
    expect(y.shape).toEqual([1, 2, 4, 5]);
    const v = Array.from(await y.data());
    const input = distinctValues(12);
    for (let c = 0; c < 2; c++) {
      for (let row = 0; row < 4; row++) {
        for (let col = 0; col < 5; col++) {
          const inside = row >= 1 && row <= 2 && col >= 1 && col <= 3;
          const expected = inside ? input[c * 6 + (row - 1) * 3 + (col - 1)] : 0;
          expect(v[c * 20 + row * 5 + col]).toBeCloseTo(expected, 6);
        }
      }
    }
  });

  it('describes [N,C,H+2p,W+2p], the shape forward produces, and names a wrong channel count', () => {
    const layer = new ZeroPad2d(2, 3);
    const x = tensor(distinctValues(2 * 3 * 5 * 7), [2, 3, 5, 7]);
    const y = layer.call(x);
    expect(layer.describe([2, 3, 5, 7])).toEqual({ outputShape: [2, 3, 9, 11], parameters: 0, connections: 0 });
    expect(y.shape).toEqual([2, 3, 9, 11]);
    expect(() => layer.describe([2, 1, 5, 7])).toThrow(/ZeroPad2d: input shape \[2,1,5,7\] must be \[N, 3, H, W\]/);
    x.dispose();
    y.dispose();
    layer.dispose();
  });
});

describe('Subsampling (S2, S4)', () => {
  it('computes α[c]·(2x2 window sum) + β[c] per map, by hand, on a non-square input', async () => {
    const layer = new Subsampling(2, { rng: new Rng(3) });
    const alpha = Array.from(await layer.coefficient.data());
    const beta = Array.from(await layer.bias.data());
    const input = distinctValues(2 * 4 * 6);
    const y = Array.from(await layer.call(tensor(input, [1, 2, 4, 6])).data());
    expect(y.length).toBe(2 * 2 * 3);
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 3; j++) {
          let windowSum = 0;
          for (const [u, v] of [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ])
            windowSum += input[c * 24 + (2 * i + u) * 6 + (2 * j + v)];
          expect(y[c * 6 + i * 3 + j]).toBeCloseTo(alpha[c] * windowSum + beta[c], 5);
        }
      }
    }
    expect(alpha.every((a) => Math.abs(a) <= 0.6) && alpha[0] !== alpha[1]).toBe(true);
  });
});

describe('C3: MaskedConv2d with Table I', () => {
  it('follows Table I of the paper (row S2 map 0: C3 maps 0,4,5,6,9,10,11,12,14,15)', () => {
    const matrix = connectionMatrix(C3_CONNECTION_TABLE, 6);
    const readsS2Map = (c: number) => matrix.flatMap((row, k) => (row[c] === 1 ? [k] : []));
    expect(readsS2Map(0)).toEqual([0, 4, 5, 6, 9, 10, 11, 12, 14, 15]);
    expect(readsS2Map(1)).toEqual([0, 1, 5, 6, 7, 10, 11, 12, 13, 15]);
    expect(readsS2Map(5)).toEqual([3, 4, 5, 8, 9, 10, 11, 13, 14, 15]);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('holds zeros where the table has no connection, and they get no gradient', async () => {
    const c3 = new MaskedConv2d(6, 16, 5, C3_CONNECTION_TABLE, { rng: new Rng(4) });
    const matrix = connectionMatrix(C3_CONNECTION_TABLE, 6);
    const x = tensor(distinctValues(2 * 6 * 7 * 9), [2, 6, 7, 9]);
    tidy(() => crossEntropy(c3.call(x).sum([2, 3]), tensor([3, 12], [2])).backward());
    const weight = await c3.weight.data();
    const gradTensor = c3.weight.grad;
    expect(gradTensor).not.toBeNull();
    const grad = (await gradTensor?.data()) ?? new Float32Array();
    let nonZeroConnected = 0;
    for (let k = 0; k < 16; k++) {
      for (let c = 0; c < 6; c++) {
        for (let uv = 0; uv < 25; uv++) {
          const index = (k * 6 + c) * 25 + uv;
          if (matrix[k][c] === 0) {
            expect(Math.abs(weight[index])).toBe(0);
            expect(Math.abs(grad[index])).toBe(0);
          } else if (grad[index] !== 0) {
            nonZeroConnected++;
          }
        }
      }
    }
    expect(nonZeroConnected).toBeGreaterThan(1000);
  });

  it('equals a plain convolution with the masked weight, plus the bias, even when the masked weights are not 0', async () => {
    const c3 = new MaskedConv2d(6, 16, 5, C3_CONNECTION_TABLE, { rng: new Rng(6) });
    // Non-zero everywhere, the entries the table leaves out included, so a forward that forgot the
    // mask would read them and differ.
    const weight = distinctValues(16 * 6 * 5 * 5).map((w) => w / 2400);
    noGrad(() => c3.weight.assign(tensor(weight, [16, 6, 5, 5])));
    // w ⊙ m computed here from the table itself: m[k,c] = [c ∈ table[k]].
    const masked = weight.map((w, index) => {
      const k = Math.floor(index / (6 * 25));
      const c = Math.floor(index / 25) % 6;
      return C3_CONNECTION_TABLE[k].includes(c) ? w : 0;
    });
    expect(masked.filter((w) => w === 0).length).toBe((16 * 6 - 60) * 25);
    const x = tensor(distinctValues(6 * 6 * 8), [1, 6, 6, 8]);
    const y = await c3.call(x).data();
    const reference = await conv2d(x, tensor(masked, [16, 6, 5, 5])).data();
    const unmasked = await conv2d(x, tensor(weight, [16, 6, 5, 5])).data();
    const bias = await c3.bias?.data();
    expect(bias).toBeDefined();
    let differsFromUnmasked = 0;
    for (let k = 0; k < 16; k++) {
      for (let p = 0; p < 2 * 4; p++) {
        expect(y[k * 8 + p]).toBeCloseTo(reference[k * 8 + p] + (bias?.[k] ?? NaN), 3);
        if (Math.abs(unmasked[k * 8 + p] - reference[k * 8 + p]) > 0.1) differsFromUnmasked++;
      }
    }
    // Every output map reads fewer than all 6 inputs, so a forward without the mask would be far
    // off (by more than 0.1) at most outputs: this comparison can catch it.
    expect(differsFromUnmasked).toBeGreaterThan((16 * 8) / 2);
  });
});

describe('EuclideanRbf', () => {
  it('returns −Σ_j (x_j − w_ij)² for each class, with ±1 codes', async () => {
    const rbf = new EuclideanRbf(5, 3, { rng: new Rng(9) });
    const codes = Array.from(await rbf.codes.data());
    expect(codes.every((w) => w === 1 || w === -1)).toBe(true);
    const x = distinctValues(2 * 5);
    const y = await rbf.call(tensor(x, [2, 5])).data();
    for (let n = 0; n < 2; n++) {
      for (let i = 0; i < 3; i++) {
        let distance = 0;
        for (let j = 0; j < 5; j++) distance += (x[n * 5 + j] - codes[i * 5 + j]) ** 2;
        expect(y[n * 3 + i]).toBeCloseTo(-distance, 5);
      }
    }
  });
});

describe('lenet5-classic', () => {
  it('learns: every parameter gets a gradient, and the codes and mask are buffers, not parameters', async () => {
    const model = getModelSpec('lenet5-classic').build(new Rng(11));
    const names = model.namedParameters().map(([name]) => name);
    expect(names).toEqual([
      '1.weight',
      '1.bias',
      '3.coefficient',
      '3.bias',
      '5.weight',
      '5.bias',
      '7.coefficient',
      '7.bias',
      '9.weight',
      '9.bias',
      '12.weight',
      '12.bias',
    ]);
    const x = tensor(
      distinctValues(2 * 784).map((v) => Math.abs(v) % 1),
      [2, 1, 28, 28],
    );
    tidy(() => crossEntropy(model.call(x), tensor([4, 7], [2])).backward());
    for (const [name, parameter] of model.namedParameters()) {
      const grad = await parameter.grad?.data();
      expect(
        grad?.some((g) => g !== 0),
        name,
      ).toBe(true);
    }
  });

  it("registers the padding filter, C3's mask and the RBF codes as buffers: the last two saved, all three freed by dispose", async () => {
    const backend = getBackend();
    const before = backend.liveBuffers();
    const model = getModelSpec('lenet5-classic').build(new Rng(12));
    expect(model.namedBuffers().map(([name, buffer]) => [name, buffer.shape])).toEqual([
      ['0.identity', [1, 1, 1, 1]],
      ['5.mask', [16, 6, 1, 1]],
      ['14.codes', [10, 84]],
    ]);
    const state = await model.stateDict();
    // Parameters first, then the persistent buffers: the order of the checkpoints written so far.
    expect([...state.keys()].slice(-3)).toEqual(['12.bias', '5.mask', '14.codes']);
    expect(state.has('0.identity')).toBe(false);
    const mask = state.get('5.mask')?.data ?? new Float32Array(0);
    expect(Array.from(mask)).toEqual(connectionMatrix(C3_CONNECTION_TABLE, 6).flat());
    // Parameters 12 and buffers 3: everything the model holds, and dispose frees it all.
    expect(backend.liveBuffers() - before).toBe(12 + 3);
    model.dispose();
    expect(backend.liveBuffers()).toBe(before);
  });
});
