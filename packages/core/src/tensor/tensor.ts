/**
 * `Tensor`: the first of PyTorch's five basics. A tensor is float32 data held by a backend (in main
 * memory or on a GPU), a shape, and — when it is part of a computation — a link to the op that made
 * it, so that `backward()` can walk the computational graph in reverse.
 *
 * Ops are synchronous and return new tensors at once; only reading values is async
 * (`await t.data()`), because a GPU may still be computing them.
 * @module
 */
import type { Backend, DataId, TensorInfo } from '../backend/backend.js';
import { engine } from '../engine/engine.js';
import { formatShape, shapesEqual, sizeOf, type Shape } from '../shape/shape.js';
import { runBackward } from '../autograd/backward.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { exp, log, neg, sqrt, square } from '../ops/unary-math.js';
import { relu, sigmoid, tanh } from '../ops/activations.js';
import { matmul } from '../ops/matmul.js';
import { mean, sum } from '../ops/reduce.js';
import { flatten, reshape } from '../ops/reshape.js';

/**
 * Pushes the gradient of the loss with respect to an op's output back to its inputs: returns one
 * gradient per input (null for an input that needs none). Runs with gradient recording off.
 */
export type BackwardFn = (outputGrad: Tensor, output: Tensor) => Array<Tensor | null>;

/** How a tensor was made: the op, its inputs and its gradient function (absent for a leaf). */
export interface GraphNode {
  /** The op's name, e.g. `conv2d`. */
  readonly op: string;
  /** The tensors the op read. */
  readonly inputs: readonly Tensor[];
  /** Pushes the output's gradient back to the inputs; null when no input needs a gradient. */
  readonly backward: BackwardFn | null;
}

/** Options when making a tensor. */
export interface TensorOptions {
  /** Record operations on it so `backward()` fills its `grad`. Default false. */
  readonly requiresGrad?: boolean;
  /** Where its data lives; default the one set by `setBackend`. */
  readonly backend?: Backend;
}

let nextTensorId = 0;

/**
 * A float32 n-dimensional array held by a backend, with an optional gradient.
 * @example
 * const x = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
 * const y = x.mul(x).sum();   // y = Σ x²
 * y.backward();
 * await x.grad!.data();       // [2, 4, 6, 8]
 */
export class Tensor implements TensorInfo {
  /** Unique per process, for graph pictures and debugging. */
  readonly id = nextTensorId++;
  /** Extent along each axis, outermost first, e.g. `[batch, channels, height, width]`. */
  readonly shape: Shape;
  /** Number of elements: the product of the extents. */
  readonly size: number;
  /** The backend that holds this tensor's data and runs the kernels of ops on it. */
  readonly backend: Backend;
  /** Whether `backward()` computes a gradient for this tensor. */
  requiresGrad: boolean;
  /** ∂loss/∂this after `backward()`, accumulated over calls (clear it with `optimizer.zeroGrad()`). */
  grad: Tensor | null = null;
  /** A human name, shown in graph pictures (parameters get their state_dict name). */
  name: string | undefined;
  /** The op that made this tensor, or null for a leaf (made from data, or a parameter). */
  readonly node: GraphNode | null;
  #dataId: DataId;
  #disposed = false;

  /**
   * Wraps a backend buffer. Prefer `tensor(values, shape)`; ops use this constructor.
   * The new tensor takes one reference to `dataId`.
   */
  constructor(dataId: DataId, shape: Shape, backend: Backend, node: GraphNode | null = null, requiresGrad = false) {
    this.#dataId = dataId;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.backend = backend;
    this.node = node;
    this.requiresGrad = requiresGrad;
    engine.addReference(dataId);
    engine.track(this);
  }

