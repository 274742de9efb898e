/**
 * The network the parity test trains: d2l's LeNet (sigmoid activations, average
 * pooling), as in PyTorch:
 *
 *   Conv2d(1,6,5,padding 2) → Sigmoid → AvgPool2d(2,2) → Conv2d(6,16,5) → Sigmoid → AvgPool2d(2,2)
 *   → Flatten → Linear(400,120) → Sigmoid → Linear(120,84) → Sigmoid → Linear(84,10)
 *
 * Input `[N,1,28,28]`, logits `[N,10]`; 61,706 parameters; about 2.26 MFLOP per example for a
 * training step (forward and backward).
 * @module
 */
import { nn, type Rng } from '@lenet/core';

/**
 * Builds LeNet on the current default backend (`setBackend`), initialised from `rng` (PyTorch's
 * default initialisation), so two backends given equal seeds start from equal parameters. It is the
 * same network as `lenet5` of @lenet/models, written again here because @lenet/models depends on
 * this package, so its tests cannot import it. A test fixture only: the benchmark moved to
 * @lenet/models and trains `lenet5` itself; this copy goes when the parity test is rewritten.
 */
export function buildLenet(rng: Rng): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2, rng }),
    new nn.Sigmoid(),
    new nn.AvgPool2d(2, 2),
    new nn.Conv2d(6, 16, 5, { rng }),
    new nn.Sigmoid(),
    new nn.AvgPool2d(2, 2),
    new nn.Flatten(),
    new nn.Linear(400, 120, { rng }),
    new nn.Sigmoid(),
    new nn.Linear(120, 84, { rng }),
    new nn.Sigmoid(),
    new nn.Linear(84, 10, { rng }),
  );
}
