import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
// Core cannot depend on @lenet/backend-cpu (it depends on core); these tests borrow its source.
import { CpuBackend } from '../../backend-cpu/src/cpu-backend.js';
import { setBackend } from '../src/engine/engine.js';
import { keep, tidy } from '../src/engine/memory.js';
import { Sigmoid, Tanh, ReLU } from '../src/nn/activations.js';
import { Conv2d } from '../src/nn/conv2d.js';
import type { LayerDescription } from '../src/nn/describe.js';
import { Flatten } from '../src/nn/flatten.js';
import { Linear } from '../src/nn/linear.js';
import { Module } from '../src/nn/module.js';
import { Parameter } from '../src/nn/parameter.js';
import { AvgPool2d, MaxPool2d } from '../src/nn/pooling.js';
import { Sequential } from '../src/nn/sequential.js';
import { Rng } from '../src/random/rng.js';
import type { Shape } from '../src/shape/shape.js';
import { tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';

let backend: CpuBackend;
beforeAll(() => {
  backend = new CpuBackend();
  setBackend(backend);
});

/** d2l's LeNet (section 7.6): sigmoid activations, average pooling, C1 padded to keep 28×28. */
function d2lLeNet(rng: Rng): Sequential {
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, rng }), new Sigmoid(), new AvgPool2d(2, 2),
    new Conv2d(6, 16, 5, { rng }), new Sigmoid(), new AvgPool2d(2, 2), new Flatten(),
    new Linear(16 * 5 * 5, 120, { rng }), new Sigmoid(),
    new Linear(120, 84, { rng }), new Sigmoid(),
    new Linear(84, 10, { rng }),
  );
}

/** The value, or a test failure naming what was missing. */
function present<T>(value: T | null): T {
  if (value === null) throw new Error('expected a bias parameter, got null');
  return value;
}

/** Distinct, non-symmetric values: value i is sin(1.3·i + offset). */
function wave(size: number, offset = 0): number[] {
  return Array.from({ length: size }, (_, i) => Math.sin(1.3 * i + offset));
}

