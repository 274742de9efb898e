/**
 * LeCun's scaled hyperbolic tangent, the squashing function of every hidden unit of LeNet-5 (1998).
 * @module
 */
import { nn, tanh, type Shape, type Tensor } from '@lenet/core';

/** A = 1.7159, the amplitude of the scaled tanh (LeCun et al. 1998, appendix A). */
export const SCALED_TANH_AMPLITUDE = 1.7159;
/** S = 2/3, the slope factor of the scaled tanh. */
export const SCALED_TANH_SLOPE = 2 / 3;

/**
 * The squashing function of LeNet-5, applied element-wise:
 *
 *   f(a) = A · tanh(S · a),   A = 1.7159, S = 2/3
 *
 * chosen so that f(1) = 1 and f(−1) = −1, the targets of the output codes, and the gain is close to 1
 * around them. Its derivative is f′(a) = A·S·(1 − tanh²(S·a)); autograd gets it from `tanh` and the two
 * scalings. Element-wise: the output has the input's shape. No parameters.
 *
 * @example
 * new ScaledTanh().call(tensor([1, -1, 0], [3])) // ≈ [1.0000, −1.0000, 0]
 */
export class ScaledTanh extends nn.Module {
  /** A · tanh(S · x), element-wise. */
  forward(x: Tensor): Tensor {
    return tanh(x.mul(SCALED_TANH_SLOPE)).mul(SCALED_TANH_AMPLITUDE);
  }

  /** Same shape out; no parameters; 0 connections (LeCun counts the squashing as part of the unit). */
  describe(inputShape: Shape): nn.LayerDescription {
    return { outputShape: inputShape, parameters: 0, connections: 0 };
  }
}
