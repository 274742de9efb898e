/**
 * A tiny convolutional network trains on the backend, and a training step does not grow the number
 * of live buffers.
 *
 * Data: 16 seeded 6×6 images in two classes — a bright top-left 3×3 quadrant (class 0) or a bright
 * bottom-right one (class 1) — over uniform noise. Network, written with raw tensors and a hand
 * SGD update so that it depends on nothing but the ops:
 *
 *   conv 3×3 (1→4, padding 1) + bias → relu → max-pool 2×2 → flatten → linear 36→2 + bias → crossEntropy
 *
 * and once more with the layers (`nn.Sequential`, sigmoid as in d2l's LeNet) and `optim.SGD` with
 * momentum, the way the models package trains LeNet.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { dispose, keep, noGrad, tidy } from '../engine/memory.js';
import { relu } from '../ops/activations.js';
import { conv2d } from '../ops/conv2d.js';
import { matmul } from '../ops/matmul.js';
import { maxPool2d } from '../ops/pool.js';
import { flatten } from '../ops/reshape.js';
import { crossEntropy } from '../ops/softmax.js';
import { Rng } from '../random/rng.js';
import { sizeOf, type Shape } from '../shape/shape.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConformanceContext } from './context.js';
import { gradOf } from './expect-close.js';
import { Conv2d, Flatten, Linear, MaxPool2d, Sequential, Sigmoid } from '../nn/index.js';
import { SGD } from '../optim/index.js';

const SIDE = 6;
const EXAMPLES = 16;
const FILTERS = 4;
const LEARNING_RATE = 0.5;
const STEPS = 100;

/** Two classes of 6×6 images: noise in [0, 0.3) plus 0.7 on the top-left (class 0) or bottom-right (class 1) quadrant. */
function quadrantImages(rng: Rng): { images: number[]; labels: number[] } {
  const images: number[] = [];
  const labels: number[] = [];
  const half = SIDE / 2;
  for (let n = 0; n < EXAMPLES; n++) {
    const label = n % 2;
    labels.push(label);
    for (let row = 0; row < SIDE; row++) {
      for (let column = 0; column < SIDE; column++) {
        const bright = label === 0 ? row < half && column < half : row >= half && column >= half;
        images.push(rng.uniform(0, 0.3) + (bright ? 0.7 : 0));
      }
    }
  }
  return { images, labels };
}

/** A trainable leaf of `shape` drawn uniform in ±1/√fanIn (PyTorch's default bound), outside every scope. */
function parameter(rng: Rng, shape: Shape, fanIn: number): Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return keep(
    tensor(
      Array.from({ length: sizeOf(shape) }, () => rng.uniform(-bound, bound)),
      shape,
      { requiresGrad: true },
    ),
  );
}

interface TinyNet {
  readonly convWeight: Tensor;
  readonly convBias: Tensor;
  readonly linearWeight: Tensor;
  readonly linearBias: Tensor;
}

function lossOf(net: TinyNet, images: Tensor, labels: Tensor): Tensor {
  const features = conv2d(images, net.convWeight, { padding: 1 }).add(net.convBias.reshape([1, FILTERS, 1, 1]));
  const pooled = flatten(maxPool2d(relu(features), { kernelSize: 2 }));
  const logits = matmul(pooled, net.linearWeight, { transposeB: true }).add(net.linearBias);
  return crossEntropy(logits, labels);
}

/** Registers the training test. */
export function describeTraining(context: ConformanceContext): void {
  describe('training: a tiny conv net', () => {
    it(`trains on two-quadrant images to a loss below 0.1 in ${STEPS} SGD steps, with a constant live-buffer count`, async () => {
      const before = context.backend.liveBuffers();
      const rng = new Rng(2026);
      const data = quadrantImages(rng.derive('data'));
      const images = keep(tensor(data.images, [EXAMPLES, 1, SIDE, SIDE]));
      const labels = keep(tensor(data.labels, [EXAMPLES]));
      const init = rng.derive('init');
      const net: TinyNet = {
        convWeight: parameter(init, [FILTERS, 1, 3, 3], 9),
        convBias: keep(zeros([FILTERS], { requiresGrad: true })),
        linearWeight: parameter(init, [2, FILTERS * 3 * 3], FILTERS * 3 * 3),
        linearBias: keep(zeros([2], { requiresGrad: true })),
      };
      const parameters = [net.convWeight, net.convBias, net.linearWeight, net.linearBias];
      const resident = context.backend.liveBuffers();
      expect(resident).toBe(before + 6);

      const losses: number[] = [];
      const liveAfterStep: number[] = [];
      for (let step = 1; step <= STEPS; step++) {
        const loss = tidy(() => {
          const value = lossOf(net, images, labels);
          value.backward();
          noGrad(() => {
            for (const p of parameters) p.assign(p.sub(gradOf(p).mul(LEARNING_RATE)));
          });
          for (const p of parameters) {
            dispose(p.grad);
            p.grad = null;
          }
          return value;
        });
        losses.push(await loss.item());
        loss.dispose();
        liveAfterStep[step] = context.backend.liveBuffers();
      }

      expect(liveAfterStep[10], 'live buffers after step 10 vs before training').toBe(resident);
      expect(liveAfterStep[100], 'live buffers after step 100 vs after step 10').toBe(liveAfterStep[10]);
      // Chance level is ln 2 ≈ 0.69; the classes are separable, so SGD must get far below it.
      expect(losses[0]).toBeGreaterThan(0.4);
      expect(losses[STEPS - 1], `losses: ${losses.map((l) => l.toFixed(3)).join(' ')}`).toBeLessThan(0.1);
      expect(losses.every(Number.isFinite)).toBe(true);

      dispose(images, labels, ...parameters);
      expect(context.backend.liveBuffers()).toBe(before);
    });

    it(`nn.Sequential + optim.SGD (momentum 0.9) trains the same data to a loss below 0.1, with a constant live-buffer count`, async () => {
      const before = context.backend.liveBuffers();
      const rng = new Rng(2026);
      const data = quadrantImages(rng.derive('data'));
      const images = keep(tensor(data.images, [EXAMPLES, 1, SIDE, SIDE]));
      const labels = keep(tensor(data.labels, [EXAMPLES]));
      const init = rng.derive('init');
      const model = new Sequential(
        new Conv2d(1, FILTERS, 3, { padding: 1, rng: init }),
        new Sigmoid(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(FILTERS * 3 * 3, 2, { rng: init }),
      );
      const optimizer = new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });

      const losses: number[] = [];
      const liveAfterStep: number[] = [];
      for (let step = 1; step <= STEPS; step++) {
        const loss = tidy(() => {
          optimizer.zeroGrad();
          const value = crossEntropy(model.call(images), labels);
          value.backward();
          optimizer.step();
          return value;
        });
        losses.push(await loss.item());
        loss.dispose();
        liveAfterStep[step] = context.backend.liveBuffers();
      }

      // After a step: data (2), parameters (4), their gradients (4) and momentum buffers (4).
      expect(liveAfterStep[10], 'live buffers after step 10').toBe(before + 2 + 3 * model.parameters().length);
      expect(liveAfterStep[100], 'live buffers after step 100 vs after step 10').toBe(liveAfterStep[10]);
      expect(losses[0]).toBeGreaterThan(0.4);
      expect(losses[STEPS - 1], `losses: ${losses.map((l) => l.toFixed(3)).join(' ')}`).toBeLessThan(0.1);

      optimizer.zeroGrad();
      optimizer.dispose();
      dispose(images, labels, ...model.parameters());
      expect(context.backend.liveBuffers()).toBe(before);
    });
  });
}