describe('Module: names, parameters, modes', () => {
  it('gives a d2l LeNet PyTorch’s state_dict names, shapes and 61,706 parameters', () => {
    const net = d2lLeNet(new Rng(0));
    const named = net.namedParameters();
    expect(named.map(([name, p]) => [name, [...p.shape]])).toEqual([
      ['0.weight', [6, 1, 5, 5]], ['0.bias', [6]],
      ['3.weight', [16, 6, 5, 5]], ['3.bias', [16]],
      ['7.weight', [120, 400]], ['7.bias', [120]],
      ['9.weight', [84, 120]], ['9.bias', [84]],
      ['11.weight', [10, 84]], ['11.bias', [10]],
    ]);
    for (const [name, parameter] of named) expect(parameter.name).toBe(name);
    expect(net.parameters()).toEqual(named.map(([, p]) => p));
    // 156 + 2,416 + 48,120 + 10,164 + 850
    expect(net.numParameters()).toBe(61_706);
    expect(net.children().map(([name, layer]) => `${name}:${layer.constructor.name}`)).toEqual([
      '0:Conv2d', '1:Sigmoid', '2:AvgPool2d', '3:Conv2d', '4:Sigmoid', '5:AvgPool2d', '6:Flatten',
      '7:Linear', '8:Sigmoid', '9:Linear', '10:Sigmoid', '11:Linear',
    ]);
    net.dispose();
  });

  it('names nested containers with the full path, own parameters first', () => {
    const rng = new Rng(1);
    const inner = new Sequential(new Linear(3, 4, { rng }), new ReLU(), new Linear(4, 2, { rng, bias: false }));
    const outer = new Sequential(new Linear(5, 3, { rng }), inner);
    expect(outer.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias', '1.0.weight', '1.0.bias', '1.2.weight']);
    expect(inner.layers[2].namedParameters().map(([name, p]) => `${name} ${p.name}`)).toEqual(['weight 1.2.weight']);
    expect(outer.namedParameters('model.')[0][0]).toBe('model.0.weight');
    outer.dispose();
  });

  it('lists a parameter shared by two layers once', () => {
    const rng = new Rng(2);
    const shared = new Linear(3, 3, { rng });
    const net = new Sequential(shared, new Tanh(), shared);
    expect(net.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias']);
    net.dispose();
  });

  it('switches train/eval on every descendant', () => {
    const rng = new Rng(3);
    const net = new Sequential(new Linear(2, 2, { rng }), new Sequential(new ReLU()));
    const modules = [net, net.layers[0], net.layers[1], net.children()[1][1].children()[0][1]];
    expect(modules.every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(modules.every((m) => !m.training)).toBe(true);
    net.train();
    expect(modules.every((m) => m.training)).toBe(true);
    net.dispose();
  });

  it('prints PyTorch’s repr', () => {
    const rng = new Rng(4);
    const net = new Sequential(new Conv2d(1, 6, 5, { padding: 2, rng }), new AvgPool2d(2), new Flatten(), new Linear(1176, 10, { rng }));
    expect(net.toString()).toBe([
      'Sequential(',
      '  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))',
      '  (1): AvgPool2d(kernel_size=2, stride=2, padding=0)',
      '  (2): Flatten(start_dim=1, end_dim=-1)',
      '  (3): Linear(in_features=1176, out_features=10, bias=True)',
      ')',
    ].join('\n'));
    net.dispose();
  });

  it('keeps parameters alive when a layer is built inside tidy', async () => {
    const layer = tidy(() => new Linear(3, 2, { rng: new Rng(5) }));
    expect(layer.weight.isDisposed).toBe(false);
    expect((await layer.weight.data()).length).toBe(6);
    layer.dispose();
    expect(layer.weight.isDisposed).toBe(true);
  });
});

/** A layer holding a fixed tensor that is not a parameter (as a mask), freed by its own `dispose()`. */
class ScaleByBuffer extends Module {
  readonly scale: Tensor;
  constructor(values: number[]) {
    super();
    this.scale = keep(tensor(values, [values.length]));
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.scale);
  }
  describe(inputShape: Shape): LayerDescription {
    return { outputShape: inputShape, parameters: 0, connections: 0 };
  }
  override dispose(): void {
    super.dispose();
    this.scale.dispose();
  }
}

describe('Module.dispose()', () => {
  it('runs each child’s own dispose(), so buffers that are not parameters are freed too', async () => {
    const rng = new Rng(6);
    const before = backend.liveBuffers();
    const shared = new Linear(3, 3, { rng });
    const buffered = new ScaleByBuffer([0.5, -2, 3]);
    const net = new Sequential(shared, new Sequential(new Tanh(), buffered), shared, new Linear(3, 2, { rng }));
    const x = tensor([1, 2, 3, -1, 0.5, 4], [2, 3]);
    tidy(() => net.call(x).sum().backward());
    x.dispose();
    const gradient = present(shared.weight.grad);
    // Parameters 2 + 2, their gradients 2 + 2, and the buffer 1: all the network holds.
    expect(backend.liveBuffers() - before).toBe(9);
    net.dispose();
    expect(buffered.scale.isDisposed).toBe(true);
    expect(gradient.isDisposed).toBe(true);
    expect(shared.weight.grad).toBeNull();
    expect(backend.liveBuffers()).toBe(before);
    // A second dispose (a shared parameter is reached twice above) is harmless.
    net.dispose();
    expect(backend.liveBuffers()).toBe(before);
  });
});

describe('describe(): output shapes, parameter and connection counts', () => {
  it('traces d2l’s LeNet layer by layer, with LeCun’s connection counts', () => {
    const net = d2lLeNet(new Rng(6));
    const rows = net.trace([256, 1, 28, 28]);
    expect(rows.map((row) => [row.name, [...row.outputShape], row.parameters, row.connections])).toEqual([
      ['0', [256, 6, 28, 28], 6 * 25 + 6, 28 * 28 * 6 * 26], // C1: 122,304 connections, as LeCun counts them
      ['1', [256, 6, 28, 28], 0, 0],
      ['2', [256, 6, 14, 14], 0, 14 * 14 * 6 * 4],
      ['3', [256, 16, 10, 10], 16 * 6 * 25 + 16, 10 * 10 * 16 * (6 * 25 + 1)],
      ['4', [256, 16, 10, 10], 0, 0],
      ['5', [256, 16, 5, 5], 0, 5 * 5 * 16 * 4],
      ['6', [256, 400], 0, 0],
      ['7', [256, 120], 48_120, 120 * 401],
      ['8', [256, 120], 0, 0],
      ['9', [256, 84], 10_164, 84 * 121],
      ['10', [256, 84], 0, 0],
      ['11', [256, 10], 850, 10 * 85],
    ]);
    expect(rows[0].connections).toBe(122_304);
    expect(rows[3].inputShape).toEqual([256, 6, 14, 14]);
    const total = net.describe([256, 1, 28, 28]);
    expect(total.outputShape).toEqual([256, 10]);
    expect(total.parameters).toBe(net.numParameters());
    expect(total.connections).toBe(rows.reduce((sum, row) => sum + row.connections, 0));
    net.dispose();
  });

  it('handles non-square kernels, strides and paddings that differ along height and width', () => {
    const rng = new Rng(7);
    const conv = new Conv2d(3, 4, [3, 2], { stride: [2, 1], padding: [1, 0], rng });
    // outH = ⌊(7 + 2 − 3)/2⌋ + 1 = 4, outW = ⌊(6 + 0 − 2)/1⌋ + 1 = 5
    expect(conv.describe([2, 3, 7, 6])).toEqual({ outputShape: [2, 4, 4, 5], parameters: 4 * 3 * 3 * 2 + 4, connections: 4 * 5 * 4 * (3 * 3 * 2 + 1) });
    const noBias = new Conv2d(3, 4, [3, 2], { stride: [2, 1], padding: [1, 0], bias: false, rng });
    expect(noBias.describe([2, 3, 7, 6])).toEqual({ outputShape: [2, 4, 4, 5], parameters: 72, connections: 4 * 5 * 4 * 18 });
    expect(noBias.namedParameters().map(([name]) => name)).toEqual(['weight']);
    // pooling: window [3,2], stride [1,2], padding [1,0] on [1,2,5,7]: outH = ⌊(5+2−3)/1⌋+1 = 5, outW = ⌊(7−2)/2⌋+1 = 3
    expect(new MaxPool2d([3, 2], [1, 2], [1, 0]).describe([1, 2, 5, 7])).toEqual({ outputShape: [1, 2, 5, 3], parameters: 0, connections: 5 * 3 * 2 * 6 });
    expect(new AvgPool2d([3, 2], [1, 2], [1, 0]).outputShape([1, 2, 5, 7])).toEqual([1, 2, 5, 3]);
    expect(new Linear(400, 120, { rng }).describe([8, 400])).toEqual({ outputShape: [8, 120], parameters: 48_120, connections: 48_120 });
    expect(new Flatten().describe([3, 16, 5, 4]).outputShape).toEqual([3, 320]);
    conv.dispose();
    noBias.dispose();
  });

  it('agrees with the shapes the layers actually produce', () => {
    const net = d2lLeNet(new Rng(8));
    const x = tensor(wave(2 * 28 * 28), [2, 1, 28, 28]);
    let activation = x;
    tidy(() => {
      for (const row of net.trace([2, 1, 28, 28])) {
        activation = row.layer.call(activation);
        expect(activation.shape).toEqual(row.outputShape);
      }
    });
    x.dispose();
    net.dispose();
  });

  it('predicts the shape a Conv2d or pooling layer produces, for random geometry (fast-check)', () => {
    const geometry = fc.record({
      batch: fc.integer({ min: 1, max: 2 }), inChannels: fc.integer({ min: 1, max: 3 }), outChannels: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 3, max: 9 }), width: fc.integer({ min: 3, max: 9 }),
      kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
      ph: fc.integer({ min: 0, max: 1 }), pw: fc.integer({ min: 0, max: 1 }), bias: fc.boolean(),
    });
    fc.assert(fc.property(geometry, (g) => {
      const inputShape = [g.batch, g.inChannels, g.height, g.width];
      const conv = new Conv2d(g.inChannels, g.outChannels, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw], bias: g.bias, rng: new Rng(g.height) });
      const poolPadding: [number, number] = [Math.min(g.ph, Math.floor(g.kh / 2)), Math.min(g.pw, Math.floor(g.kw / 2))];
      const pools = [new AvgPool2d([g.kh, g.kw], [g.sh, g.sw], poolPadding), new MaxPool2d([g.kh, g.kw], [g.sh, g.sw], poolPadding)];
      const x = tensor(wave(g.batch * g.inChannels * g.height * g.width), inputShape);
      tidy(() => {
        const described = conv.describe(inputShape);
        const outH = Math.floor((g.height + 2 * g.ph - g.kh) / g.sh) + 1;
        const outW = Math.floor((g.width + 2 * g.pw - g.kw) / g.sw) + 1;
        expect(described.outputShape).toEqual([g.batch, g.outChannels, outH, outW]);
        expect(conv.call(x).shape).toEqual(described.outputShape);
        expect(described.parameters).toBe(conv.numParameters());
        expect(described.connections).toBe(outH * outW * g.outChannels * (g.inChannels * g.kh * g.kw + (g.bias ? 1 : 0)));
        for (const pool of pools) expect(pool.call(x).shape).toEqual(pool.outputShape(inputShape));
      });
      x.dispose();
      conv.dispose();
    }), { numRuns: 60 });
  });

  it('names the layer and the shapes when an input does not fit', () => {
    const rng = new Rng(9);
    const linear = new Linear(400, 120, { rng });
    expect(() => linear.describe([8, 16, 5, 5])).toThrow(/Linear\(400, 120\): input has shape \[8,16,5,5\] but must be \[batch, 400\]; add a Flatten\(\) before it/);
    expect(() => linear.describe([8, 300])).toThrow(/input has shape \[8,300\] but must be \[batch, 400\]/);
    const net = new Sequential(new Conv2d(1, 6, 5, { rng }), new Flatten(), new Linear(400, 10, { rng }));
    expect(() => net.trace([1, 1, 28, 28])).toThrow(/Sequential: layer 2 \(Linear\) cannot take input \[1,3456\]/);
    expect(() => net.describe([1, 3, 28, 28])).toThrow(/layer 0 \(Conv2d\).*expects 1 input channels but the input has 3/);
    const x = tensor(wave(3 * 400), [3, 400]);
    expect(() => net.layers[2].call(x.reshape([3, 16, 5, 5]))).toThrow(/Linear\(400, 10\).*\[3,16,5,5\]/);
    x.dispose();
    net.dispose();
    linear.dispose();
  });

  it('rejects bad layer arguments, naming them', () => {
    const rng = new Rng(10);
    expect(() => new Conv2d(0, 6, 5, { rng })).toThrow(/Conv2d: inChannels must be an integer ≥ 1, got 0/);
    expect(() => new Conv2d(1, 6, [5, 2.5], { rng })).toThrow(/Conv2d: kernel width must be an integer ≥ 1, got 2\.5/);
    expect(() => new Conv2d(1, 6, 5, { stride: [1, 0], rng })).toThrow(/Conv2d: stride \(width\) must be an integer ≥ 1, got 0/);
    expect(() => new Conv2d(1, 6, 5, { padding: -1, rng })).toThrow(/Conv2d: padding \(height\) must be an integer ≥ 0, got -1/);
    expect(() => new Linear(10, -3, { rng })).toThrow(/Linear: outFeatures must be a positive integer, got -3/);
    expect(() => new AvgPool2d(2, 2, 2)).toThrow(/AvgPool2d: padding \[2,2\] must be at most half the kernel \[2,2\]/);
    expect(() => new MaxPool2d(2, 0)).toThrow(/MaxPool2d: stride \(height\) must be a positive integer, got 0/);
    expect(() => new Parameter(new Float32Array(5), [2, 3])).toThrow(/Parameter: 5 values cannot fill shape \[2,3\], which holds 6/);
  });
});

