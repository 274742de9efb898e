/**
 * The `Conv2DBackpropFilter` kernel that TensorFlow.js's wasm backend lacks (4.22 registers
 * `Conv2D` and `Conv2DBackpropInput` but not the filter gradient), so a conv net cannot train on it
 * without this file. The benchmark registers it before training its TensorFlow.js peer.
 *
 * The gradient of a convolution with respect to its filter (NHWC, filter `[KH,KW,C,OC]`):
 *
 *   ∂L/∂W[p,q,c,k] = Σₙ Σₓ Σᵧ x_pad[n, x·sh + p, y·sw + q, c] · dy[n, x, y, k]
 *
 * Two formulations, both on the wasm backend's own kernels, are written out (a fair peer uses the
 * fastest that tfjs allows):
 * - `conv` (registered by default): tfjs's own Conv2D on transposed tensors
 *   (`tfjs-filter-gradient-conv.ts`);
 * - `im2col`: im2col in JavaScript + BatchMatMul (`tfjs-filter-gradient-im2col.ts`).
 *
 * `conv` measured faster: the filter gradients of LeNet's C1 and C3 at batch 256 took about half
 * the time of im2col's, on one core of a shared machine, and the peer's step followed.
 * `npm run bench -- --peers --tfjs-filter-gradient im2col` measures the other one.
 *
 * Shapes: x `[N,H,W,C]`, dy `[N,OH,OW,OC]` → `[KH,KW,C,OC]`. Dilation 1 (what the op allows with
 * strides > 1), NHWC only (the wasm backend's convolutions are NHWC).
 * @module
 */
import {
  backend_util,
  Conv2DBackpropFilter,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Attribute,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { filterGradientByConv } from './tfjs-filter-gradient-conv.js';
import { filterGradientByIm2col } from './tfjs-filter-gradient-im2col.js';

/** How the filter gradient is computed: see the module's comment. */
export const FILTER_GRADIENT_FORMULATIONS = ['conv', 'im2col'] as const;

/** One of {@link FILTER_GRADIENT_FORMULATIONS}. */
export type FilterGradientFormulation = (typeof FILTER_GRADIENT_FORMULATIONS)[number];

/** The formulation the benchmark's peer uses: the faster one. */
export const FASTEST_FILTER_GRADIENT: FilterGradientFormulation = 'conv';

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

function namedInput(inputs: NamedTensorInfoMap, name: 'x' | 'dy'): TensorInfo {
  const info = inputs[name];
  if (info === undefined) throw new Error(`Conv2DBackpropFilter (wasm): input ${name} is missing`);
  return info;
}

/**
 * The kernel: ∂L/∂W of a 2-D convolution on the wasm backend, by `formulation`.
 * @example
 * registerKernel({ kernelName: Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm('conv') });
 * tf.grad((w) => tf.conv2d(x, w, 1, 'same'))(w) // now works with tf.setBackend('wasm')
 */
export function conv2dBackpropFilterWasm(formulation: FilterGradientFormulation): KernelFunc {
  return ({ inputs, backend, attrs }) => {
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
    return formulation === 'conv' ? filterGradientByConv(backend, info, x, dy) : filterGradientByIm2col(backend, info, x, dy);
  };
}

/**
 * Registers the wasm backend's `Conv2DBackpropFilter` by `formulation` (the faster one unless
 * told), in place of any registered before.
 */
export function registerWasmConv2dBackpropFilter(formulation: FilterGradientFormulation = FASTEST_FILTER_GRADIENT): void {
  if (getKernel(Conv2DBackpropFilter, 'wasm') !== undefined) unregisterKernel(Conv2DBackpropFilter, 'wasm');
  registerKernel({ kernelName: Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm(formulation) });
}
