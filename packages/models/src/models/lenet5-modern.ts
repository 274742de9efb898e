/**
 * LeNet-5 with the two changes a modern network would make.
 * @module
 */
import { nn, type Rng } from '@lenet/core';

/**
 * d2l's LeNet-5 with ReLU instead of sigmoid and max pooling instead of average pooling (the notes'
 * "differences from modern networks"); everything else — shapes, parameter names and counts (61,706)
 * — is that of {@link lenet5}.
 *
 * Shapes: `[N,1,28,28]` → `[N,10]`. ReLU's gradient does not vanish for large inputs as the sigmoid's
 * does, and max pooling keeps the strongest response of each window instead of blurring it.
 *
 * @example const net = lenet5Modern(new Rng(0)); // train it with a smaller lr than 0.9, e.g. 0.1
 */
export function lenet5Modern(rng: Rng): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2, rng }),
    new nn.ReLU(),
    new nn.MaxPool2d(2, 2),
    new nn.Conv2d(6, 16, 5, { rng }),
    new nn.ReLU(),
    new nn.MaxPool2d(2, 2),
    new nn.Flatten(),
    new nn.Linear(16 * 5 * 5, 120, { rng }),
    new nn.ReLU(),
    new nn.Linear(120, 84, { rng }),
    new nn.ReLU(),
    new nn.Linear(84, 10, { rng }),
  );
}