  /** The handle of this tensor's buffer in its backend. */
  get dataId(): DataId {
    if (this.#disposed) throw new Error(`Tensor ${this.describe()} was used after it was disposed`);
    return this.#dataId;
  }

  /** Number of axes: 4 for an NCHW batch of images, 0 for a scalar. */
  get rank(): number {
    return this.shape.length;
  }

  /** The op that made this tensor (`'conv2d'`, `'add'`, ...), or null for a leaf. */
  get op(): string | null {
    return this.node?.op ?? null;
  }

  /** The tensors this one was computed from (empty for a leaf). */
  get inputs(): readonly Tensor[] {
    return this.node?.inputs ?? [];
  }

  /** True once `dispose()` ran (or a `tidy` scope freed it); using it then is an error. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** `Tensor#3 [2,3]`, for messages. */
  describe(): string {
    return `${this.name ?? `Tensor#${this.id}`} ${formatShape(this.shape)}`;
  }

  /** Reads the values back (row-major). Async: a GPU may still be computing them. */
  async data(): Promise<Float32Array> {
    return this.backend.download(this.dataId);
  }

  /** The value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) {
      throw new RangeError(`item: tensor ${this.describe()} has ${this.size} elements; item() needs exactly 1`);
    }
    return (await this.data())[0];
  }

  /**
   * Computes ∂this/∂t for every tensor t with `requiresGrad` that this one depends on, and adds it
   * to `t.grad`. `this` must be a scalar unless a `seed` (∂loss/∂this, same shape) is given.
   */
  backward(seed?: Tensor): void {
    runBackward(this, seed);
  }

  /** Frees this tensor's buffer (once no other tensor shares it). Its `grad` is not touched. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    engine.untrack(this);
    engine.releaseReference(this.backend, this.#dataId);
  }

  /** A tensor sharing this one's data, cut off from the graph (no gradient flows through it). */
  detach(): Tensor {
    return new Tensor(this.dataId, this.shape, this.backend);
  }

  /**
   * Replaces this leaf tensor's data with `value`'s, in place, and disposes `value`: how an optimiser
   * updates a parameter while everything that holds the parameter keeps holding it.
   * @throws if this tensor is not a leaf or the shapes differ.
   */
  assign(value: Tensor): void {
    if (this.node !== null) {
      throw new Error(`assign: ${this.describe()} was computed by '${this.op}'; only leaf tensors (parameters) can be assigned`);
    }
    if (!shapesEqual(value.shape, this.shape) || value.backend !== this.backend) {
      throw new RangeError(`assign: value ${value.describe()} must have the shape ${formatShape(this.shape)} and the same backend`);
    }
    const old = this.dataId;
    this.#dataId = value.dataId;
    engine.addReference(this.#dataId);
    value.dispose();
    engine.releaseReference(this.backend, old);
  }

  /** `this + other`, broadcasting. */
  add(other: Tensor | number): Tensor {
    return add(this, other);
  }
  /** `this − other`, broadcasting. */
  sub(other: Tensor | number): Tensor {
    return sub(this, other);
  }
  /** `this · other` element-wise, broadcasting. */
  mul(other: Tensor | number): Tensor {
    return mul(this, other);
  }
  /** `this / other` element-wise, broadcasting. */
  div(other: Tensor | number): Tensor {
    return div(this, other);
  }
  /** Matrix product of 2-D tensors. */
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  /** Sum over `axes` (all by default). */
  sum(axes?: readonly number[], keepDims = false): Tensor {
    return sum(this, axes, keepDims);
  }
  /** Mean over `axes` (all by default). */
  mean(axes?: readonly number[], keepDims = false): Tensor {
    return mean(this, axes, keepDims);
  }
  /** The same data seen with another shape of the same size (free: no copy). */
  reshape(shape: Shape): Tensor {
    return reshape(this, shape);
  }
  /** Merges the axes from `startAxis` on into one: `[N,C,H,W]` → `[N, C·H·W]`. */
  flatten(startAxis = 1): Tensor {
    return flatten(this, startAxis);
  }
  /** σ(x) = 1 / (1 + e^(−x)), element-wise. */
  sigmoid(): Tensor {
    return sigmoid(this);
  }
  /** tanh(x), element-wise. */
  tanh(): Tensor {
    return tanh(this);
  }
  /** max(0, x), element-wise. */
  relu(): Tensor {
    return relu(this);
  }
  /** −x */
  neg(): Tensor {
    return neg(this);
  }
  /** eˣ */
  exp(): Tensor {
    return exp(this);
  }
  /** ln x */
  log(): Tensor {
    return log(this);
  }
  /** √x */
  sqrt(): Tensor {
    return sqrt(this);
  }
  /** x² */
  square(): Tensor {
    return square(this);
  }
}
