/**
 * The filter gradient as tfjs's own `Conv2D` on transposed tensors: the sum over the batch and the
 * output positions is itself a convolution, with the batch as the channels and dy as the filter.
 *
 *   ∂L/∂W[p,q,c,k] = Σₙ Σₓ Σᵧ x_pad[n, x·sh + p, y·sw + q, c] · dy[n, x, y, k]
 *
 *   x  [N,H,W,C]   → x'  [C,H,W,N]     (Transpose: C is the convolution's batch, N its channels)
 *   dy [N,OH,OW,K] → dy' [OH,OW,N,K]   (Transpose: an OH×OW filter from N channels to K)
 *   Conv2D(x', dy', stride 1, dilation (sh, sw), the forward padding) → [C,KH,KW,K]
 *   → Transpose → [KH,KW,C,K]
 *
 * A stride of the forward convolution becomes a dilation of this one (filter tap x reads row
 * x·sh + p). Every multiply-add runs in the wasm backend's Conv2D (XNNPACK, SIMD); JavaScript
 * only launches four kernels. The bottom and right padding are chosen so that the output is
 * exactly KH×KW (rows the forward convolution never reached are cut with a Slice).
 * @module
 */
import { type backend_util, Conv2D, getKernel, Slice, Transpose, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Runs the wasm backend's own kernel `name`; one output. */
function run(backend: BackendWasm, name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`Conv2DBackpropFilter (wasm): the wasm backend has no ${name} kernel registered`);
  const output = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(output)) throw new Error(`Conv2DBackpropFilter (wasm): ${name} returned several tensors`);
  return output;
}

/** ∂L/∂W `[KH,KW,C,K]` of the convolution `info` describes, from x and dy, by Conv2D on transposed tensors. */
export function filterGradientByConv(backend: BackendWasm, info: backend_util.Conv2DInfo, x: TensorInfo, dy: TensorInfo): TensorInfo {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: K } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // the output's rows: H + top + bottom − (OH − 1)·sh; KH of them when bottom = KH + (OH − 1)·sh − H − top
  const bottom = Math.max(0, KH + (OH - 1) * sh - H - top);
  const right = Math.max(0, KW + (OW - 1) * sw - W - left);
  const xT = run(backend, Transpose, { x }, { perm: [3, 1, 2, 0] });
  const dyT = run(backend, Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
  const padding = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const grown = run(backend, Conv2D, { x: xT, filter: dyT }, { strides: 1, pad: padding, dilations: [sh, sw], dataFormat: 'NHWC' });
  backend.disposeData(xT.dataId);
  backend.disposeData(dyT.dataId);
  // [C, ≥KH, ≥KW, K]: the last rows and columns, if any, are windows past the forward's reach
  const exact =
    grown.shape[1] === KH && grown.shape[2] === KW
      ? grown
      : run(backend, Slice, { x: grown }, { begin: [0, 0, 0, 0], size: [C, KH, KW, K] });
  if (exact !== grown) backend.disposeData(grown.dataId);
  const gradient = run(backend, Transpose, { x: exact }, { perm: [1, 2, 0, 3] });
  backend.disposeData(exact.dataId);
  return gradient;
}