describe('forward passes', () => {
  it('Linear computes x·Wᵀ + b', async () => {
    const layer = new Linear(3, 2, { rng: new Rng(12) });
    const w = await layer.weight.data();
    const b = await present(layer.bias).data();
    const xValues = [0.5, -1, 2, 3, 0.25, -0.75, -2, 1, 0.5, 1.5, -0.5, 0];
    const x = tensor(xValues, [4, 3]);
    const y = layer.call(x);
    expect(y.shape).toEqual([4, 2]);
    const values = await y.data();
    for (let n = 0; n < 4; n++) {
      for (let j = 0; j < 2; j++) {
        let expected = b[j];
        for (let i = 0; i < 3; i++) expected += xValues[n * 3 + i] * w[j * 3 + i];
        expect(values[n * 2 + j]).toBeCloseTo(expected, 5);
      }
    }
    x.dispose();
    y.dispose();
    layer.dispose();
  });

  it('Conv2d computes conv2d(x, w) + b[k], with stride and padding that differ along height and width', async () => {
    const [N, C, H, W, K, kh, kw, sh, sw, ph, pw] = [2, 2, 5, 4, 3, 3, 2, 2, 1, 1, 0];
    const layer = new Conv2d(C, K, [kh, kw], { stride: [sh, sw], padding: [ph, pw], rng: new Rng(13) });
    const w = await layer.weight.data();
    const b = await present(layer.bias).data();
    const xValues = wave(N * C * H * W, 0.3);
    const x = tensor(xValues, [N, C, H, W]);
    const y = layer.call(x);
    const outH = Math.floor((H + 2 * ph - kh) / sh) + 1;
    const outW = Math.floor((W + 2 * pw - kw) / sw) + 1;
    expect(y.shape).toEqual([N, K, outH, outW]);
    const values = await y.data();
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) for (let i = 0; i < outH; i++) for (let j = 0; j < outW; j++) {
      let expected = b[k];
      for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
        const row = i * sh + u - ph;
        const col = j * sw + v - pw;
        if (row < 0 || row >= H || col < 0 || col >= W) continue;
        expected += xValues[((n * C + c) * H + row) * W + col] * w[((k * C + c) * kh + u) * kw + v];
      }
      expect(values[((n * K + k) * outH + i) * outW + j]).toBeCloseTo(expected, 5);
    }
    x.dispose();
    y.dispose();
    layer.dispose();
  });

  it('activations, pooling and Flatten compute their formulas', async () => {
    const values = [-2, -0.5, 0, 0.5, 1, 3, -1, 2];
    const x = tensor(values, [1, 2, 2, 2]);
    const close = async (t: ReturnType<typeof tensor>, expected: number[]): Promise<void> => {
      const got = Array.from(await t.data());
      expected.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 6));
      t.dispose();
    };
    await close(new Sigmoid().call(x), values.map((v) => 1 / (1 + Math.exp(-v))));
    await close(new Tanh().call(x), values.map(Math.tanh));
    await close(new ReLU().call(x), values.map((v) => Math.max(0, v)));
    await close(new AvgPool2d(2).call(x), [(-2 - 0.5 + 0 + 0.5) / 4, (1 + 3 - 1 + 2) / 4]);
    await close(new MaxPool2d(2).call(x), [0.5, 3]);
    const flat = new Flatten().call(x);
    expect(flat.shape).toEqual([1, 8]);
    await close(flat, values);
    x.dispose();
  });
});

