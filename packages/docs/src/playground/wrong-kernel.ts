/**
 * A deliberately wrong kernel, for the formula table's own test: the GPU.js backend with its
 * conv2d kernel computing conv2d(x, 1.01 · w), 1 % off. Everything else is the backend's own.
 * Asked for with `?wrong-kernel=conv2d` in the Playground's address.
 * @module
 */
import type { GpuBackend } from '@lenet/backend-gpu';
import type { TensorInfo } from '@lenet/core';

/** `gpu` with a conv2d that scales the filters by 1.01 before convolving. */
export function withWrongConv2d(gpu: GpuBackend): GpuBackend {
  const wrongConv2d: GpuBackend['conv2d'] = (x: TensorInfo, w: TensorInfo, info) => {
    const scaled = gpu.affine(w, 1.01, 0);
    const z = gpu.conv2d(x, { dataId: scaled, shape: w.shape }, info);
    gpu.dispose(scaled);
    return z;
  };
  return new Proxy(gpu, {
    get(target, property) {
      if (property === 'conv2d') return wrongConv2d;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
