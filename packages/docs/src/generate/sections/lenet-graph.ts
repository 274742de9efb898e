/**
 * Guide 2's second picture: the autograd graph of one LeNet-5 forward pass and its loss, for one real
 * Fashion-MNIST image, drawn by `toDot` from the graph `backward()` would walk.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, crossEntropy, tensor, toDot, topologicalOrder } from '@lenet/core';
import { getModelSpec, loadFashionMnist, scaleToUnitInterval } from '@lenet/models';
import type { Fragments } from '../fragments.js';
import { renderDot } from '../graphviz.js';

/** Writes `lenet5-graph.svg` into `mediaDir` and returns its fragments. */
export function lenetGraphSection(mediaDir: string): Fragments {
  const spec = getModelSpec('lenet5');
  const model = spec.build(new Rng(0)).nameParameters();
  const { test } = loadFashionMnist();
  const pixels = test.height * test.width;
  const image = tensor(scaleToUnitInterval(test.images.subarray(0, pixels)), [1, 1, test.height, test.width]);
  image.name = 'image';
  const label = tensor([test.labels[0]], [1]);
  label.name = 'label';
  const loss = crossEntropy(model.call(image), label);
  const dot = toDot(loss, 'one LeNet-5 forward pass and its cross-entropy loss');
  writeFileSync(join(mediaDir, 'lenet5-graph.svg'), renderDot(dot, 'the LeNet-5 graph', 'TB'));
  const order = topologicalOrder(loss);
  const ops = order.filter((node) => node.op !== null).length;
  const leaves = order.length - ops;
  return {
    'autograd-lenet-graph':
      `[![The autograd graph of one LeNet-5 forward pass, drawn by toDot](./media/lenet5-graph.svg)](./media/lenet5-graph.svg)\n\n` +
      `\`backward()\` on this loss walks ${order.length} tensors: ${ops} op outputs and ${leaves} parameters ` +
      `(\`0.weight\` … \`11.bias\`, named as PyTorch's \`state_dict()\`). The image and the label are drawn too, ` +
      'but they need no gradient, so the walk skips them.',
  };
}
