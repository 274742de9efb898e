/**
 * The same tensors on two backends — the gpu.js backend under test and backend-cpu, the oracle —
 * so a test runs one op on both and compares.
 * @module
 */
import type { Backend, DataId, Shape, TensorInfo } from '@lenet/core';
import { expectClose } from './expect-close.js';

/** One tensor uploaded to both backends. */
export interface TwinTensor {
  readonly shape: Shape;
  readonly gpu: TensorInfo;
  readonly cpu: TensorInfo;
}

/** Uploads, runs and compares on the gpu.js backend and the CPU oracle. */
export class TwinBackends {
  private readonly owned: TwinTensor[] = [];

  /**
   * @param gpu the backend under test; its `tolerance` judges every comparison
   * @param cpu the oracle (backend-cpu)
   */
  constructor(
    readonly gpu: Backend,
    readonly cpu: Backend,
  ) {}

  /** Uploads `values` of `shape` to both backends; freed by {@link disposeAll}. */
  upload(values: Float32Array, shape: Shape): TwinTensor {
    const twin = {
      shape,
      gpu: { dataId: this.gpu.upload(values, shape), shape },
      cpu: { dataId: this.cpu.upload(values, shape), shape },
    };
    this.owned.push(twin);
    return twin;
  }

  /**
   * Runs `op` on both backends with the twins' halves, downloads both results and asserts they
   * agree within the gpu.js backend's tolerance; frees both results.
   */
  async expectSame(what: string, inputs: readonly TwinTensor[], op: (backend: Backend, tensors: TensorInfo[]) => DataId): Promise<void> {
    const gpuOut = op(
      this.gpu,
      inputs.map((input) => input.gpu),
    );
    const cpuOut = op(
      this.cpu,
      inputs.map((input) => input.cpu),
    );
    try {
      const [actual, expected] = await Promise.all([this.gpu.download(gpuOut), this.cpu.download(cpuOut)]);
      expectClose(actual, expected, this.gpu.tolerance, `${this.gpu.name} ${what}`);
    } finally {
      this.gpu.dispose(gpuOut);
      this.cpu.dispose(cpuOut);
    }
  }

  /** Frees every uploaded tensor on both backends. */
  disposeAll(): void {
    for (const twin of this.owned.splice(0)) {
      this.gpu.dispose(twin.gpu.dataId);
      this.cpu.dispose(twin.cpu.dataId);
    }
  }
}
