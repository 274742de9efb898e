/**
 * The initialisation of LeNet-5's own layers (LeCun et al. 1998, appendix C).
 * @module
 */
import { init, type nn, type Rng } from '@lenet/core';

/**
 * The bound of LeCun's 1998 initialisation: every weight and bias of a unit with F_i inputs is drawn
 * from U(−2.4/F_i, 2.4/F_i), "so that the total inputs fall within the range where the sigmoid is
 * most sensitive".
 * @example lecunUniformBound(4) // 0.6, a subsampling unit reads 4 inputs
 */
export function lecunUniformBound(fanIn: number): number {
  if (!Number.isFinite(fanIn) || fanIn <= 0) {
    throw new RangeError(`lecunUniformBound: the fan-in must be a positive number, got ${fanIn}`);
  }
  return 2.4 / fanIn;
}

/** Fills `parameter` from U(−2.4/F_i, 2.4/F_i) (see {@link lecunUniformBound}) drawn from `rng`. */
export function lecunUniform(parameter: nn.Parameter, fanIn: number, rng: Rng): nn.Parameter {
  return init.uniformFill(parameter, lecunUniformBound(fanIn), rng);
}
