/**
 * Guide 1's generated parts: a short session with tensors whose printed results are what the code
 * really returned at build time.
 * @module
 */
import { nn, Rng, formatShape, tensor, type Tensor } from '@lenet/core';
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
  const parameterRows = layer.namedParameters().map(([name, parameter]) => [
    `\`${name}\``,
    formatShape(parameter.shape),
    String(parameter.size),
    String(parameter.requiresGrad),
  ]);
  return {
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
