/**
 * Sums and means, and the two kernels behind broadcasting: `sumTo` (many → few) and
 * `broadcastTo` (few → many). Each is the other's gradient.
 * @module
 */
import { record } from '../autograd/record.js';
import { expandRank } from '../shape/broadcast.js';
import { formatShape, shapesEqual, sizeOf, type Shape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { tidy } from '../engine/memory.js';
import { checkInputs } from './checks.js';
import { reshape } from './reshape.js';

/**
 * Sums `x` down to `shape`, the shape of an operand that was broadcast to x's shape: the gradient of
 * broadcasting. `[4,5,3]` → `[5,1]` sums over axes 0 and 2.
 *
 *   ∂L/∂b = Σ over the broadcast axes of ∂L/∂(a ∘ b)
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  checkInputs('sumTo', x);
  // Always a new tensor (here one sharing x's buffer), so disposing the result never frees x.
  if (shapesEqual(x.shape, shape)) return reshape(x, shape);
  const target = expandRank(shape, x.rank);
  if (shape.length > x.rank || target.some((extent, axis) => extent !== 1 && extent !== x.shape[axis])) {
    throw new RangeError(`sumTo: ${formatShape(x.shape)} cannot be summed to ${formatShape(shape)} (each target axis must be 1 or equal)`);
  }
  return tidy(() => {
    const summed = record('sumTo', [x], x.backend.sumTo(x, target), target, (dy) => [broadcastTo(dy, x.shape)]);
    return shapesEqual(target, shape) ? summed : reshape(summed, shape);
  });
}

/**
 * Repeats `x` along its size-1 axes (and new leading axes) up to `shape`. Its gradient sums back.
 * `[1,3]` → `[2,3]` copies the row twice.
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  checkInputs('broadcastTo', x);
  if (shapesEqual(x.shape, shape)) return reshape(x, shape);
  const source = expandRank(x.shape, shape.length);
  if (x.rank > shape.length || source.some((extent, axis) => extent !== 1 && extent !== shape[axis])) {
    throw new RangeError(`broadcastTo: ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}`);
  }
  return tidy(() => {
    const input = shapesEqual(source, x.shape) ? x : reshape(x, source);
    return record('broadcastTo', [input], x.backend.broadcastTo(input, shape), shape, (dy) => [sumTo(dy, source)]);
  });
}

/** Normalises `axes` (negative counts from the end) and checks them. */
function resolveAxes(op: string, x: Tensor, axes: readonly number[] | undefined): number[] {
  if (axes === undefined) return x.shape.map((_, axis) => axis);
  return axes.map((axis) => {
    const resolved = axis < 0 ? axis + x.rank : axis;
    if (!Number.isInteger(resolved) || resolved < 0 || resolved >= x.rank) {
      throw new RangeError(`${op}: axis ${axis} is out of range for ${formatShape(x.shape)} (rank ${x.rank})`);
    }
    return resolved;
  });
}

function reducedShapes(x: Tensor, axes: number[]): { kept: Shape; dropped: Shape } {
  const kept = x.shape.map((extent, axis) => (axes.includes(axis) ? 1 : extent));
  const dropped = x.shape.filter((_, axis) => !axes.includes(axis));
  return { kept, dropped };
}

/**
 * Σ of `x` over `axes` (all axes by default). With `keepDims` the summed axes stay as 1s.
 * @example sum(tensor([1,2,3,4],[2,2]), [1]) // [3, 7]
 */
export function sum(x: Tensor, axes?: readonly number[], keepDims = false): Tensor {
  checkInputs('sum', x);
  const resolved = resolveAxes('sum', x, axes);
  const { kept, dropped } = reducedShapes(x, resolved);
  return tidy(() => {
    const summed = sumTo(x, kept);
    return keepDims ? summed : reshape(summed, dropped);
  });
}

/** The mean of `x` over `axes` (all by default): Σ / count. */
export function mean(x: Tensor, axes?: readonly number[], keepDims = false): Tensor {
  checkInputs('mean', x);
  const resolved = resolveAxes('mean', x, axes);
  const count = sizeOf(resolved.map((axis) => x.shape[axis]));
  return tidy(() => sum(x, resolved, keepDims).mul(1 / count));
}
