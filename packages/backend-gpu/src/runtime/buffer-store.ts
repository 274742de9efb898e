/**
 * The gpu.js backend's storage: every live buffer by id, with what WebGPU's asynchrony needs — a
 * buffer may still be a promise (its kernel is being built), and a disposed buffer must outlive
 * the queued kernels that read it.
 * @module
 */
import type { DataId } from '@lenet/core';
import { releaseStoredValue, type StoredValue } from './device-value.js';
import { isSettled, type Eventually } from './eventually.js';

/** One live buffer. */
export interface StoredEntry {
  /** The data, or a promise of it while a WebGPU kernel is still being built. */
  readonly value: Eventually<StoredValue>;
  /** Element count. */
  readonly size: number;
  /** Kernels queued (not yet submitted) that read this buffer; it is freed only after them. */
  pendingReaders: number;
  /** Set by `dispose`; the device memory goes when the pending readers are done. */
  disposed: boolean;
}

/** Frees a buffer's device memory with `free` once its value is there. */
function release(value: Eventually<StoredValue>, free: (value: StoredValue) => void): void {
  if (isSettled(value)) {
    free(value);
  } else {
    value.then(free, () => undefined);
  }
}

/** The live buffers of one backend. */
export class BufferStore {
  private readonly entries = new Map<number, StoredEntry>();
  /** Kernel results still on their way (WebGPU, threaded webasm); {@link settle} waits for them. */
  private readonly inFlight = new Set<Promise<StoredValue>>();
  private nextId = 1;

  /**
   * @param owner the backend's name, for error messages
   * @param free what frees a buffer's value (webasm hands its arrays back to gpu.js for reuse)
   */
  constructor(
    private readonly owner: string,
    private readonly free: (value: StoredValue) => void = releaseStoredValue,
  ) {}

  /** How many buffers are live. */
  get size(): number {
    return this.entries.size;
  }

  /** The ids of every live buffer. */
  ids(): number[] {
    return [...this.entries.keys()];
  }

  /** The live buffer `dataId`; `op` names the caller in the error for a dead one. */
  entry(dataId: DataId, op: string): StoredEntry {
    const entry = this.entries.get(dataId.id);
    if (entry === undefined) {
      throw new Error(`${op}: buffer #${dataId.id} is not live on ${this.owner} (already disposed, or made by another backend)`);
    }
    return entry;
  }

  /** Stores a new buffer (or the promise of one) and returns its handle. */
  register(value: Eventually<StoredValue>, size: number): DataId {
    const id = this.nextId++;
    this.entries.set(id, { value, size, pendingReaders: 0, disposed: false });
    if (value instanceof Promise) {
      // Failures surface where the value is awaited (download, or a later kernel); this only
      // keeps Node from reporting a rejection nobody has awaited yet.
      this.inFlight.add(value);
      const settled = (): void => {
        this.inFlight.delete(value);
      };
      value.then(settled, settled);
    }
    return { id };
  }

  /** Forgets `dataId`; its device memory goes now, or once the kernels queued to read it have run. */
  dispose(dataId: DataId): void {
    const entry = this.entry(dataId, 'dispose');
    this.entries.delete(dataId.id);
    entry.disposed = true;
    if (entry.pendingReaders === 0) {
      release(entry.value, this.free);
    }
  }

  /** Keeps `readers` alive until `kernel` (queued behind a promise) has run, even if disposed meanwhile. */
  holdUntil(readers: readonly StoredEntry[], kernel: Promise<unknown>): void {
    for (const entry of readers) {
      entry.pendingReaders++;
    }
    const done = (): void => {
      for (const entry of readers) {
        entry.pendingReaders--;
        if (entry.disposed && entry.pendingReaders === 0) {
          release(entry.value, this.free);
        }
      }
    };
    kernel.then(done, done);
  }

  /** Resolves when every queued kernel result has settled. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }
}