describe('stateDict / loadStateDict', () => {
  it('round-trips every parameter by name into another model of the same architecture, in place', async () => {
    const source = d2lLeNet(new Rng(20));
    const target = d2lLeNet(new Rng(21));
    const state = await source.stateDict();
    expect([...state.keys()]).toEqual(source.namedParameters().map(([name]) => name));
    expect(state.get('3.weight')?.shape).toEqual([16, 6, 5, 5]);
    const targetWeight = target.namedParameters()[2][1];
    expect(Array.from(await targetWeight.data())).not.toEqual(Array.from(state.get('3.weight')?.data ?? []));
    const before = backend.liveBuffers();
    target.loadStateDict(state);
    expect(backend.liveBuffers()).toBe(before);
    expect(target.namedParameters()[2][1]).toBe(targetWeight);
    for (const [name, parameter] of target.namedParameters()) {
      expect(Array.from(await parameter.data())).toEqual(Array.from(state.get(name)?.data ?? []));
    }
    source.dispose();
    target.dispose();
  });

  it('refuses missing, unexpected or mis-shaped entries and writes nothing then', async () => {
    const rng = new Rng(22);
    const layer = new Sequential(new Linear(3, 2, { rng }));
    const original = await layer.stateDict();
    const weight = { shape: [2, 3], data: new Float32Array(6).fill(7) };
    expect(() => layer.loadStateDict(new Map([['0.weight', weight]]), 'a.safetensors')).toThrow(/^a\.safetensors: the saved weights do not fit the model: missing '0\.bias' \[2\]$/);
    expect(() => layer.loadStateDict(new Map([['0.weight', weight], ['0.bias', { shape: [2], data: new Float32Array(2) }], ['1.weight', weight]])))
      .toThrow(/^loadStateDict: the saved weights do not fit the model: unexpected '1\.weight'$/);
    expect(() => layer.loadStateDict(new Map([['0.weight', weight], ['0.bias', { shape: [3], data: new Float32Array(3) }]])))
      .toThrow(/'0\.bias' has shape \[3\] but the model's is \[2\]/);
    expect(() => layer.loadStateDict(new Map([['0.weight', weight], ['0.bias', { shape: [2], data: new Float32Array(3) }]])))
      .toThrow(/'0\.bias' has 3 values for its shape \[2\], which holds 2/);
    const after = await layer.stateDict();
    for (const [name, entry] of original) expect(Array.from(after.get(name)?.data ?? [])).toEqual(Array.from(entry.data));
    layer.dispose();
  });
});
