/**
 * The `Conv2DBackpropFilter` kernel that TensorFlow.js's wasm backend lacks (4.22 registers
 * `Conv2D` and `Conv2DBackpropInput` but not the filter gradient), so a conv net cannot train on it
 * without this file. The benchmark registers it before training its TensorFlow.js peer.
 *
 * The gradient of a convolution with respect to its filter (NHWC, filter `[KH,KW,C,OC]`):
 *
 *   ∂L/∂W[p,q,c,k] = Σₙ Σₓ Σᵧ x_pad[n, x·sh + p, y·sw + q, c] · dy[n, x, y, k]
 *
 * It is computed as im2col + one matrix product, the way TensorFlow's own CPU kernel does:
 *
 *   colsᵀ[(p,q,c), (n,x,y)] = x_pad[n, x·sh + p, y·sw + q, c]     (plain loops: data movement only)
 *   ∂L/∂W = colsᵀ · dy, read as [KH·KW·C, OC] = [KH,KW,C,OC]       (wasm's BatchMatMul: XNNPACK, SIMD)
 *
 * Why this split: the product holds all of the arithmetic (2·N·OH·OW·KH·KW·C·OC flops, 92 M
 * multiply-adds per LeNet step at batch 256) and runs in the backend's own SIMD matmul; the loops
 * only copy N·OH·OW·KH·KW·C floats. Written as multiply-add loops in JavaScript instead, the same
 * gradient took several times longer (see the package README, "Peers").
 *
 * Shapes: x `[N,H,W,C]`, dy `[N,OH,OW,OC]` → `[KH,KW,C,OC]`. Dilation 1 (what the op allows with
 * strides > 1), NHWC only (the wasm backend's convolutions are NHWC).
 * @module
 */
import {
  backend_util,
  BatchMatMul,
  Conv2DBackpropFilter,
  getKernel,
  registerKernel,
  type Attribute,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Quad = [number, number, number, number];
type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** The attributes of `Conv2DBackpropFilter`, checked. */
interface FilterGradAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | ExplicitPadding;
  readonly dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined;
  readonly filterShape: Quad;
}

function isNumberTuple(value: Attribute | undefined, length: number): value is number[] {
  return Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'number');
}

function isExplicitPadding(value: Attribute | undefined): value is ExplicitPadding {
  return Array.isArray(value) && value.length === 4 && value.every((pair) => isNumberTuple(pair, 2));
}

function attrError(name: string, value: unknown): Error {
  return new Error(`Conv2DBackpropFilter (wasm): attribute ${name} has an unexpected value ${JSON.stringify(value)}`);
}

function padAttr(pad: Attribute | undefined): FilterGradAttrs['pad'] {
  if (typeof pad === 'number') return pad;
  if (typeof pad === 'string' && (pad === 'valid' || pad === 'same')) return pad;
  if (isExplicitPadding(pad)) return pad;
  throw attrError('pad', pad);
}

function roundingAttr(mode: Attribute | undefined): FilterGradAttrs['dimRoundingMode'] {
  if (mode === undefined) return undefined;
  if (typeof mode === 'string' && (mode === 'floor' || mode === 'round' || mode === 'ceil')) return mode;
  throw attrError('dimRoundingMode', mode);
}

function stridesAttr(strides: Attribute | undefined): FilterGradAttrs['strides'] {
  if (typeof strides === 'number') return strides;
  if (isNumberTuple(strides, 2)) return [strides[0], strides[1]];
  throw attrError('strides', strides);
}

