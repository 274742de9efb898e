/**
 * LeNet-5 as d2l builds it (section 7.6 "Convolutional Neural Networks (LeNet)").
 * @module
 */
import { nn, type Rng } from '@lenet/core';

/**
 * d2l's LeNet-5 for 28×28 Fashion-MNIST images, layer for layer:
 *
 * ```python
 * net = nn.Sequential(
 *     nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
 *     nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
 *     nn.Flatten(),
 *     nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
 *     nn.Linear(120, 84), nn.Sigmoid(),
 *     nn.Linear(84, 10))
 * ```
 *
 * Shapes: `[N,1,28,28]` → C1 `[N,6,28,28]` → S2 `[N,6,14,14]` → C3 `[N,16,10,10]` → S4 `[N,16,5,5]` →
 * `[N,400]` → `[N,120]` → `[N,84]` → logits `[N,10]`. Parameters 156 + 2,416 + 48,120 + 10,164 + 850 =
 * 61,706, named as PyTorch's `state_dict()`: `0.weight`, `0.bias`, `3.weight`, `3.bias`, `7.*`, `9.*`, `11.*`.
 * Layers start with PyTorch's default initialisation drawn from `rng` (training re-initialises the
 * weights with Xavier, as d2l does).
 *
 * @example const net = lenet5(new Rng(0)); net.call(images) // [N,1,28,28] → [N,10]
 */
export function lenet5(rng: Rng): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2, rng }),
    new nn.Sigmoid(),
    new nn.AvgPool2d(2, 2),
    new nn.Conv2d(6, 16, 5, { rng }),
    new nn.Sigmoid(),
    new nn.AvgPool2d(2, 2),
    new nn.Flatten(),
    new nn.Linear(16 * 5 * 5, 120, { rng }),
    new nn.Sigmoid(),
    new nn.Linear(120, 84, { rng }),
    new nn.Sigmoid(),
    new nn.Linear(84, 10, { rng }),
  );
}
