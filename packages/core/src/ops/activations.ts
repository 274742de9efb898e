/**
 * Activation functions, formula (2) of the notes: a[l](x,y) = f(z[l](x,y)), applied element-wise.
 * {@link ACTIVATIONS} is the one list of them: the op names, the fused ops' activations, which
 * gradients the compiled step can fold, and the GPU's activation codes all derive from it. Each
 * gradient is one fused kernel (`activationGrad`), written with the value the list says it reads:
 *
 * | f | f(z) | f′ written with |
 * |---|---|---|
 * | sigmoid | 1 / (1 + e^(−z)) | y · (1 − y) |
 * | tanh | tanh z | 1 − y² |
 * | relu | max(0, z) | [y > 0] (the same as [z > 0]) |
 * | silu | z · σ(z) | σ(z) · (1 + z · (1 − σ(z))), from z |
 *
 * Adding an activation: an entry here and its op function below, its layer (`nn/activations.ts`),
 * and its f and f′ in each backend (backend-cpu's `kernels/activations.ts`, backend-gpu's
 * `ACTIVATION_SNIPPETS`); the conformance suite then checks it on every backend.
 * @module
 */
import { record } from '../autograd/record.js';
import { Tensor } from '../tensor/tensor.js';
import { checkInputs } from './checks.js';

/**
 * One activation: its op name, and which value its gradient kernel reads:
 * - `output`: y = f(z), all a fused op keeps, so the compiled step can fold f′ into the next
 *   layer's backward kernel;
 * - `input`: z, for an f′ that y alone does not give; a fused op then keeps z (it runs as the fused
 *   op with `identity` followed by the activation op while gradients are recorded) and nothing is folded.
 */
export interface ActivationDefinition {
  /** The op's name (`UnaryOp`, `FusedActivation`). */
  readonly op: string;
  /** What `activationGrad` is given besides dy: y = f(z) (`output`) or z (`input`). */
  readonly gradientReads: 'output' | 'input';
}

/** The activations, in the order the GPU kernels number them from 1 (`identity` is 0). */
export const ACTIVATIONS = [
  { op: 'sigmoid', gradientReads: 'output' },
  { op: 'tanh', gradientReads: 'output' },
  { op: 'relu', gradientReads: 'output' },
  { op: 'silu', gradientReads: 'input' },
] as const satisfies readonly ActivationDefinition[];

/** An activation's name: one of {@link ACTIVATIONS}. */
export type ActivationOp = (typeof ACTIVATIONS)[number]['op'];

/** The activation f of a fused kernel (`fusedConv2d`, `fusedMatmul`); `identity` for none. */
export type FusedActivation = ActivationOp | 'identity';

/** The activations with a gradient kernel (`activationGrad`), in the order of {@link ACTIVATIONS}. */
export const ACTIVATION_OPS: readonly ActivationOp[] = ACTIVATIONS.map((definition) => definition.op);

/** The fused activations, in the order the GPU kernels number them (`identity` = 0). */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['identity', ...ACTIVATION_OPS];

/** Whether `op`'s gradient is written with its output y = f(z), so that y is all its backward pass needs. */
export function gradientReadsOutput(op: ActivationOp): boolean {
  return ACTIVATIONS.some((definition) => definition.op === op && definition.gradientReads === 'output');
}

/** a = f(x) for the activation `op`, its gradient one `activationGrad` kernel at x or y as {@link ACTIVATIONS} says. */
export function activation(op: ActivationOp, x: Tensor): Tensor {
  checkInputs(op, x);
  return record(op, [x], x.backend.unary(op, x), x.shape, (dy, y) => {
    const input = gradientReadsOutput(op) ? y : x;
    return [new Tensor(x.backend.activationGrad(op, input, dy), x.shape, x.backend)];
  });
}

/** σ(z) = 1 / (1 + e^(−z)): d2l's LeNet activation. Gradient y·(1−y). */
export function sigmoid(x: Tensor): Tensor {
  return activation('sigmoid', x);
}

/** tanh z. Gradient 1 − y². */
export function tanh(x: Tensor): Tensor {
  return activation('tanh', x);
}

/** max(0, z): the modern choice. Gradient 1 where z > 0 (exactly where y > 0), else 0. */
export function relu(x: Tensor): Tensor {
  return activation('relu', x);
}

/** SiLU (swish), z · σ(z): smooth, and negative for z < 0. Gradient σ(z)·(1 + z·(1 − σ(z))), read from z. */
export function silu(x: Tensor): Tensor {
  return activation('silu', x);
}
