/**
 * Guide 3's generated parts: convolution, padding, stride and pooling computed by `@lenet/core`
 * (on the CPU backend), each checked against d2l's published numbers or a float64 formula, and the
 * rot180 of backprop shown on real gradients.
 * @module
 */
import { avgPool2d, computeConv2dInfo, computePool2dInfo, conv2d, maxPool2d, tensor, type Tensor } from '@lenet/core';
import type { Fragments } from '../fragments.js';
import { assertClose } from '../check.js';
import { markdownTable, texMatrix } from '../markdown.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Returns guide 3's fragments. */
export async function convolutionSection(): Promise<Fragments> {
  const input = tensor(range(9), [1, 1, 3, 3]);
  const kernel = tensor(range(4), [1, 1, 2, 2]);

  // d2l §7.2.1: the 3×3 input 0..8 with the 2×2 kernel 0..3 gives [[19, 25], [37, 43]].
  const plain = await conv2d(input, kernel).data();
  assertClose('conv2d worked example (d2l 7.2.1)', plain, [19, 25, 37, 43]);

  const padded = conv2d(input, kernel, { padding: 1 });
  const paddedValues = await padded.data();
  assertClose('conv2d with padding 1', paddedValues, crossCorrelate(range(9), 3, 3, range(4), 2, 2, 1, 1, 1, 1).values);
  const strided = conv2d(input, kernel, { padding: 1, stride: [3, 2] });
  const strideRef = crossCorrelate(range(9), 3, 3, range(4), 2, 2, 1, 1, 3, 2);
  assertClose('conv2d with padding 1, stride (3, 2)', await strided.data(), strideRef.values);

  // d2l §7.5.1: 2×2 max and average pooling, stride 1, of the same input.
  const maxPooled = await maxPool2d(input, { kernelSize: 2, stride: 1 }).data();
  const avgPooled = await avgPool2d(input, { kernelSize: 2, stride: 1 }).data();
  assertClose('max pooling (d2l 7.5.1)', maxPooled, [4, 5, 7, 8]);
  assertClose('average pooling (d2l 7.5.1)', avgPooled, [2, 3, 5, 6]);

  // Backprop through the convolution: the input gradient is the output gradient, padded by k − 1,
  // cross-correlated with the kernel rotated by 180°; the filter gradient is the input
  // cross-correlated with the output gradient.
  const x = tensor(range(9), [1, 1, 3, 3], { requiresGrad: true });
  const w = tensor(range(4), [1, 1, 2, 2], { requiresGrad: true });
  const outputGrad = [1, -1, 2, 0.5];
  conv2d(x, w).backward(tensor(outputGrad, [1, 1, 2, 2]));
  const inputGrad = await gradOf(x).data();
  const filterGrad = await gradOf(w).data();
  const rotated = rot180(range(4), 2, 2);
  const inputGradRef = crossCorrelate(outputGrad, 2, 2, rotated, 2, 2, 1, 1, 1, 1).values;
  const filterGradRef = crossCorrelate(range(9), 3, 3, outputGrad, 2, 2, 0, 0, 1, 1).values;
  assertClose('conv2d input gradient = pad(g) ⋆ rot180(w)', inputGrad, inputGradRef);
  assertClose('conv2d filter gradient = a ⋆ g', filterGrad, filterGradRef);

  const X = texMatrix(range(9), 3, 3);
  const K = texMatrix(range(4), 2, 2);
  const shapeRows = lenetShapeRows();
  return {
    'conv-example': `$$\n${X} \\star ${K} = ${texMatrix(plain, 2, 2)}\n$$`,
    'conv-padding': `$$\n\\operatorname{pad}_1\\!\\left(${X}\\right) \\star ${K} = ${texMatrix(paddedValues, 4, 4)}\n$$`,
    'conv-stride': `$$\n\\operatorname{pad}_1\\!\\left(${X}\\right) \\star_{(3,2)} ${K} = ${texMatrix(strideRef.values, strideRef.rows, strideRef.cols)}\n$$`,
    'pool-example': [
      `$$\n\\operatorname{maxpool}_{2\\times2}\\!\\left(${X}\\right) = ${texMatrix(maxPooled, 2, 2)}\n$$`,
      `$$\n\\operatorname{avgpool}_{2\\times2}\\!\\left(${X}\\right) = ${texMatrix(avgPooled, 2, 2)}\n$$`,
    ].join('\n\n'),
    'conv-backprop': [
      `With $a = ${X}$, $w = ${K}$ and the gradient arriving at the output $g = \\partial L / \\partial z = ${texMatrix(outputGrad, 2, 2)}$:`,
      '',
      `$$\n\\operatorname{rot180}(w) = ${texMatrix(rotated, 2, 2)}, \\qquad \\frac{\\partial L}{\\partial a} = \\operatorname{pad}_1(g) \\star \\operatorname{rot180}(w) = ${texMatrix(inputGrad, 3, 3)}\n$$`,
      '',
      `$$\n\\frac{\\partial L}{\\partial w} = a \\star g = ${texMatrix(filterGrad, 2, 2)}\n$$`,
    ].join('\n'),
    'lenet-shapes': markdownTable(['layer', 'input', 'window', 'stride', 'padding', 'output'], shapeRows, ['l', 'l', 'l', 'l', 'l', 'l']),
  };
}

