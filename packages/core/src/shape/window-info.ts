/**
 * The one helper that computes the output shape and padding of every sliding-window op
 * (convolution and pooling), for core, both backends and the docs — as tfjs's `computeConv2DInfo`.
 *
 * For an input extent H, kernel extent kh, padding ph on both sides and stride sh:
 *
 *   outH = ⌊(H + 2·ph − kh) / sh⌋ + 1
 *
 * Example: LeNet's C1 on Fashion-MNIST, H = 28, kh = 5, ph = 2, sh = 1 → outH = 28;
 * S2, H = 28, kh = 2, ph = 0, sh = 2 → outH = 14.
 * @module
 */
import { formatShape, type Shape } from './shape.js';

/** A size given once for both axes, or as `[height, width]`. */
export type PairLike = number | readonly [number, number];

/** Everything a convolution or pooling kernel needs to know, computed once by core. */
export interface WindowInfo {
  /** N, images in the batch. */
  readonly batch: number;
  /** C, channels of the input. */
  readonly inChannels: number;
  /** H, rows of the input. */
  readonly inHeight: number;
  /** W, columns of the input. */
  readonly inWidth: number;
  /** Filters of a convolution; equal to `inChannels` for pooling. */
  readonly outChannels: number;
  /** kh, rows of the window (p + 1 in formula (1)). */
  readonly kernelHeight: number;
  /** kw, columns of the window (q + 1 in formula (1)). */
  readonly kernelWidth: number;
  /** sh, rows between vertically neighbouring windows. */
  readonly strideHeight: number;
  /** sw, columns between horizontally neighbouring windows. */
  readonly strideWidth: number;
  /** Zero rows added above and below the input. */
  readonly padHeight: number;
  /** Zero columns added left and right of the input. */
  readonly padWidth: number;
  /** outH = ⌊(H + 2·ph − kh)/sh⌋ + 1, rows of the output. */
  readonly outHeight: number;
  /** outW = ⌊(W + 2·pw − kw)/sw⌋ + 1, columns of the output. */
  readonly outWidth: number;
  /** `[batch, inChannels, inHeight, inWidth]` */
  readonly inShape: Shape;
  /** `[batch, outChannels, outHeight, outWidth]` */
  readonly outShape: Shape;
  /** `[outChannels, inChannels, kernelHeight, kernelWidth]` for a convolution; `[]` for pooling. */
  readonly filterShape: Shape;
}

/**
 * The numbers of a {@link WindowInfo}, without its shapes: what a GPU kernel is compiled with (gpu.js
 * bakes plain numbers into the shader as literals).
 */
export type WindowExtents = Omit<WindowInfo, 'inShape' | 'outShape' | 'filterShape'>;

/** {@link WindowInfo}'s numbers without its three shapes. */
export function windowExtents(info: WindowInfo): WindowExtents {
  const { inShape, outShape, filterShape, ...extents } = info;
  return extents;
}

/** Turns `2` or `[2, 3]` into `[height, width]`. */
export function toPair(value: PairLike): readonly [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}

function checkPositiveInteger(op: string, what: string, value: number, context: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${op}: ${what} must be a positive integer, got ${value} (${context})`);
  }
}

function checkNonNegativeInteger(op: string, what: string, value: number, context: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${op}: ${what} must be a non-negative integer, got ${value} (${context})`);
  }
}

function checkImageShape(op: string, name: string, shape: Shape): void {
  if (shape.length !== 4) {
    throw new RangeError(`${op}: ${name} has shape ${formatShape(shape)} but must be 4-D [batch, channels, height, width]`);
  }
  shape.forEach((extent, axis) => checkPositiveInteger(op, `${name} extent on axis ${axis}`, extent, `shape ${formatShape(shape)}`));
}

interface WindowGeometry {
  readonly op: string;
  readonly inShape: Shape;
  readonly outChannels: number;
  readonly kernel: readonly [number, number];
  readonly stride: PairLike;
  readonly padding: PairLike;
  readonly filterShape: Shape;
  readonly context: string;
}

