/**
 * `Module`: PyTorch's `nn.Module`, the base class of every layer and model.
 * @module
 */
import { keep } from '../engine/memory.js';
import type { Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerDescription } from './describe.js';
import type { Parameter } from './parameter.js';
import { readStateDict, writeStateDict, type StateDict, type StateEntry } from './state-dict.js';

/** Options of {@link Module.registerBuffer}. */
export interface BufferOptions {
  /**
   * Whether the buffer is part of the state dict (PyTorch's `persistent`). Default true: saved and
   * loaded with the weights, as C3's connection mask is. False for a constant the layer can rebuild
   * from its arguments (ZeroPad2d's identity filter): freed with the module, never saved.
   */
  readonly persistent?: boolean;
}

/** A registered buffer and whether it is saved. */
interface BufferSlot {
  readonly tensor: Tensor;
  readonly persistent: boolean;
}

/**
 * A layer or a model: a function `forward(x)` with learnable {@link Parameter}s, buffers (fixed
 * tensors that are part of its state, such as a connection mask) and child modules.
 *
 * Parameters, buffers and children are registered by name in the order they are made, and
 * {@link Module.namedParameters} walks them as PyTorch's `named_parameters()` does: a module's own
 * parameters first, then each child's under `childName.`, so a d2l LeNet `Sequential` gives
 * `0.weight`, `0.bias`, `3.weight`, … and weights move to and from PyTorch by name.
 * {@link Module.namedBuffers} walks the buffers the same way (`5.mask`, `14.codes`), and
 * {@link Module.stateDict} holds both.
 *
 * @example
 * class TwoLayer extends nn.Module {
 *   readonly hidden = this.registerModule('hidden', new nn.Linear(4, 8, { rng }));
 *   readonly out = this.registerModule('out', new nn.Linear(8, 3, { rng }));
 *   forward(x: Tensor): Tensor { return this.out.call(this.hidden.call(x).relu()); }
 *   describe(inputShape: Shape) { ... }
 * }
 */
export abstract class Module {
  readonly #parameters = new Map<string, Parameter>();
  readonly #buffers = new Map<string, BufferSlot>();
  readonly #children = new Map<string, Module>();
  #training = true;

  /** The computation of this module: input → output. */
  abstract forward(x: Tensor): Tensor;

  /**
   * The output shape, parameter count and connection count of this module for an input of
   * `inputShape` (see {@link LayerDescription}); throws the same shape errors `forward` would.
   */
  abstract describe(inputShape: Shape): LayerDescription;

  /** Runs the module: the same as {@link Module.forward} (PyTorch's `module(x)`). */
  call(x: Tensor): Tensor {
    return this.forward(x);
  }

  /** The output shape for an input of `inputShape`: `describe(inputShape).outputShape`. */
  outputShape(inputShape: Shape): Shape {
    return this.describe(inputShape).outputShape;
  }

  /** Adds a parameter under `name` (e.g. `'weight'`) and returns it. */
  protected registerParameter<P extends Parameter>(name: string, parameter: P): P {
    this.#checkFreeName(name);
    this.#parameters.set(name, parameter);
    return parameter;
  }

  /**
   * Adds a buffer under `name` and returns it (PyTorch's `register_buffer`): a tensor that belongs
   * to the module's state but is not learned — no gradient, not given to an optimiser. A persistent
   * buffer (the default) is saved and loaded by {@link Module.stateDict} and
   * {@link Module.loadStateDict} under its dotted name; every buffer is freed by
   * {@link Module.dispose}. The buffer is kept out of every memory scope, so a layer built inside
   * `tidy` keeps it.
   * @example this.mask = this.registerBuffer('mask', tensor(table, [16, 6, 1, 1])); // saved as '<layer>.mask'
   * @throws RangeError when the name is taken or not a plain name, or the tensor is not a leaf
   *   without gradient (a loaded state is written into it in place with `assign`).
   */
  protected registerBuffer<T extends Tensor>(name: string, tensor: T, options: BufferOptions = {}): T {
    this.#checkFreeName(name);
    if (tensor.op !== null || tensor.requiresGrad) {
      throw new RangeError(
        `${this.constructor.name}: buffer '${name}' must be a leaf tensor without gradient; register a Parameter to learn it`,
      );
    }
    this.#buffers.set(name, { tensor: keep(tensor), persistent: options.persistent ?? true });
    return tensor;
  }