/** LeNet's feature-map sizes through its four windowed layers, from the one shape helper. */
function lenetShapeRows(): string[][] {
  const c1 = computeConv2dInfo([1, 1, 28, 28], [6, 1, 5, 5], 1, 2, 'C1');
  const s2 = computePool2dInfo(c1.outShape, 2, 2, 0, 'S2');
  const c3 = computeConv2dInfo(s2.outShape, [16, 6, 5, 5], 1, 0, 'C3');
  const s4 = computePool2dInfo(c3.outShape, 2, 2, 0, 'S4');
  const row = (name: string, info: typeof c1): string[] => [
    name,
    `${info.inHeight} × ${info.inWidth}`,
    `${info.kernelHeight} × ${info.kernelWidth}`,
    String(info.strideHeight),
    String(info.padHeight),
    `${info.outHeight} × ${info.outWidth}`,
  ];
  return [row('C1 (conv)', c1), row('S2 (pool)', s2), row('C3 (conv)', c3), row('S4 (pool)', s4)];
}

/** Formula (1) in float64, one channel: out(x, y) = Σ_u Σ_v a(x·sx + u − px, y·sy + v − py) · k(u, v). */
function crossCorrelate(
  a: readonly number[],
  h: number,
  wd: number,
  k: readonly number[],
  kh: number,
  kw: number,
  padX: number,
  padY: number,
  sx: number,
  sy: number,
): { values: number[]; rows: number; cols: number } {
  const rows = Math.floor((h + 2 * padX - kh) / sx) + 1;
  const cols = Math.floor((wd + 2 * padY - kw) / sy) + 1;
  const values: number[] = [];
  for (let x = 0; x < rows; x++) {
    for (let y = 0; y < cols; y++) {
      let sum = 0;
      for (let u = 0; u < kh; u++) {
        for (let v = 0; v < kw; v++) {
          const i = x * sx + u - padX;
          const j = y * sy + v - padY;
          if (i >= 0 && i < h && j >= 0 && j < wd) sum += a[i * wd + j] * k[u * kw + v];
        }
      }
      values.push(sum);
    }
  }
  return { values, rows, cols };
}

/** The kernel turned by 180°: rot180(k)(u, v) = k(p − u, q − v). */
function rot180(k: readonly number[], kh: number, kw: number): number[] {
  const out: number[] = [];
  for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) out.push(k[(kh - 1 - u) * kw + (kw - 1 - v)]);
  return out;
}

function gradOf(t: Tensor): Tensor {
  if (t.grad === null) throw new Error('docs generate: conv2d backprop example: a tensor has no gradient after backward()');
  return t.grad;
}
