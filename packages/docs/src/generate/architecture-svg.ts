/**
 * An architecture diagram drawn from a model's summary rows: feature maps as stacks of squares
 * (one per channel, sized by height × width), vectors as bars, each labelled with its layer and
 * output shape — the picture of LeCun et al.'s Figure 2, from the code's own layer list.
 * @module
 */

/** What the diagram needs of one layer. */
export interface DiagramLayer {
  /** The layer's class, e.g. `Conv2d`. */
  readonly layer: string;
  /** Its name in the paper, e.g. `C1`, or empty. */
  readonly label: string;
  /** Its output shape, batch axis first. */
  readonly outputShape: readonly number[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One drawn column: a tensor (input or a layer's output) and the caption under it. */
interface Column {
  readonly shape: readonly number[];
  readonly title: string;
  readonly caption: string;
}

const SCALE = 2.4; // pixels per feature-map pixel
const MAX_STACK = 16;
const STACK_STEP = 3;

/** The SVG text of the diagram for `input` followed by `layers`. */
export function architectureSvg(title: string, inputShape: readonly number[], layers: readonly DiagramLayer[]): string {
  // Element-wise layers (activations) do not change the picture: fold them into the layer before.
  const columns: Column[] = [{ shape: inputShape, title: 'input', caption: '' }];
  for (const layer of layers) {
    const previous = columns[columns.length - 1];
    const sameShape = previous.shape.length === layer.outputShape.length && previous.shape.every((d, i) => d === layer.outputShape[i]);
    if (sameShape && columns.length > 1) {
      columns[columns.length - 1] = { ...previous, caption: `${previous.caption} + ${layer.layer}` };
      continue;
    }
    columns.push({ shape: layer.outputShape, title: layer.label, caption: layer.layer });
  }

  const boxes = columns.map((column) => boxSize(column.shape));
  const height = Math.max(...boxes.map((box) => box.height)) + 100;
  const gap = 26;
  const widths = columns.map((column, i) =>
    Math.max(boxes[i].width, textWidth(column.title), ...column.caption.split(' + ').map(textWidth), textWidth(shapeText(column.shape))),
  );
  const width = widths.reduce((total, w) => total + w + gap, gap);
  const middle = 40 + (height - 90) / 2;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${height + 20}" viewBox="0 0 ${Math.ceil(width)} ${height + 20}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  let x = gap;
  columns.forEach((column, i) => {
    const box = boxes[i];
    const centre = x + widths[i] / 2;
    parts.push(drawTensor(column.shape, centre, middle));
    if (i > 0) {
      const from = x - gap + 4;
      parts.push(
        `<line x1="${from}" y1="${middle}" x2="${x - 6}" y2="${middle}" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>`,
      );
    }
    const below = middle + box.height / 2 + 18;
    parts.push(`<text x="${centre}" y="${below}" text-anchor="middle" font-size="12" font-weight="bold">${escapeXml(column.title)}</text>`);
    column.caption.split(' + ').forEach((line, k) => {
      parts.push(
        `<text x="${centre}" y="${below + 14 + 12 * k}" text-anchor="middle" font-size="10" fill="#333">${escapeXml(line)}</text>`,
      );
    });
    parts.push(
      `<text x="${centre}" y="${below + 14 + 12 * column.caption.split(' + ').length}" text-anchor="middle" font-size="10" fill="#777">${escapeXml(shapeText(column.shape))}</text>`,
    );
    x += widths[i] + gap;
  });
  parts.splice(
    3,
    0,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
  );
  parts.push('</svg>');
  return parts.join('\n');
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function textWidth(text: string): number {
  return text.length * 5.6;
}

/** The drawn size of a tensor: a stack of channel squares for [N, C, H, W], a bar for [N, F]. */
function boxSize(shape: readonly number[]): { width: number; height: number } {
  if (shape.length === 4) {
    const stack = Math.min(shape[1], MAX_STACK) - 1;
    return { width: shape[3] * SCALE + stack * STACK_STEP, height: shape[2] * SCALE + stack * STACK_STEP };
  }
  const features = shape[shape.length - 1];
  return { width: 14, height: Math.min(40 + features * 0.45, 220) };
}

function drawTensor(shape: readonly number[], centre: number, middle: number): string {
  const box = boxSize(shape);
  if (shape.length === 4) {
    const channels = Math.min(shape[1], MAX_STACK);
    const w = shape[3] * SCALE;
    const h = shape[2] * SCALE;
    const left = centre - box.width / 2;
    const top = middle - box.height / 2;
    const squares: string[] = [];
    for (let c = channels - 1; c >= 0; c--) {
      const offset = c * STACK_STEP;
      squares.push(
        `<rect x="${left + offset}" y="${top + (channels - 1 - c) * STACK_STEP}" width="${w}" height="${h}" fill="${c === 0 ? '#dbe8fb' : '#eef4fd'}" stroke="#3b6bb0" stroke-width="0.8"/>`,
      );
    }
    return squares.join('\n');
  }
  return `<rect x="${centre - box.width / 2}" y="${middle - box.height / 2}" width="${box.width}" height="${box.height}" fill="#fde9c9" stroke="#b07a2a" stroke-width="0.8"/>`;
}