  /** Adds a child module under `name` (e.g. `'0'` in a `Sequential`) and returns it. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.#checkFreeName(name);
    this.#children.set(name, module);
    return module;
  }

  #checkFreeName(name: string): void {
    if (name === '' || name.includes('.')) {
      throw new RangeError(`${this.constructor.name}: the name '${name}' must be non-empty and contain no '.'`);
    }
    if (this.#parameters.has(name) || this.#buffers.has(name) || this.#children.has(name)) {
      throw new RangeError(`${this.constructor.name}: a parameter, buffer or child named '${name}' is already registered`);
    }
  }

  /** The direct children, by name, in registration order (PyTorch's `named_children()`). */
  children(): Array<[string, Module]> {
    return [...this.#children];
  }

  /**
   * Every parameter of this module and its descendants with its state-dict name: own parameters
   * first, then each child's prefixed by `childName.` (PyTorch's `named_parameters()`). A parameter
   * shared by two layers is listed once, under its first name.
   */
  namedParameters(prefix = ''): Array<[string, Parameter]> {
    return this.#walk(prefix, (module) => module.#parameters);
  }

  /**
   * Every buffer of this module and its descendants with its dotted name, in the order of
   * {@link Module.namedParameters} (own buffers first, then each child's under `childName.`;
   * PyTorch's `named_buffers()`). Persistent or not; a buffer shared by two layers is listed once.
   * @example lenet5Classic.namedBuffers().map(([name]) => name) // ['0.identity', '5.mask', '14.codes']
   */
  namedBuffers(prefix = ''): Array<[string, Tensor]> {
    return this.#namedBuffers(prefix, false);
  }

  #namedBuffers(prefix: string, persistentOnly: boolean): Array<[string, Tensor]> {
    return this.#walk(prefix, function* (module) {
      for (const [name, slot] of module.#buffers) if (slot.persistent || !persistentOnly) yield [name, slot.tensor];
    });
  }

  /**
   * The named values `own(module)` gives for this module and its descendants: own first, then each
   * child's under `childName.`; a value met twice (shared by two layers) is listed once, under its
   * first name.
   */
  #walk<T>(prefix: string, own: (module: Module) => Iterable<readonly [string, T]>): Array<[string, T]> {
    const named: Array<[string, T]> = [];
    const seen = new Set<T>();
    const visit = (module: Module, path: string): void => {
      for (const [name, value] of own(module)) {
        if (!seen.has(value)) {
          seen.add(value);
          named.push([path + name, value]);
        }
      }
      for (const [name, child] of module.#children) visit(child, `${path}${name}.`);
    };
    visit(this, prefix);
    return named;
  }

  /**
   * The tensors of the state dict by name: every parameter in {@link Module.namedParameters} order,
   * then every persistent buffer in {@link Module.namedBuffers} order. PyTorch's `state_dict()` has
   * the same names and shapes but lists each module's buffers right after its parameters; order
   * does not matter for loading, which goes by name, and this order keeps LeNet.ts's checkpoint
   * files as they have always been written.
   */
  namedStateTensors(): Array<[string, Tensor]> {
    return [...this.namedParameters(), ...this.#namedBuffers('', true)];
  }

  /** Every parameter, in {@link Module.namedParameters} order: what an optimiser is given. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, parameter]) => parameter);
  }

  /** The number of trainable values: Σ over parameters of their size. */
  numParameters(): number {
    return this.parameters().reduce((total, parameter) => total + parameter.size, 0);
  }

  /**
   * Gives every parameter its state-dict name as its tensor `name` (shown in graph pictures and
   * error messages). Containers call it when they are built, so the outermost one wins.
   */
  nameParameters(): this {
    for (const [name, parameter] of this.namedParameters()) parameter.name = name;
    return this;
  }

  /**
   * Every parameter's and persistent buffer's shape and values by state-dict name (PyTorch's
   * `state_dict()`), read back from the backend, in {@link Module.namedStateTensors} order: the map
   * a checkpoint file is written from.
   * @example [...(await net.stateDict()).keys()] // ['0.weight', '0.bias', '3.weight', …]
   */
  async stateDict(): Promise<StateDict> {
    return readStateDict(this.namedStateTensors());
  }

  /**
   * Loads a state saved by {@link Module.stateDict} (or exported from PyTorch under the same
   * names), in place: parameters and buffers keep their identity. Strict, as PyTorch's default:
   * every name must match and every shape agree, and nothing is written unless all do.
   * @param source - where the state came from (a file name), the start of the error message
   * @throws StateDictMismatchError listing every missing, unexpected or mis-shaped entry.
   */
  loadStateDict(state: ReadonlyMap<string, StateEntry>, source = 'loadStateDict'): void {
    writeStateDict(this.namedStateTensors(), state, source);
  }

  /** True in training mode (the default), false after {@link Module.eval}. */
  get training(): boolean {
    return this.#training;
  }

  /** Sets training mode on this module and all its descendants (PyTorch's `train(mode)`). */
  train(mode = true): this {
    this.#training = mode;
    for (const child of this.#children.values()) child.train(mode);
    return this;
  }

  /** Sets evaluation mode: the same as `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Frees this module's memory: first each child's, through the child's own `dispose()`, then this
   * module's own parameters' data and gradients and its buffers (persistent or not). A child,
   * parameter or buffer shared by several layers is freed once; freeing one twice would be harmless
   * anyway, as `Tensor.dispose()` does nothing the second time. The module cannot be used afterwards.
   */
  dispose(): void {
    for (const child of new Set(this.#children.values())) child.dispose();
    for (const parameter of this.#parameters.values()) {
      parameter.grad?.dispose();
      parameter.grad = null;
      parameter.dispose();
    }
    for (const { tensor } of this.#buffers.values()) tensor.dispose();
  }

  /** Extra details shown by {@link Module.toString}, e.g. `1, 6, kernel_size=(5, 5)`. */
  protected extraRepr(): string {
    return '';
  }

  /**
   * PyTorch's `repr`: `Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))`, and for
   * containers one child per line, indented, under its name.
   */
  toString(): string {
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (this.#children.size === 0) return `${head})`;
    const lines = [...this.#children].map(([name, child]) => `  (${name}): ${child.toString().replaceAll('\n', '\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}
