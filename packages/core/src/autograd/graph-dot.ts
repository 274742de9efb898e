/**
 * Pictures of the computational graph: `toDot(t)` writes the graph that made `t` in Graphviz's DOT
 * language — ops as boxes, leaves (data, parameters) as ellipses, each edge labelled with the
 * shape of the tensor it carries. Render it with `dot -Tsvg`, or any DOT viewer.
 * @module
 */
import { formatShape } from '../shape/shape.js';
import type { Tensor } from '../tensor/tensor.js';

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The graph behind `root` in DOT. Every tensor reached through `inputs` is drawn, whether or not
 * it requires a gradient.
 * @example
 * const y = x.mul(w).add(b).sigmoid();
 * console.log(toDot(y)); // digraph { ... "mul" -> "add" [label="[2,3]"] ... }
 */
export function toDot(root: Tensor, title = 'computational graph'): string {
  const lines = [
    'digraph {',
    `  label=${quote(title)}; labelloc=t; rankdir=LR;`,
    '  node [fontname="Helvetica", fontsize=11]; edge [fontname="Helvetica", fontsize=9];',
  ];
  const seen = new Set<Tensor>();
  const stack = [root];
  for (let tensor = stack.pop(); tensor !== undefined; tensor = stack.pop()) {
    if (seen.has(tensor)) continue;
    seen.add(tensor);
    const id = `t${tensor.id}`;
    if (tensor.op === null) {
      const label = `${tensor.name ?? (tensor.requiresGrad ? 'parameter' : 'input')}\\n${formatShape(tensor.shape)}`;
      const style = tensor.requiresGrad ? 'shape=ellipse, style=filled, fillcolor="#fde9c9"' : 'shape=ellipse';
      lines.push(`  ${id} [label=${quote(label).replace(/\\\\n/g, '\\n')}, ${style}];`);
    } else {
      lines.push(`  ${id} [label=${quote(tensor.op)}, shape=box, style=filled, fillcolor="#dbe8fb"];`);
    }
    for (const input of tensor.inputs) {
      lines.push(`  t${input.id} -> ${id} [label=${quote(formatShape(input.shape))}];`);
      stack.push(input);
    }
  }
  if (root.op !== null) {
    lines.push(`  out [label=${quote(`output\\n${formatShape(root.shape)}`).replace(/\\\\n/g, '\\n')}, shape=plaintext];`);
    lines.push(`  t${root.id} -> out [label=${quote(formatShape(root.shape))}];`);
  }
  lines.push('}');
  return lines.join('\n');
}
