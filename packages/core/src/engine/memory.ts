/**
 * Freeing memory. A GPU buffer is not garbage-collected, so every intermediate tensor must be
 * disposed. Two ways, as in tfjs:
 * - `tidy(fn)`: every tensor made while `fn` runs is disposed when it returns, except what it
 *   returns and what was passed to `keep`. `tidyAsync` does the same across `await`.
 * - `t.dispose()` / `dispose(t1, t2, ...)` by hand.
 * @module
 */
import { engine, type Scope } from './engine.js';
import { Tensor } from '../tensor/tensor.js';

/** Collects the tensors inside a value returned from a scope: a tensor, an array or a plain object of them. */
function tensorsIn(value: unknown, found: Set<Tensor>): Set<Tensor> {
  if (value instanceof Tensor) {
    found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) tensorsIn(item, found);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) tensorsIn(item, found);
  }
  return found;
}

function openScope(): Scope {
  const scope: Scope = { tracked: new Set() };
  engine.scopes.push(scope);
  return scope;
}

function closeScope(scope: Scope, result: unknown): void {
  if (engine.scopes.at(-1) !== scope) {
    throw new Error(
      'tidyAsync: memory scopes were closed out of order — two tidyAsync calls ran interleaved. ' + 'Await one before starting the next.',
    );
  }
  engine.scopes.pop();
  const survivors = tensorsIn(result, new Set());
  for (const tensor of scope.tracked) {
    if (!survivors.has(tensor) && !tensor.isDisposed) tensor.dispose();
  }
  // What this scope made and returns belongs to the enclosing scope now. A returned tensor made
  // before the scope opened (or kept) stays where it was: an outer scope must not free it.
  for (const tensor of survivors) {
    if (scope.tracked.has(tensor)) engine.track(tensor);
  }
}

/**
 * Runs `fn` and disposes every tensor it made except those it returns (a tensor, or arrays and
 * plain objects of tensors) and those passed to {@link keep}.
 * @example
 * const loss = tidy(() => crossEntropy(model.call(x), labels)); // the activations are freed
 */
export function tidy<T>(fn: () => T): T {
  const scope = openScope();
  let result: T;
  try {
    result = fn();
  } catch (error) {
    closeScope(scope, undefined);
    throw error;
  }
  if (result instanceof Promise) {
    closeScope(scope, undefined);
    throw new Error('tidy: the function returned a Promise; use `await tidyAsync(async () => ...)` instead');
  }
  closeScope(scope, result);
  return result;
}

/**
 * `tidy` for async functions: the scope stays open across `await`s. Scopes must nest: do not run
 * two `tidyAsync` calls concurrently (an error says so if they interleave).
 * @example
 * const accuracy = await tidyAsync(async () => evaluate(model, batch));
 */
export async function tidyAsync<T>(fn: () => Promise<T>): Promise<T> {
  const scope = openScope();
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    closeScope(scope, undefined);
    throw error;
  }
  closeScope(scope, result);
  return result;
}

/** Keeps a tensor alive past the end of every enclosing scope; returns it. */
export function keep<T extends Tensor>(tensor: T): T {
  engine.untrack(tensor);
  return tensor;
}

/** Disposes tensors by hand (ignores those already disposed). */
export function dispose(...tensors: Array<Tensor | null | undefined>): void {
  for (const tensor of tensors) {
    if (tensor && !tensor.isDisposed) tensor.dispose();
  }
}

/**
 * Runs `fn` without recording the graph: the results have no gradient history. Use it for
 * evaluation and for optimiser updates (PyTorch's `torch.no_grad()`).
 */
export function noGrad<T>(fn: () => T): T {
  const previous = engine.gradEnabled;
  engine.gradEnabled = false;
  try {
    return fn();
  } finally {
    engine.gradEnabled = previous;
  }
}
