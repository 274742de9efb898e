/**
 * Networks and values the nn checks share: d2l's LeNet built from the layers, and distinct,
 * non-symmetric test values (so that two swapped elements or axes cannot go unseen).
 * @module
 */
import { Flatten, Linear, Sequential, Sigmoid, Conv2d, AvgPool2d } from '../nn/index.js';
import type { Rng } from '../random/rng.js';

/**
 * d2l's LeNet (section 7.6): sigmoid activations, average pooling, C1 padded to keep 28×28.
 * Shapes: `[N,1,28,28]` → `[N,10]`; 61,706 parameters under PyTorch's names `0.weight` … `11.bias`.
 */
export function d2lLeNet(rng: Rng): Sequential {
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, rng }),
    new Sigmoid(),
    new AvgPool2d(2, 2),
    new Conv2d(6, 16, 5, { rng }),
    new Sigmoid(),
    new AvgPool2d(2, 2),
    new Flatten(),
    new Linear(16 * 5 * 5, 120, { rng }),
    new Sigmoid(),
    new Linear(120, 84, { rng }),
    new Sigmoid(),
    new Linear(84, 10, { rng }),
  );
}

/** `size` distinct values in [−1, 1]: value i is sin(1.3·i + offset). */
export function wave(size: number, offset = 0): number[] {
  return Array.from({ length: size }, (_, i) => Math.sin(1.3 * i + offset));
}

/** The value, or an error naming what was missing (a layer's bias, for example). */
export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`expected ${what}, got null`);
  return value;
}