function computeWindowInfo(g: WindowGeometry): WindowInfo {
  const [strideHeight, strideWidth] = toPair(g.stride);
  const [padHeight, padWidth] = toPair(g.padding);
  const [kernelHeight, kernelWidth] = g.kernel;
  checkPositiveInteger(g.op, 'stride (height)', strideHeight, g.context);
  checkPositiveInteger(g.op, 'stride (width)', strideWidth, g.context);
  checkNonNegativeInteger(g.op, 'padding (height)', padHeight, g.context);
  checkNonNegativeInteger(g.op, 'padding (width)', padWidth, g.context);
  checkPositiveInteger(g.op, 'kernel height', kernelHeight, g.context);
  checkPositiveInteger(g.op, 'kernel width', kernelWidth, g.context);
  const [batch, inChannels, inHeight, inWidth] = g.inShape;
  const paddedHeight = inHeight + 2 * padHeight;
  const paddedWidth = inWidth + 2 * padWidth;
  if (paddedHeight < kernelHeight || paddedWidth < kernelWidth) {
    throw new RangeError(
      `${g.op}: the kernel [${kernelHeight},${kernelWidth}] is larger than the padded input ` +
        `[${paddedHeight},${paddedWidth}] (${g.context}); use a smaller kernel or more padding`,
    );
  }
  const outHeight = Math.floor((paddedHeight - kernelHeight) / strideHeight) + 1;
  const outWidth = Math.floor((paddedWidth - kernelWidth) / strideWidth) + 1;
  return {
    batch,
    inChannels,
    inHeight,
    inWidth,
    outChannels: g.outChannels,
    kernelHeight,
    kernelWidth,
    strideHeight,
    strideWidth,
    padHeight,
    padWidth,
    outHeight,
    outWidth,
    inShape: [batch, inChannels, inHeight, inWidth],
    outShape: [batch, g.outChannels, outHeight, outWidth],
    filterShape: g.filterShape,
  };
}

/**
 * Checks a convolution's arguments and computes its {@link WindowInfo}.
 * @param inShape input `[N, C, H, W]`
 * @param filterShape filter `[K, C, kh, kw]` (PyTorch's layout)
 * @throws RangeError naming `conv2d`, the shapes and what was expected.
 * @example computeConv2dInfo([256,1,28,28], [6,1,5,5], 1, 2).outShape // [256,6,28,28]
 */
export function computeConv2dInfo(inShape: Shape, filterShape: Shape, stride: PairLike, padding: PairLike, op = 'conv2d'): WindowInfo {
  checkImageShape(op, 'input', inShape);
  const context = `input ${formatShape(inShape)}, filter ${formatShape(filterShape)}`;
  if (filterShape.length !== 4) {
    throw new RangeError(
      `${op}: filter has shape ${formatShape(filterShape)} but must be 4-D [outChannels, inChannels, kernelHeight, kernelWidth]`,
    );
  }
  filterShape.forEach((extent, axis) => checkPositiveInteger(op, `filter extent on axis ${axis}`, extent, context));
  if (filterShape[1] !== inShape[1]) {
    throw new RangeError(`${op}: the filter expects ${filterShape[1]} input channels but the input has ${inShape[1]} (${context})`);
  }
  return computeWindowInfo({
    op,
    inShape,
    outChannels: filterShape[0],
    kernel: [filterShape[2], filterShape[3]],
    stride,
    padding,
    filterShape,
    context,
  });
}

/**
 * Checks a pooling op's arguments and computes its {@link WindowInfo} (channels are kept).
 * @param inShape input `[N, C, H, W]`
 * @param kernelSize window `[kh, kw]` or one number for both
 * @param stride defaults to the kernel size, as in PyTorch
 * @example computePool2dInfo([256,6,28,28], 2).outShape // [256,6,14,14]
 */
export function computePool2dInfo(
  inShape: Shape,
  kernelSize: PairLike,
  stride: PairLike = kernelSize,
  padding: PairLike = 0,
  op = 'pool2d',
): WindowInfo {
  checkImageShape(op, 'input', inShape);
  const kernel = toPair(kernelSize);
  const context = `input ${formatShape(inShape)}, kernel [${kernel.join(',')}]`;
  // The kernel first: the padding rule below and the default stride (the kernel size) both depend on it.
  checkPositiveInteger(op, 'kernel height', kernel[0], context);
  checkPositiveInteger(op, 'kernel width', kernel[1], context);
  const [padHeight, padWidth] = toPair(padding);
  if (padHeight > kernel[0] / 2 || padWidth > kernel[1] / 2) {
    throw new RangeError(
      `${op}: padding [${padHeight},${padWidth}] must be at most half the kernel [${kernel.join(',')}] ` +
        `on each axis, or a window could hold only padding (${context})`,
    );
  }
  return computeWindowInfo({ op, inShape, outChannels: inShape[1], kernel, stride, padding, filterShape: [], context });
}