/** Reads and checks the kernel's attributes (tfjs passes them untyped). */
function filterGradAttrs(attrs: NamedAttrMap | undefined): FilterGradAttrs {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs ?? {};
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got dataFormat ${JSON.stringify(dataFormat)}`);
  }
  if (!isNumberTuple(filterShape, 4)) throw attrError('filterShape', filterShape);
  const [kh, kw, c, oc] = filterShape;
  return { strides: stridesAttr(strides), pad: padAttr(pad), dimRoundingMode: roundingAttr(dimRoundingMode), filterShape: [kh, kw, c, oc] };
}

function rank4(info: TensorInfo, name: string): Quad {
  const [n, h, w, c] = info.shape;
  if (info.shape.length !== 4)
    throw new Error(`Conv2DBackpropFilter (wasm): ${name} must be rank 4 (NHWC), got [${info.shape.join(', ')}]`);
  return [n, h, w, c];
}

function float32View(backend: BackendWasm, info: TensorInfo, name: string): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`Conv2DBackpropFilter (wasm): ${name} must be float32, got ${info.dtype}`);
  return view;
}

function namedInput(inputs: NamedTensorInfoMap, name: 'x' | 'dy'): TensorInfo {
  const info = inputs[name];
  if (info === undefined) throw new Error(`Conv2DBackpropFilter (wasm): input ${name} is missing`);
  return info;
}

/**
 * The kernel: ∂L/∂W of a 2-D convolution on the wasm backend, as im2col + `BatchMatMul`.
 * @example
 * registerKernel(WASM_CONV2D_BACKPROP_FILTER);
 * tf.grad((w) => tf.conv2d(x, w, 1, 'same'))(w) // now works with tf.setBackend('wasm')
 */
export function conv2dBackpropFilterWasm({
  inputs,
  backend,
  attrs,
}: {
  inputs: NamedTensorInfoMap;
  backend: object;
  attrs?: NamedAttrMap;
}): TensorInfo {
  if (!(backend instanceof BackendWasm))
    throw new Error('Conv2DBackpropFilter (wasm): registered for the wasm backend, called with another');
  const x = namedInput(inputs, 'x');
  const dy = namedInput(inputs, 'dy');
  const { strides, pad, dimRoundingMode, filterShape } = filterGradAttrs(attrs);
  const info = backend_util.computeConv2DInfo(rank4(x, 'x'), filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [, dyHeight, dyWidth, dyChannels] = rank4(dy, 'dy');
  if (dyHeight !== info.outHeight || dyWidth !== info.outWidth || dyChannels !== info.outChannels || dy.shape[0] !== info.batchSize) {
    throw new Error(
      `Conv2DBackpropFilter (wasm): dy is [${dy.shape.join(', ')}], the convolution's output is [${info.outShape.join(', ')}]`,
    );
  }
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: OC } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { top: ph, left: pw } = info.padInfo;
  const rows = N * OH * OW;
  const columns = KH * KW * C;

  // colsᵀ[(p,q,c), (n,x,y)] = x_pad[n, x·sh + p − ph, y·sw + q − pw, c], 0 in the padding. Laid
  // out transposed so that the product needs no transpose: the wasm matmul with transposeA was much
  // slower at these shapes (measured once, not recorded).
  const colsT = backend.makeOutput([1, columns, rows], 'float32');
  const colsValues = float32View(backend, colsT, 'cols');
  const xValues = float32View(backend, x, 'x');
  for (let p = 0; p < KH; p++) {
    for (let q = 0; q < KW; q++) {
      for (let c = 0; c < C; c++) {
        let at = ((p * KW + q) * C + c) * rows;
        for (let n = 0; n < N; n++) {
          for (let ox = 0; ox < OH; ox++) {
            const ix = ox * sh + p - ph;
            const inside = ix >= 0 && ix < H;
            for (let oy = 0; oy < OW; oy++, at++) {
              const iy = oy * sw + q - pw;
              colsValues[at] = inside && iy >= 0 && iy < W ? xValues[((n * H + ix) * W + iy) * C + c] : 0;
            }
          }
        }
      }
    }
  }

  const matMul = getKernel(BatchMatMul, 'wasm');
  if (matMul === undefined) throw new Error('Conv2DBackpropFilter (wasm): the wasm backend has no BatchMatMul kernel registered');
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, OC], dtype: 'float32' };
  const product = matMul.kernelFunc({ inputs: { a: colsT, b: dyMatrix }, backend, attrs: { transposeA: false, transposeB: false } });
  backend.disposeData(colsT.dataId);
  if (Array.isArray(product)) throw new Error('Conv2DBackpropFilter (wasm): BatchMatMul returned several tensors');
  return { dataId: product.dataId, shape: [KH, KW, C, OC], dtype: 'float32' };
}

/** The registration: `registerKernel(WASM_CONV2D_BACKPROP_FILTER)` once, before training on wasm. */
export const WASM_CONV2D_BACKPROP_FILTER: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm,
};

/** Registers {@link WASM_CONV2D_BACKPROP_FILTER} unless a `Conv2DBackpropFilter` for wasm is already registered. */
export function registerWasmConv2dBackpropFilter(): void {
  if (getKernel(Conv2DBackpropFilter, 'wasm') === undefined) registerKernel(WASM_CONV2D_BACKPROP_FILTER);
}
