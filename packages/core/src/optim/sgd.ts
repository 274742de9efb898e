/**
 * Stochastic gradient descent with momentum and weight decay, with PyTorch's `torch.optim.SGD`
 * semantics (dampening 0, no Nesterov).
 * @module
 */
import { dispose, keep, noGrad, tidy } from '../engine/memory.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import type { FoldedUpdate } from '../ops/fused-backward.js';
import { formatShape } from '../shape/shape.js';
import { tensor, zeros } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { Parameter } from '../nn/parameter.js';

/** Hyper-parameters of {@link SGD}. */
export interface SgdOptions {
  /** The learning rate η > 0 (settable later through {@link SGD.lr}). */
  readonly lr: number;
  /** The momentum μ ≥ 0. Default 0 (plain SGD) (settable later through {@link SGD.momentum}). */
  readonly momentum?: number;
  /** The L2 penalty λ ≥ 0 added to the gradient as λ·w. Default 0. */
  readonly weightDecay?: number;
}

/** Options of {@link SGD.step}. */
export interface SgdStepOptions {
  /**
   * Plain SGD (μ = 0, λ = 0) as one fused `sgdUpdate` kernel per parameter, w − η·g, instead of the
   * ops of the formula (a scaling and a subtraction). Same values; used by compiled training steps.
   * Default false. With momentum or weight decay the ops run either way.
   */
  readonly fused?: boolean;
}

/** The state of an {@link SGD} optimiser, to save and resume training: one momentum buffer per parameter. */
export interface SgdState {
  /** The momentum buffer v of each parameter, in the order the parameters were given; null before its first step. */
  readonly momentumBuffers: ReadonlyArray<Float32Array | null>;
}

function checkHyperParameter(what: string, value: number, allowZero: boolean): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`SGD: ${what} must be a finite number ${allowZero ? '≥ 0' : '> 0'}, got ${value}`);
  }
}

/**
 * Mini-batch stochastic gradient descent, exactly as PyTorch's `SGD(params, lr, momentum,
 * weight_decay)` updates each parameter w with gradient ∂L/∂w:
 *
 * ```text
 *   g = ∂L/∂w + λ·w            (weight decay)
 *   v = μ·v + g                (momentum; v = g on the first step)
 *   w = w − η·v                (v = g when μ = 0)
 * ```
 *
 * `step()` runs under `noGrad` and inside `tidy`, so the update is not recorded and leaves no
 * intermediate buffers behind; the momentum buffers v live outside every scope until `dispose()`.
 * A compiled training step may instead fold plain SGD's update into the backward pass
 * ({@link SGD.foldedUpdate}); the formula and η stay here either way.
 *
 * @example
 * const optimizer = new optim.SGD(net.parameters(), { lr: 0.9 });
 * optimizer.zeroGrad();
 * tidy(() => crossEntropy(net.call(images), labels).backward());
 * optimizer.step();
 */
export class SGD {
  /** The parameters updated by {@link SGD.step}, in the order given. */
  readonly params: readonly Parameter[];
  /** λ */
  readonly weightDecay: number;
  #lr: number;
  #momentum: number;
  readonly #momentumBuffers = new Map<Parameter, Tensor>();
  #folded: FoldedUpdate | null = null;

  /** @throws RangeError for an empty or repeated parameter list, or a hyper-parameter out of range. */
  constructor(params: readonly Parameter[], options: SgdOptions) {
    if (params.length === 0) throw new RangeError('SGD: got an empty parameter list; pass model.parameters()');
    if (new Set(params).size !== params.length) throw new RangeError('SGD: a parameter appears more than once in the list');
    checkHyperParameter('lr', options.lr, false);
    checkHyperParameter('momentum', options.momentum ?? 0, true);
    checkHyperParameter('weightDecay', options.weightDecay ?? 0, true);
    this.params = [...params];
    this.#lr = options.lr;
    this.#momentum = options.momentum ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
  }

  /** The learning rate η; set it between steps for a schedule. */
  get lr(): number {
    return this.#lr;
  }

  /** Sets η for the next steps; throws a `RangeError` unless it is finite and > 0. */
  set lr(value: number) {
    checkHyperParameter('lr', value, false);
    this.#lr = value;
  }

  /** The momentum μ; set it between steps (as PyTorch's `param_groups`). */
  get momentum(): number {
    return this.#momentum;
  }

  /**
   * Sets μ for the next steps; throws a `RangeError` unless it is finite and ≥ 0. Each parameter's
   * buffer v is kept: while μ = 0 it is neither used nor updated, as in PyTorch.
   */
  set momentum(value: number) {
    checkHyperParameter('momentum', value, true);
    this.#momentum = value;
  }

