/**
 * The engine: process-wide state that every op consults — the default backend, the stack of memory
 * scopes, whether gradients are being recorded, and how many tensors share each buffer.
 *
 * Ops run eagerly (PyTorch's "eager execution"): each call runs its kernel at once and returns a
 * tensor; when gradients are recorded, it also remembers how to push a gradient back (autograd).
 * @module
 */
import type { Backend, DataId } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';

/** A memory scope: the tensors made while it is open, disposed when it closes (see `tidy`). */
export interface Scope {
  readonly tracked: Set<Tensor>;
}

class Engine {
  #backend: Backend | null = null;
  /** Innermost scope last. */
  readonly scopes: Scope[] = [];
  /** False inside `noGrad`, and while `backward()` runs. */
  gradEnabled = true;
  readonly #references = new Map<DataId, number>();

  get backend(): Backend {
    if (this.#backend === null) {
      throw new Error(
        'No backend is set: call setBackend(new CpuBackend()) from @lenet/backend-cpu ' +
          '(or await createGpuBackend() from @lenet/backend-gpu) before making tensors',
      );
    }
    return this.#backend;
  }

  set backend(backend: Backend) {
    this.#backend = backend;
  }

  get hasBackend(): boolean {
    return this.#backend !== null;
  }

  /** A new tensor was made: the innermost open scope owns it. */
  track(tensor: Tensor): void {
    this.scopes.at(-1)?.tracked.add(tensor);
  }

  /** Takes a tensor out of every scope, so no scope disposes it. */
  untrack(tensor: Tensor): void {
    for (const scope of this.scopes) scope.tracked.delete(tensor);
  }

  /** One more tensor refers to `dataId`. */
  addReference(dataId: DataId): void {
    this.#references.set(dataId, (this.#references.get(dataId) ?? 0) + 1);
  }

  /** One tensor fewer refers to `dataId`; the last one frees the buffer. */
  releaseReference(backend: Backend, dataId: DataId): void {
    const count = this.#references.get(dataId) ?? 0;
    if (count <= 1) {
      this.#references.delete(dataId);
      backend.dispose(dataId);
    } else {
      this.#references.set(dataId, count - 1);
    }
  }
}

/** The one engine of this process. */
export const engine = new Engine();

/** Makes `backend` the one new tensors are created on. */
export function setBackend(backend: Backend): void {
  engine.backend = backend;
}

/** The backend new tensors are created on; throws a clear error if none was set. */
export function getBackend(): Backend {
  return engine.backend;
}
