/**
 * Guide 1's generated parts: a short session with tensors whose printed results are what the code
 * really returned at build time.
 * @module
 */
import { nn, Rng, formatShape, tensor, type Tensor } from '@lenet/core';
import { imageLoader, loadFashionMnist } from '@lenet/models';
import type { Fragments } from '../fragments.js';
import { codeBlock, formatNumber, markdownTable } from '../markdown.js';

/** Returns guide 1's fragments. */
export async function tensorsSection(): Promise<Fragments> {
  const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  const lines: string[] = [];
  const show = async (code: string, value: Tensor | string): Promise<void> => {
    const text = typeof value === 'string' ? value : await describe(value);
    lines.push(`${code.padEnd(44)}// ${text}`);
  };
  lines.push('const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);');
  await show('x.shape', formatShape(x.shape));
  await show('x.add(10)', x.add(10));
  await show('x.mul(x)', x.mul(x));
  await show('x.sum([1])', x.sum([1]));
  await show('x.mean()', x.mean());
  await show('x.reshape([3, 2])', x.reshape([3, 2]));
  await show('x.matmul(x.reshape([3, 2]))', x.matmul(x.reshape([3, 2])));
  await show('x.sub(3).relu()', x.sub(3).relu());

  const layer = new nn.Linear(3, 2, { rng: new Rng(0) });
  const parameterRows = layer
    .namedParameters()
    .map(([name, parameter]) => [`\`${name}\``, formatShape(parameter.shape), String(parameter.size), String(parameter.requiresGrad)]);
  const data = loadFashionMnist();
  const loader = imageLoader(data.train, { batchSize: 256, shuffle: true, seed: 1 });
  const first = loader.batches(0).next();
  if (first.done === true) throw new Error('docs generate: the Fashion-MNIST loader produced no batch');
  const batch = first.value;
  const firstLabels = Array.from(batch.labels.subarray(0, 5), (label) => `${label} (${data.classNames[label]})`);
  const loaderSession = [
    'const data = loadFashionMnist();                 // the IDX files shipped with @lenet/models',
    `data.train.count                                 // ${data.train.count}`,
    `data.test.count                                  // ${data.test.count}`,
    'const loader = imageLoader(data.train, { batchSize: 256, shuffle: true, seed: 1 });',
    `loader.numBatches                                // ${loader.numBatches}  (⌈${data.train.count} / 256⌉)`,
    'const batch = loader.batches(0).next().value;    // epoch 0, first batch',
    `batch.shape                                      // [${batch.shape.join(', ')}]`,
    `batch.labels.slice(0, 5)                         // ${firstLabels.join(', ')}`,
  ].join('\n');
  return {
    'tensors-dataloader': codeBlock('ts', loaderSession),
    'tensors-session': codeBlock('ts', lines.join('\n')),
    'tensors-parameters': markdownTable(['name', 'shape', 'values', 'requiresGrad'], parameterRows, ['l', 'l', 'r', 'l']),
  };
}

async function describe(t: Tensor): Promise<string> {
  const values = Array.from(await t.data(), (v) => formatNumber(v, 4));
  if (t.rank === 0) return values[0];
  if (t.rank === 2) {
    const cols = t.shape[1];
    const rows: string[] = [];
    for (let r = 0; r < t.shape[0]; r++) rows.push(`[${values.slice(r * cols, (r + 1) * cols).join(', ')}]`);
    return `[${rows.join(', ')}]`;
  }
  return `[${values.join(', ')}]`;
}
