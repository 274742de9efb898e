/**
 * Guide 2's generated parts: a worked backward pass, checked against the chain rule by hand, and the
 * picture of its graph drawn by `toDot`.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, toDot, topologicalOrder, formatShape, type Tensor } from '@lenet/core';
import type { Fragments } from '../fragments.js';
import { renderDot } from '../graphviz.js';
import { assertClose } from '../check.js';
import { formatNumber, markdownTable } from '../markdown.js';

/** The example's inputs: L = (σ(w·x + b) − t)². */
const X = 1.5;
const W = 0.8;
const B = -0.2;
const T = 1;

/** Writes `expression-graph.svg` into `mediaDir` and returns the worked example's fragments. */
export async function autogradSection(mediaDir: string): Promise<Fragments> {
  // By hand, in float64: the forward values and the chain rule, one local derivative at a time.
  const z = W * X + B;
  const y = 1 / (1 + Math.exp(-z));
  const d = y - T;
  const loss = d * d;
  const dLossDd = 2 * d;
  const dLossDy = dLossDd * 1;
  const dLossDz = dLossDy * y * (1 - y);
  const dLossDw = dLossDz * X;
  const dLossDb = dLossDz * 1;

  // The same expression in LeNet.ts, differentiated by backward().
  const x = named(tensor([X], [1]), 'x');
  const w = named(tensor([W], [1], { requiresGrad: true }), 'w');
  const b = named(tensor([B], [1], { requiresGrad: true }), 'b');
  const t = named(tensor([T], [1]), 't');
  const wx = named(w.mul(x), 'w·x');
  const zTensor = named(wx.add(b), 'z');
  const yTensor = named(zTensor.sigmoid(), 'y');
  const dTensor = named(yTensor.sub(t), 'd');
  const lossTensor = named(dTensor.square(), 'L');
  const order = topologicalOrder(lossTensor);
  lossTensor.backward();
  const gradW = await requireGrad(w).data();
  const gradB = await requireGrad(b).data();
  assertClose('autograd example: loss', await lossTensor.data(), [loss]);
  assertClose('autograd example: ∂L/∂w', gradW, [dLossDw]);
  assertClose('autograd example: ∂L/∂b', gradB, [dLossDb]);

  writeFileSync(
    join(mediaDir, 'expression-graph.svg'),
    renderDot(toDot(lossTensor, 'L = (sigmoid(w·x + b) − t)²'), 'the expression graph'),
  );

  const f = (v: number): string => formatNumber(v, 6);
  const forward = markdownTable(
    ['node', 'formula', 'value'],
    [
      ['$z$', `$w x + b = ${f(W)} \\cdot ${f(X)} + (${f(B)})$`, f(z)],
      ['$y$', '$\\sigma(z) = 1 / (1 + e^{-z})$', f(y)],
      ['$d$', `$y - t = ${f(y)} - ${f(T)}$`, f(d)],
      ['$L$', '$d^2$', f(loss)],
    ],
    ['l', 'l', 'r'],
  );
  const backward = markdownTable(
    ['gradient', 'chain rule', 'value'],
    [
      ['$\\partial L/\\partial L$', 'the seed', '1'],
      ['$\\partial L/\\partial d$', '$2d$', f(dLossDd)],
      ['$\\partial L/\\partial y$', '$\\partial L/\\partial d \\cdot 1$', f(dLossDy)],
      ['$\\partial L/\\partial z$', '$\\partial L/\\partial y \\cdot \\sigma(z)(1-\\sigma(z))$', f(dLossDz)],
      ['$\\partial L/\\partial w$', '$\\partial L/\\partial z \\cdot x$', f(dLossDw)],
      ['$\\partial L/\\partial b$', '$\\partial L/\\partial z \\cdot 1$', f(dLossDb)],
    ],
    ['l', 'l', 'r'],
  );
  const comparison = markdownTable(
    ['', 'by hand (float64)', '`backward()` (float32)'],
    [
      ['$\\partial L/\\partial w$', f(dLossDw), f(gradW[0])],
      ['$\\partial L/\\partial b$', f(dLossDb), f(gradB[0])],
    ],
    ['l', 'r', 'r'],
  );
  const walk = markdownTable(
    ['position', 'tensor', 'made by', 'shape'],
    order.map((node, i) => [String(i), node.name ?? `tensor ${node.id}`, node.op ?? 'leaf', formatShape(node.shape)]),
    ['r', 'l', 'l', 'l'],
  );
  return {
    'autograd-inputs': `$x = ${f(X)}$, $w = ${f(W)}$, $b = ${f(B)}$ and target $t = ${f(T)}$`,
    'autograd-forward': forward,
    'autograd-backward': backward,
    'autograd-comparison': comparison,
    'autograd-order': walk,
    'autograd-expression-graph': '![The graph of L = (σ(w·x + b) − t)², drawn by toDot](./media/expression-graph.svg)',
  };
}

function named(t: Tensor, name: string): Tensor {
  t.name = name;
  return t;
}

function requireGrad(t: Tensor): Tensor {
  if (t.grad === null) throw new Error(`docs generate: ${t.name ?? 'a tensor'} has no gradient after backward()`);
  return t.grad;
}
