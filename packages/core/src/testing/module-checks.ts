/**
 * `nn.Module` on the backend under test: PyTorch's parameter names, train/eval, `repr`, buffers
 * (`registerBuffer`, `namedBuffers`), state dicts (`stateDict`, strict `loadStateDict`) and
 * `dispose`. Every test counts the backend's live buffers, and the saved values are compared
 * exactly: a state dict is storage, uploaded and downloaded, with no arithmetic in between.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { tidy } from '../engine/memory.js';
import {
  AvgPool2d,
  Conv2d,
  Flatten,
  Linear,
  Module,
  ReLU,
  Sequential,
  StateDictMismatchError,
  Tanh,
  type BufferOptions,
  type LayerDescription,
} from '../nn/index.js';
import { Rng } from '../random/rng.js';
import type { Shape } from '../shape/shape.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConformanceContext } from './context.js';
import { expectTensor } from './expect-close.js';
import { d2lLeNet, present } from './networks.js';

/**
 * y = x · scale + shift over the last axis, with two buffers: `scale` (persistent: saved, as C3's
 * mask is) and `shift` (not persistent: rebuilt from the constructor's arguments, as ZeroPad2d's
 * identity filter is). No parameters.
 */
class ScaleAndShift extends Module {
  readonly scale: Tensor;
  readonly shift: Tensor;

  constructor(scale: number[], shift: number[]) {
    super();
    this.scale = this.registerBuffer('scale', tensor(scale, [scale.length]));
    this.shift = this.registerBuffer('shift', tensor(shift, [shift.length]), { persistent: false });
  }

  forward(x: Tensor): Tensor {
    return x.mul(this.scale).add(this.shift);
  }

  describe(inputShape: Shape): LayerDescription {
    return { outputShape: inputShape, parameters: 0, connections: 0 };
  }

  /** Lets a test call the protected `registerBuffer`. */
  tryRegister(name: string, value: Tensor, options?: BufferOptions): Tensor {
    return this.registerBuffer(name, value, options);
  }
}

