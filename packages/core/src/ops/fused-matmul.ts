/**
 * A fully connected layer in one kernel, as tfjs's `fused.matMul`:
 *
 *   y[r,c] = f( Σ_p op(A)[r,p] · op(B)[p,c] + bias[c] )
 *
 * Gradients, with dz = dy · f′ (from the output y, see `gradThroughActivation`; for an activation
 * whose gradient reads z, the op runs as itself with `identity` and then the activation op): those of
 * `matmul` for A and B with dz in place of dy, and ∂L/∂bias[c] = Σ_r dz[r,c].
 *
 * In the compiled training step, for a `Linear` layer (B its `[out, in]` weight, transposed), the
 * backward pass may fold the previous layer's activation gradient into ∂L/∂A, take dy as dz already,
 * or update B and the bias with SGD as it computes their gradients ({@link FusedBackwardOptions}).
 * @module
 */
import { record } from '../autograd/record.js';
import type { FusedActivation } from '../backend/backend.js';
import { matmulShape } from '../shape/matmul-shape.js';
import { formatShape } from '../shape/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { activation as applyActivation } from './activations.js';
import { checkInputs, checkRank } from './checks.js';
import { keepsPreActivation } from './fused-activation.js';
import {
  checkFolds,
  inputGradientEpilogue,
  parameterGradient,
  preActivationGradient,
  type FusedBackwardOptions,
} from './fused-backward.js';
import { matmulGrads, type MatmulOptions } from './matmul.js';

/** Options of {@link fusedMatmul}: the transposes, and what its backward pass folds in (only for a `Linear` layer: `transposeB` alone). */
export type FusedMatmulOptions = MatmulOptions & FusedBackwardOptions;

/**
 * f(op(a) · op(b) + bias): `[m,k] · [k,n] (+ [n]) → [m,n]`.
 * @example fusedMatmul(x, f6.weight, f6.bias, 'sigmoid', { transposeB: true }) // d2l's F6: σ(x·Wᵀ + b)
 */
export function fusedMatmul(
  a: Tensor,
  b: Tensor,
  bias: Tensor | null,
  activation: FusedActivation,
  options: FusedMatmulOptions = {},
): Tensor {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  checkInputs('fusedMatmul', ...(bias === null ? [a, b] : [a, b, bias]));
  checkRank('fusedMatmul', 'the first operand', a, 2, '[rows, columns]');
  checkRank('fusedMatmul', 'the second operand', b, 2, '[rows, columns]');
  const [m, n] = matmulShape('fusedMatmul', a.shape, b.shape, transposeA, transposeB);
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== n)) {
    throw new RangeError(`fusedMatmul: bias has shape ${formatShape(bias.shape)} but must be [${n}], one value per output column`);
  }
  const folds = options.inputActivation !== undefined || (options.foldedUpdate ?? null) !== null;
  if (folds && (transposeA || !transposeB)) {
    throw new RangeError(
      "fusedMatmul: inputActivation and foldedUpdate fold into a Linear layer's backward pass: x · Wᵀ, transposeB alone",
    );
  }
  const inputs = bias === null ? [a, b] : [a, b, bias];
  checkFolds('fusedMatmul', activation, options);
  if (keepsPreActivation(activation, inputs)) return applyActivation(activation, fusedMatmul(a, b, bias, 'identity', options));
  const backend = a.backend;
  const dataId = backend.fusedMatmul(a, b, bias, activation, transposeA, transposeB);
  return record('fusedMatmul', inputs, dataId, [m, n], (dy, y) => {
    const dz = preActivationGradient(activation, options, y, dy);
    if (!folds) {
      const [da, db] = matmulGrads(a, b, dz, transposeA, transposeB);
      return [
        a.requiresGrad ? da() : null,
        b.requiresGrad ? db() : null,
        bias?.requiresGrad ? new Tensor(backend.sumTo(dz, [1, n]), bias.shape, backend) : null,
      ];
    }
    // x · Wᵀ: ∂L/∂x = dz · W (read before W is updated), ∂L/∂W = dzᵀ · x, ∂L/∂b = Σ_rows dz
    const da = a.requiresGrad ? new Tensor(backend.matmul(dz, b, false, false, inputGradientEpilogue(options, a)), a.shape, backend) : null;
    const dw = b.requiresGrad ? parameterGradient(options, b, b.shape, (epilogue) => backend.matmul(dz, a, true, false, epilogue)) : null;
    const dBias = bias?.requiresGrad ? parameterGradient(options, bias, [1, n], (epilogue) => backend.sumTo(dz, [1, n], epilogue)) : null;
    return [da, dw, dBias];
  });
}
