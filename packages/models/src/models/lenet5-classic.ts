/**
 * LeNet-5 as LeCun, Bottou, Bengio and Haffner published it in 1998 ("Gradient-based learning
 * applied to document recognition", section II-B).
 * @module
 */
import { nn, type Rng } from '@lenet/core';
import { C3_CONNECTION_TABLE } from './layers/c3-connection-table.js';
import { EuclideanRbf } from './layers/euclidean-rbf.js';
import { MaskedConv2d } from './layers/masked-conv2d.js';
import { ScaledTanh } from './layers/scaled-tanh.js';
import { Subsampling } from './layers/subsampling.js';
import { ZeroPad2d } from './layers/zero-pad2d.js';

/**
 * The paper's name of each layer of {@link lenet5Classic}, by its index in the `Sequential`
 * (the squashing and reshaping layers have none).
 */
export const LENET5_CLASSIC_LAYER_NAMES: Readonly<Record<string, string>> = Object.freeze({
  '0': 'INPUT',
  '1': 'C1',
  '3': 'S2',
  '5': 'C3',
  '7': 'S4',
  '9': 'C5',
  '12': 'F6',
  '14': 'OUTPUT',
});

/**
 * LeNet-5 of 1998, for 28×28 images padded to the paper's 32×32:
 *
 * | # | layer | output | parameters | connections |
 * |---|---|---|---|---|
 * | 0 | ZeroPad2d(2): 28×28 → 32×32 | `[N,1,32,32]` | 0 | 0 |
 * | 1 | C1 Conv2d(1, 6, 5) | `[N,6,28,28]` | 156 | 122,304 |
 * | 3 | S2 Subsampling(6) | `[N,6,14,14]` | 12 | 5,880 |
 * | 5 | C3 MaskedConv2d(6, 16, 5), Table I | `[N,16,10,10]` | 1,516 | 151,600 |
 * | 7 | S4 Subsampling(16) | `[N,16,5,5]` | 32 | 2,000 |
 * | 9 | C5 Conv2d(16, 120, 5) | `[N,120,1,1]` | 48,120 | 48,120 |
 * | 12 | F6 Linear(120, 84) | `[N,84]` | 10,164 | 10,164 |
 * | 14 | OUTPUT EuclideanRbf(84, 10) | `[N,10]` | 0 (fixed codes) | 840 |
 *
 * with the scaled tanh f(a) = 1.7159·tanh(2a/3) after C1, S2, C3, S4, C5 and F6 (layers 2, 4, 6, 8,
 * 10, 13) and a Flatten (11). 60,000 trainable parameters, as the paper says ("about 60,000"). The
 * output is −y_i, the negated squared distance to each class's code (see {@link EuclideanRbf} for
 * how it is trained and how that differs from the paper).
 *
 * Not reproduced: the paper's input normalisation (background −0.1, foreground 1.175; here pixels stay
 * in [0, 1] with a 0 border) and its stochastic diagonal Levenberg–Marquardt optimiser (training uses
 * SGD). The codes are random ±1 patterns from `rng`, not the paper's hand-drawn 7×12 bitmaps.
 *
 * @example const net = lenet5Classic(new Rng(0)); net.call(images) // [N,1,28,28] → [N,10]
 */
export function lenet5Classic(rng: Rng): nn.Sequential {
  return new nn.Sequential(
    new ZeroPad2d(2),
    new nn.Conv2d(1, 6, 5, { rng }),
    new ScaledTanh(),
    new Subsampling(6, { rng }),
    new ScaledTanh(),
    new MaskedConv2d(6, 16, 5, C3_CONNECTION_TABLE, { rng }),
    new ScaledTanh(),
    new Subsampling(16, { rng }),
    new ScaledTanh(),
    new nn.Conv2d(16, 120, 5, { rng }),
    new ScaledTanh(),
    new nn.Flatten(),
    new nn.Linear(120, 84, { rng }),
    new ScaledTanh(),
    new EuclideanRbf(84, 10, { rng: rng.derive('rbf-codes') }),
  );
}
