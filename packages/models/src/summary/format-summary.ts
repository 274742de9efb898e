/**
 * The text table of a model summary.
 * @module
 */
import type { ModelSummary } from './summary.js';

/** 61706 → `61,706`. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** `[1, 6, 28, 28]`, as PyTorch prints `torch.Size([1, 6, 28, 28])`. */
export function formatSummaryShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Renders a {@link ModelSummary} as a plain-text table, numbers right-aligned:
 *
 * ```text
 * #   layer      name  output shape     parameters  connections
 * 0   Conv2d     C1    [1, 6, 28, 28]          156      122,304
 * ...
 *     total                                 61,706      ...
 * ```
 */
export function formatSummary(summary: ModelSummary): string {
  const header = ['#', 'layer', 'name', 'output shape', 'parameters', 'connections'];
  const body = summary.rows.map((row) => [
    row.index,
    row.layer,
    row.label,
    formatSummaryShape(row.outputShape),
    formatCount(row.parameters),
    formatCount(row.connections),
  ]);
  const total = ['', 'total', '', '', formatCount(summary.totalParameters), formatCount(summary.totalConnections)];
  const table = [header, ...body, total];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
  const rightAligned = new Set([4, 5]);
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [`input shape ${formatSummaryShape(summary.inputShape)}`, render(header), rule, ...body.map(render), rule, render(total)].join(
    '\n',
  );
}

/**
 * The notes' loop, line for line: `for layer in net: X = layer(X); print(layer.__class__.__name__,
 * 'output shape:\t', X.shape)` — one `Conv2d output shape:\t[1, 6, 28, 28]` per layer.
 */
export function formatOutputShapes(summary: ModelSummary): string {
  return summary.rows.map((row) => `${row.layer} output shape:\t${formatSummaryShape(row.outputShape)}`).join('\n');
}
