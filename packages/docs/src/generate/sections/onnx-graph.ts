/**
 * Guide 7's pictures: the exported ONNX graphs, drawn with Graphviz from the nodes of the files
 * themselves — the recorded run's committed `model.onnx` (lenet5) and lenet5-classic exported from
 * its initial weights — and the facts the file states about itself (versions, input, output, metadata).
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Rng } from '@lenet/core';
import { exportOnnx, FASHION_MNIST_CLASS_NAMES, getModelSpec, readOnnxOutline, type OnnxModelOutline } from '@lenet/models';
import type { Fragments } from '../fragments.js';
import { renderDot } from '../graphviz.js';
import { markdownTable } from '../markdown.js';
import { PACKAGES_DIR } from '../paths.js';
import { RECORDED_RUNS_DIR } from '../recorded-run.js';

/** The recorded run whose `model.onnx` is committed (its README gives the command that wrote it). */
export const ONNX_RECORDED_RUN = join(RECORDED_RUNS_DIR, '2026-12-01-lenet5-webasm-lanes');

/** A DOT string literal. */
function quoted(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(',')}]`;
}

/**
 * The graph as DOT: one box per node (operator, output name, and the weights it reads with their
 * shapes), an edge per value passed from node to node, labelled with the value's name.
 */
export function onnxGraphDot(outline: OnnxModelOutline, title: string): string {
  const weights = new Map(outline.initializers.map((weight) => [weight.name, weight.shape]));
  const producer = new Map<string, string>();
  const lines = [`digraph onnx {`, `  rankdir=TB; label=${quoted(title)}; labelloc=t; fontname="Helvetica";`];
  lines.push('  node [fontname="Helvetica", fontsize=10]; edge [fontname="Helvetica", fontsize=9, color="#555555"];');
  for (const input of outline.inputs) {
    lines.push(
      `  ${quoted(`in:${input.name}`)} [shape=oval, style=filled, fillcolor="#e8f0fe", label=${quoted(`${input.name}\nfloat32 ${shapeText(input.shape)}`)}];`,
    );
    producer.set(input.name, `in:${input.name}`);
  }
  outline.nodes.forEach((node, index) => {
    const read = node.inputs.filter((name) => weights.has(name)).map((name) => `${name} ${shapeText(weights.get(name) ?? [])}`);
    const label = [`${node.opType}`, node.name, ...read].join('\n');
    lines.push(`  n${index} [shape=box, style="rounded,filled", fillcolor="#ffffff", label=${quoted(label)}];`);
    for (const name of node.inputs) {
      const from = producer.get(name);
      if (from !== undefined) lines.push(`  ${from.startsWith('in:') ? quoted(from) : from} -> n${index} [label=${quoted(` ${name}`)}];`);
    }
    for (const name of node.outputs) producer.set(name, `n${index}`);
  });
  for (const output of outline.outputs) {
    lines.push(
      `  ${quoted(`out:${output.name}`)} [shape=oval, style=filled, fillcolor="#e6f4ea", label=${quoted(`${output.name}\nfloat32 ${shapeText(output.shape)}`)}];`,
    );
    const from = producer.get(output.name);
    if (from !== undefined) lines.push(`  ${from} -> ${quoted(`out:${output.name}`)};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** Writes `onnx-lenet5.svg` and `onnx-lenet5-classic.svg` into `mediaDir` and returns guide 7's fragments. */
export async function onnxGraphSection(mediaDir: string): Promise<Fragments> {
  const file = join(ONNX_RECORDED_RUN, 'model.onnx');
  if (!existsSync(file)) {
    throw new Error(`docs generate: ${file} is missing: write it with the command in ${join(ONNX_RECORDED_RUN, 'README.md')}`);
  }
  const recorded = readOnnxOutline(readFileSync(file));
  const shown = relative(join(PACKAGES_DIR, '..'), file);
  writeFileSync(
    join(mediaDir, 'onnx-lenet5.svg'),
    renderDot(onnxGraphDot(recorded, `${shown}: ${recorded.nodes.length} nodes`), 'the lenet5 ONNX graph'),
  );

  const classic = getModelSpec('lenet5-classic').build(new Rng(1));
  const classicOutline = readOnnxOutline(
    await exportOnnx(classic, { model: 'lenet5-classic', classNames: FASHION_MNIST_CLASS_NAMES, info: null }),
  );
  classic.dispose();
  writeFileSync(
    join(mediaDir, 'onnx-lenet5-classic.svg'),
    renderDot(
      onnxGraphDot(classicOutline, `lenet5-classic as ONNX: ${classicOutline.nodes.length} nodes`),
      'the lenet5-classic ONNX graph',
    ),
  );

  const input = recorded.inputs[0];
  const output = recorded.outputs[0];
  const metadata = markdownTable(
    ['key', 'value'],
    Object.entries(recorded.metadata).map(([key, value]) => [`\`${key}\``, value.length > 60 ? `${value.slice(0, 57)}…` : value]),
    ['l', 'l'],
  );
  return {
    'onnx-facts':
      `\`${shown}\` is ONNX IR version ${recorded.irVersion}, opset ${recorded.opset}: input \`${input.name}\` ` +
      `float32 \`${shapeText(input.shape)}\`, output \`${output.name}\` float32 \`${shapeText(output.shape)}\`, ` +
      `${recorded.nodes.length} nodes and ${recorded.initializers.length} initializers. Its \`doc_string\`:\n\n` +
      `\`\`\`text\n${recorded.doc}\n\`\`\`\n\nIts \`metadata_props\` (long values cut here):\n\n${metadata}`,
    'onnx-graph-lenet5': '[![The recorded run’s model.onnx, drawn from its nodes](./media/onnx-lenet5.svg)](./media/onnx-lenet5.svg)',
    'onnx-graph-classic':
      '[![lenet5-classic exported to ONNX, drawn from its nodes](./media/onnx-lenet5-classic.svg)](./media/onnx-lenet5-classic.svg)',
  };
}