/** Registers the `nn.Module` checks. */
export function describeModuleChecks(context: ConformanceContext): void {
  const live = () => context.backend.liveBuffers();

  describe('nn.Module: names, parameters, modes', () => {
    it('gives a d2l LeNet PyTorch’s state_dict names, shapes and 61,706 parameters', () => {
      const net = d2lLeNet(new Rng(0));
      const named = net.namedParameters();
      expect(named.map(([name, p]) => [name, [...p.shape]])).toEqual([
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
      for (const [name, parameter] of named) expect(parameter.name).toBe(name);
      expect(net.parameters()).toEqual(named.map(([, p]) => p));
      // 156 + 2,416 + 48,120 + 10,164 + 850
      expect(net.numParameters()).toBe(61_706);
      expect(net.namedBuffers()).toEqual([]);
      expect(net.children().map(([name, layer]) => `${name}:${layer.constructor.name}`)).toEqual([
        '0:Conv2d',
        '1:Sigmoid',
        '2:AvgPool2d',
        '3:Conv2d',
        '4:Sigmoid',
        '5:AvgPool2d',
        '6:Flatten',
        '7:Linear',
        '8:Sigmoid',
        '9:Linear',
        '10:Sigmoid',
        '11:Linear',
      ]);
      net.dispose();
    });

    it('names nested containers with the full path, own parameters first; a shared parameter once', () => {
      const rng = new Rng(1);
      const inner = new Sequential(new Linear(3, 4, { rng }), new ReLU(), new Linear(4, 2, { rng, bias: false }));
      const outer = new Sequential(new Linear(5, 3, { rng }), inner);
      expect(outer.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias', '1.0.weight', '1.0.bias', '1.2.weight']);
      expect(inner.layers[2].namedParameters().map(([name, p]) => `${name} ${p.name}`)).toEqual(['weight 1.2.weight']);
      expect(outer.namedParameters('model.')[0][0]).toBe('model.0.weight');
      const shared = new Linear(3, 3, { rng });
      const twice = new Sequential(shared, new Tanh(), shared);
      expect(twice.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias']);
      outer.dispose();
      twice.dispose();
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
      expect(net.toString()).toBe(
        [
          'Sequential(',
          '  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))',
          '  (1): AvgPool2d(kernel_size=2, stride=2, padding=0)',
          '  (2): Flatten(start_dim=1, end_dim=-1)',
          '  (3): Linear(in_features=1176, out_features=10, bias=True)',
          ')',
        ].join('\n'),
      );
      net.dispose();
    });

    it('keeps parameters alive when a layer is built inside tidy, and frees them on dispose', async () => {
      const before = live();
      const layer = tidy(() => new Linear(3, 2, { rng: new Rng(5) }));
      expect(layer.weight.isDisposed).toBe(false);
      expect(live() - before).toBe(2);
      expect((await layer.weight.data()).length).toBe(6);
      layer.dispose();
      expect(layer.weight.isDisposed).toBe(true);
      expect(live()).toBe(before);
    });
  });

  describe('nn.Module: buffers (registerBuffer, namedBuffers)', () => {
    it('lists buffers by dotted name, own first, a shared one once; the state dict holds parameters, then persistent buffers', async () => {
      const rng = new Rng(6);
      const scaling = new ScaleAndShift([0.5, -2, 3], [0.25, 0, -1]);
      const net = new Sequential(new Linear(3, 3, { rng }), new Sequential(new Tanh(), scaling), scaling);
      expect(net.namedBuffers().map(([name, buffer]) => [name, buffer])).toEqual([
        ['1.1.scale', scaling.scale],
        ['1.1.shift', scaling.shift],
      ]);
      expect(net.namedBuffers('model.').map(([name]) => name)).toEqual(['model.1.1.scale', 'model.1.1.shift']);
      expect(net.parameters().length).toBe(2);
      expect(net.namedStateTensors().map(([name]) => name)).toEqual(['0.weight', '0.bias', '1.1.scale']);
      const state = await net.stateDict();
      expect([...state.keys()]).toEqual(['0.weight', '0.bias', '1.1.scale']);
      expect(state.get('1.1.scale')).toEqual({ shape: [3], data: Float32Array.of(0.5, -2, 3) });
      net.dispose();
    });

    it('keeps buffers alive when the layer is built inside tidy; dispose frees parameters, gradients and every buffer', async () => {
      const rng = new Rng(7);
      const before = live();
      const shared = new Linear(3, 3, { rng });
      const scaling = tidy(() => new ScaleAndShift([0.5, -2, 3], [1, 2, 3]));
      const net = new Sequential(shared, new Sequential(new Tanh(), scaling), shared, new Linear(3, 2, { rng }));
      const x = tensor([1, 2, 3, -1, 0.5, 4], [2, 3]);
      tidy(() => net.call(x).sum().backward());
      x.dispose();
      const gradient = present(shared.weight.grad, "the shared layer's weight gradient");
      // Parameters 2 + 2, their gradients 2 + 2, and the two buffers: all the network holds.
      expect(live() - before).toBe(10);
      net.dispose();
      expect([scaling.scale.isDisposed, scaling.shift.isDisposed, gradient.isDisposed]).toEqual([true, true, true]);
      expect(shared.weight.grad).toBeNull();
      expect(live()).toBe(before);
      // A second dispose (a shared parameter is reached twice above) is harmless.
      net.dispose();
      expect(live()).toBe(before);
    });

    it('refuses a buffer that is not a leaf without gradient, or whose name is taken or dotted', () => {
      const layer = new ScaleAndShift([1], [0]);
      const leaf = tensor([1, 2], [2]);
      const trainable = tensor([1, 2], [2], { requiresGrad: true });
      const computed = trainable.mul(2);
      const before = live();
      expect(() => layer.tryRegister('twice', computed)).toThrow(
        /ScaleAndShift: buffer 'twice' must be a leaf tensor without gradient; register a Parameter to learn it/,
      );
      expect(() => layer.tryRegister('learned', trainable)).toThrow(/buffer 'learned' must be a leaf tensor without gradient/);
      expect(() => layer.tryRegister('scale', leaf)).toThrow(
        /ScaleAndShift: a parameter, buffer or child named 'scale' is already registered/,
      );
      expect(() => layer.tryRegister('a.b', leaf)).toThrow(/ScaleAndShift: the name 'a\.b' must be non-empty and contain no '\.'/);
      expect(layer.namedBuffers().map(([name]) => name)).toEqual(['scale', 'shift']);
      expect(live()).toBe(before);
      expect(layer.tryRegister('extra', leaf)).toBe(leaf);
      layer.dispose();
      expect(leaf.isDisposed).toBe(true);
      computed.dispose();
      trainable.dispose();
    });
  });

  describe('nn.Module: stateDict / loadStateDict', () => {
    it('round-trips every parameter by name into another model of the same architecture, in place', async () => {
      const source = d2lLeNet(new Rng(20));
      const target = d2lLeNet(new Rng(21));
      const state = await source.stateDict();
      expect([...state.keys()]).toEqual(source.namedParameters().map(([name]) => name));
      expect(state.get('3.weight')?.shape).toEqual([16, 6, 5, 5]);
      const targetWeight = target.namedParameters()[2][1];
      expect(Array.from(await targetWeight.data())).not.toEqual(Array.from(state.get('3.weight')?.data ?? []));
      const before = live();
      target.loadStateDict(state);
      expect(live()).toBe(before);
      expect(target.namedParameters()[2][1]).toBe(targetWeight);
      for (const [name, parameter] of target.namedParameters()) {
        expect(Array.from(await parameter.data()), name).toEqual(Array.from(state.get(name)?.data ?? []));
      }
      source.dispose();
      target.dispose();
    });

    it('loads a persistent buffer in place, and the forward pass uses the loaded values', async () => {
      const layer = new ScaleAndShift([1, 1, 1], [0.5, -0.5, 2]);
      const buffer = layer.scale;
      layer.loadStateDict(new Map([['scale', { shape: [3], data: Float32Array.of(2, -3, 0.25) }]]), 'scales.safetensors');
      expect(layer.scale).toBe(buffer);
      const x = tensor([1, 2, 4, -1, 0.5, 8], [2, 3]);
      const y = tidy(() => layer.call(x));
      // y = x · [2, −3, 0.25] + [0.5, −0.5, 2]: the shift is not in the state and keeps its values.
      await expectTensor(y, [2, 3], [2 + 0.5, -6 - 0.5, 1 + 2, -2 + 0.5, -1.5 - 0.5, 2 + 2], 'ScaleAndShift after loadStateDict');
      expect(() =>
        layer.loadStateDict(
          new Map([
            ['scale', { shape: [3], data: new Float32Array(3) }],
            ['shift', { shape: [3], data: new Float32Array(3) }],
          ]),
        ),
      ).toThrow(/^loadStateDict: the saved weights do not fit the model: unexpected 'shift'$/);
      for (const t of [x, y]) t.dispose();
      layer.dispose();
    });

    it('refuses missing, unexpected or mis-shaped entries, listing every problem, and writes nothing then', async () => {
      const rng = new Rng(22);
      const net = new Sequential(new Linear(3, 2, { rng }), new ScaleAndShift([1, 2], [0, 0]));
      const original = await net.stateDict();
      const weight = { shape: [2, 3], data: new Float32Array(6).fill(7) };
      const scale = { shape: [2], data: Float32Array.of(5, 6) };
      let error: unknown = null;
      try {
        net.loadStateDict(
          new Map([
            ['0.weight', weight],
            ['0.bias', { shape: [3], data: new Float32Array(3) }],
            ['2.weight', weight],
          ]),
          'other.safetensors',
        );
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StateDictMismatchError);
      expect(error).toBeInstanceOf(RangeError);
      expect(error instanceof StateDictMismatchError ? [error.source, ...error.problems] : []).toEqual([
        'other.safetensors',
        "'0.bias' has shape [3] but the model's is [2]",
        "missing '1.scale' [2]",
        "unexpected '2.weight'",
      ]);
      expect(() =>
        net.loadStateDict(
          new Map([
            ['0.weight', weight],
            ['0.bias', { shape: [2], data: new Float32Array(2) }],
          ]),
          'a.safetensors',
        ),
      ).toThrow(/^a\.safetensors: the saved weights do not fit the model: missing '1\.scale' \[2\]$/);
      expect(() =>
        net.loadStateDict(
          new Map([
            ['0.weight', weight],
            ['0.bias', { shape: [2], data: new Float32Array(3) }],
            ['1.scale', scale],
          ]),
        ),
      ).toThrow(/^loadStateDict: the saved weights do not fit the model: '0\.bias' has 3 values for its shape \[2\], which holds 2$/);
      const after = await net.stateDict();
      for (const [name, entry] of original) expect(Array.from(after.get(name)?.data ?? []), name).toEqual(Array.from(entry.data));
      net.loadStateDict(
        new Map([
          ['0.weight', weight],
          ['0.bias', { shape: [2], data: Float32Array.of(-1, 1) }],
          ['1.scale', scale],
        ]),
      );
      expect(Array.from((await net.stateDict()).get('1.scale')?.data ?? [])).toEqual([5, 6]);
      net.dispose();
    });
  });
}
