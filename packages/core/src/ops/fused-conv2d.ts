/**
 * A convolution layer in one kernel: formulas (1) and (2) of the notes together,
 *
 *   a[l](x,y) = f( Σ_c Σ_{u=0..p} Σ_{v=0..q} a[l−1](x+u, y+v) · w_rot[l,k](u,v) + b[k] )
 *
 * as tfjs's `fused.conv2d` does it. Eager code computes the same thing in three ops
 * (`conv2d`, `add`, `sigmoid`) and three kernels; the fused op launches one and keeps one buffer.
 *
 * Gradients, with dz = dy · f′ (from the output a, see `gradThroughActivation`; for an activation
 * whose gradient reads z, the op runs as itself with `identity` and then the activation op):
 * - ∂L/∂x = conv2dBackpropInput(dz, w), ∂L/∂w = conv2dBackpropFilter(x, dz) — as for `conv2d`;
 * - ∂L/∂b[k] = Σ_n Σ_x Σ_y dz[n,k](x,y).
 *
 * In the compiled training step the backward pass may take dy as dz already, or update w and b with
 * SGD as it computes their gradients ({@link FusedBackwardOptions}).
 * @module
 */
import { record } from '../autograd/record.js';
import type { FusedActivation } from '../backend/backend.js';
import { formatShape } from '../shape/shape.js';
import { computeConv2dInfo } from '../shape/window-info.js';
import { Tensor } from '../tensor/tensor.js';
import { activation as applyActivation } from './activations.js';
import { checkInputs } from './checks.js';
import type { Conv2dOptions } from './conv2d.js';
import { keepsPreActivation } from './fused-activation.js';
import { checkFolds, parameterGradient, preActivationGradient, type FusedBackwardOptions } from './fused-backward.js';

/** Options of {@link fusedConv2d}: the convolution's, and what its backward pass folds in (no `inputActivation`: ∂L/∂x has no epilogue). */
export type FusedConv2dOptions = Conv2dOptions & Omit<FusedBackwardOptions, 'inputActivation'>;

/**
 * f(conv2d(x, w) + b): x `[N,C,H,W]`, w `[K,C,kh,kw]`, bias `[K]` or null → `[N,K,outH,outW]`.
 * @example fusedConv2d(images, c1.weight, c1.bias, 'sigmoid', { padding: 2 }) // d2l's C1 with its sigmoid
 */
export function fusedConv2d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  activation: FusedActivation,
  options: FusedConv2dOptions = {},
): Tensor {
  checkInputs('fusedConv2d', ...(bias === null ? [x, w] : [x, w, bias]));
  const info = computeConv2dInfo(x.shape, w.shape, options.stride ?? 1, options.padding ?? 0, 'fusedConv2d');
  const channels = info.filterShape[0];
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== channels)) {
    throw new RangeError(
      `fusedConv2d: bias has shape ${formatShape(bias.shape)} but must be [${channels}], one value per output channel of w ${formatShape(w.shape)}`,
    );
  }
  const inputs = bias === null ? [x, w] : [x, w, bias];
  checkFolds('fusedConv2d', activation, options);
  if (keepsPreActivation(activation, inputs)) return applyActivation(activation, fusedConv2d(x, w, bias, 'identity', options));
  const backend = x.backend;
  return record('fusedConv2d', inputs, backend.fusedConv2d(x, w, bias, activation, info), info.outShape, (dy, a) => {
    const dz = preActivationGradient(activation, options, a, dy);
    // ∂L/∂x reads w, so it is computed before an SGD update in the backward pass replaces w
    const dx = x.requiresGrad ? new Tensor(backend.conv2dBackpropInput(dz, w, info), x.shape, backend) : null;
    const dw = w.requiresGrad
      ? parameterGradient(options, w, w.shape, (epilogue) => backend.conv2dBackpropFilter(x, dz, info, epilogue))
      : null;
    const biasShape = [1, channels, 1, 1];
    const db = bias?.requiresGrad
      ? parameterGradient(options, bias, biasShape, (epilogue) => backend.sumTo(dz, biasShape, epilogue))
      : null;
    return [dx, dw, db];
  });
}
