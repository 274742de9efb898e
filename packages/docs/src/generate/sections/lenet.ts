/**
 * Guide 4's generated parts: each LeNet variant's summary table (shapes, parameters, connections)
 * and architecture diagram, from `@lenet/models` at build time.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, formatShape } from '@lenet/core';
import { MODEL_NAMES, getModelSpec, summary, type ModelSummary } from '@lenet/models';
import type { Fragments } from '../fragments.js';
import { architectureSvg } from '../architecture-svg.js';
import { codeBlock, markdownTable, withThousands } from '../markdown.js';

/** The summary table as markdown: one row per layer, then the totals. */
export function summaryTable(model: ModelSummary): string {
  const rows = model.rows.map((row) => [
    row.index,
    row.layer,
    row.label,
    formatShape(row.outputShape),
    withThousands(row.parameters),
    withThousands(row.connections),
  ]);
  rows.push(['', '**total**', '', '', `**${withThousands(model.totalParameters)}**`, `**${withThousands(model.totalConnections)}**`]);
  return markdownTable(['#', 'layer', 'name', 'output shape', 'parameters', 'connections'], rows, ['r', 'l', 'l', 'l', 'r', 'r']);
}

/** Writes `architecture-<model>.svg` for every model into `mediaDir` and returns guide 4's fragments. */
export function lenetSection(mediaDir: string): Fragments {
  const fragments: Fragments = {};
  for (const name of MODEL_NAMES) {
    const spec = getModelSpec(name);
    const model = spec.build(new Rng(0));
    const inputShape = [1, ...spec.exampleShape];
    const table = summary(model, inputShape, { labels: spec.layerNames });
    fragments[`summary-${name}`] = summaryTable(table);
    fragments[`print-${name}`] = codeBlock('text', model.toString());
    const file = `architecture-${name}.svg`;
    writeFileSync(join(mediaDir, file), architectureSvg(`${name}: ${spec.description}`, inputShape, table.rows));
    fragments[`architecture-${name}`] = `![The architecture of ${name}, drawn from its layer list](./media/${file})`;
  }
  return fragments;
}