  /**
   * Updates every parameter that has a gradient (see the class comment); a parameter whose `grad`
   * is null is skipped, as in PyTorch. With `fused` (a compiled training step), plain SGD runs as
   * one `sgdUpdate` kernel per parameter; otherwise as the ops of the formula.
   */
  step(options: SgdStepOptions = {}): void {
    const fused = options.fused ?? false;
    noGrad(() => {
      for (const parameter of this.params) {
        const grad = parameter.grad;
        if (grad === null) continue;
        if (fused && this.momentum === 0 && this.weightDecay === 0) {
          // w − η·g in one kernel (the composed form below would take two)
          parameter.assign(new Tensor(parameter.backend.sgdUpdate(parameter, grad, this.#lr), parameter.shape, parameter.backend));
          continue;
        }
        tidy(() => {
          let direction = this.weightDecay === 0 ? grad : add(grad, mul(parameter, this.weightDecay));
          if (this.momentum !== 0) direction = this.#updateMomentum(parameter, direction);
          parameter.assign(sub(parameter, mul(direction, this.#lr)));
        });
      }
    });
  }

  /**
   * Plain SGD's update for a compiled step to fold into the backward pass (`nn.runFused`'s
   * `foldedUpdate`): the kernel that computes ∂L/∂w of one of these parameters writes w − η·∂L/∂w
   * instead of the gradient (`GradientEpilogue` `sgdUpdate`, with η as it is when the kernel is
   * launched), and w takes those values; no `.grad` is kept, so {@link SGD.step} skips w.
   *
   * Null with momentum or weight decay: the update then needs the gradient itself (for v, and for
   * λ·w), so the step runs after the backward pass, as `step()`.
   * @example
   * nn.runFused(plan, images, { foldedUpdate: optimizer.foldedUpdate() ?? undefined })
   */
  foldedUpdate(): FoldedUpdate | null {
    if (this.momentum !== 0 || this.weightDecay !== 0) return null;
    if (this.#folded === null) {
      const mine = new Set<Tensor>(this.params);
      this.#folded = {
        apply: (param, resultShape, compute) => {
          if (!mine.has(param)) {
            throw new RangeError(
              `SGD.foldedUpdate: ${param.describe()} is not one of this optimiser's parameters; make the optimiser with model.parameters() of the model being trained`,
            );
          }
          const epilogue = { kind: 'sgdUpdate', param: { dataId: param.dataId, shape: resultShape }, lr: this.#lr } as const;
          param.assign(new Tensor(compute(epilogue), param.shape, param.backend));
        },
      };
    }
    return this.#folded;
  }

  /** v = μ·v + g, kept outside the scope; the old v is freed. Returns v. */
  #updateMomentum(parameter: Parameter, g: Tensor): Tensor {
    const previous = this.#momentumBuffers.get(parameter);
    const velocity = keep(
      previous === undefined ? add(zeros(parameter.shape, { backend: parameter.backend }), g) : add(mul(previous, this.momentum), g),
    );
    previous?.dispose();
    this.#momentumBuffers.set(parameter, velocity);
    return velocity;
  }

  /** Frees every parameter's gradient and sets it to null (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const parameter of this.params) {
      parameter.grad?.dispose();
      parameter.grad = null;
    }
  }

  /** Reads the momentum buffers back, to save with a checkpoint. */
  async stateDict(): Promise<SgdState> {
    const momentumBuffers = await Promise.all(
      this.params.map(async (parameter) => {
        const buffer = this.#momentumBuffers.get(parameter);
        return buffer === undefined ? null : buffer.data();
      }),
    );
    return { momentumBuffers };
  }

  /**
   * Restores momentum buffers saved by {@link SGD.stateDict} (replacing the current ones).
   * @throws RangeError when the number of buffers or a buffer's size does not match the parameters.
   */
  loadStateDict(state: SgdState): void {
    if (state.momentumBuffers.length !== this.params.length) {
      throw new RangeError(`SGD.loadStateDict: got ${state.momentumBuffers.length} momentum buffers for ${this.params.length} parameters`);
    }
    state.momentumBuffers.forEach((values, index) => {
      const parameter = this.params[index];
      if (values !== null && values.length !== parameter.size) {
        throw new RangeError(
          `SGD.loadStateDict: momentum buffer ${index} has ${values.length} values but parameter ` +
            `${parameter.name ?? index} ${formatShape(parameter.shape)} has ${parameter.size}`,
        );
      }
    });
    this.#disposeBuffers();
    state.momentumBuffers.forEach((values, index) => {
      if (values === null) return;
      const parameter = this.params[index];
      this.#momentumBuffers.set(parameter, keep(tensor(values, parameter.shape, { backend: parameter.backend })));
    });
  }

  #disposeBuffers(): void {
    dispose(...this.#momentumBuffers.values());
    this.#momentumBuffers.clear();
  }

  /** Frees the momentum buffers (the parameters and their gradients are not touched). */
  dispose(): void {
    this.#disposeBuffers();
  }
}
