/**
 * Training curves as an SVG, like d2l's `Animator` in `train_ch6`: x is the epoch, one line each for
 * train loss, train accuracy and test accuracy, with axes, ticks, grid, axis labels and a legend.
 * A pure function from numbers to an SVG string (no DOM, no files).
 *
 * Coordinates: a value `(x, y)` is drawn at
 * `px = left + (x − xMin) / (xMax − xMin) · plotWidth`, `py = top + (yMax − y) / (yMax − yMin) · plotHeight`
 * (SVG's y axis points down).
 * @module
 */
import { escapeXml } from './xml.js';

/** One line of the plot. */
export interface CurveSeries {
  /** The legend text, e.g. `train loss`. */
  readonly label: string;
  /** `[x, y]` points in drawing order; a non-finite `y` (NaN, ±Infinity) breaks the line there. */
  readonly points: ReadonlyArray<readonly [number, number]>;
  /** Stroke colour; default: matplotlib's colours in d2l's order (blue, magenta, green, red). */
  readonly color?: string;
  /** `stroke-dasharray`, e.g. `6 3`; default: solid, dashed, dash-dot, dotted in d2l's order. */
  readonly dash?: string;
}

/** Options of {@link renderCurvesSvg}. */
export interface CurvesSvgOptions {
  /** Total width in pixels; default 560. */
  readonly width?: number;
  /** Total height in pixels; default 360. */
  readonly height?: number;
  /** The x axis label; default `epoch`. */
  readonly xLabel?: string;
  /** The y axis label; default none. */
  readonly yLabel?: string;
  /** A title above the plot; default none. */
  readonly title?: string;
  /** The x range; default: the data's range. */
  readonly xLim?: readonly [number, number];
  /** The y range; default: from min(0, smallest y) to a round number above the largest y. */
  readonly yLim?: readonly [number, number];
}

/** One epoch's figures, as the training loop prints them. Missing or non-finite values are skipped. */
export interface TrainingCurvePoint {
  /** The epoch, counted from 1; fractional for points within an epoch (as d2l's Animator draws them). */
  readonly epoch: number;
  /** Mean training loss. */
  readonly trainLoss?: number;
  /** Training accuracy in [0, 1]. */
  readonly trainAcc?: number;
  /** Test accuracy in [0, 1]. */
  readonly testAcc?: number;
}

/** d2l's formats `('-', 'm--', 'g-.', 'r:')` in matplotlib colours. */
const DEFAULT_STYLES: ReadonlyArray<{ color: string; dash: string }> = [
  { color: '#1f77b4', dash: '' },
  { color: '#bf00bf', dash: '6 3' },
  { color: '#008000', dash: '6 3 1.5 3' },
  { color: '#ff0000', dash: '1.5 3' },
];

/**
 * Round tick positions covering `[min, max]`: the step is 1, 2, 2.5 or 5 times a power of ten, chosen
 * so that there are at most `maxTicks` ticks.
 *
 * @example
 * ```ts
 * niceTicks(0, 2.3, 6); // [0, 0.5, 1, 1.5, 2]
 * niceTicks(1, 10, 10); // [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
 * ```
 */
export function niceTicks(min: number, max: number, maxTicks = 6): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, maxTicks - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => (max - min) / candidate <= maxTicks - 1) ?? 10 * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

function formatTick(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function fmt(value: number): string {
  return Number(value.toFixed(2)).toString();
}

/**
 * The automatic y range: from min(0, smallest value) up to the first round tick at or above the
 * largest value, so that losses and accuracies both start from the zero line.
 */
function autoYRange(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const low = Math.min(0, ...values);
  const high = Math.max(...values);
  if (!(high > low)) return [low, low + 1];
  const ticks = niceTicks(low, high, 6);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : high - low;
  return [low, Number((Math.ceil(high / step - 1e-9) * step).toPrecision(12))];
}

function dataRange(values: number[], fallback: readonly [number, number]): [number, number] {
  if (values.length === 0) return [fallback[0], fallback[1]];
  return [Math.min(...values), Math.max(...values)];
}

/**
 * Render line plots into an SVG string.
 *
 * @param series - the lines; each gets a legend entry.
 * @param options - size, labels and ranges.
 * @returns a complete SVG document.
 *
 * @example
 * ```ts
 * const svg = renderCurvesSvg([{ label: 'train loss', points: [[1, 2.3], [2, 1.1], [3, 0.8]] }], { xLim: [1, 10] });
 * ```
 */
export function renderCurvesSvg(series: readonly CurveSeries[], options: CurvesSvgOptions = {}): string {
  const width = options.width ?? 560;
  const height = options.height ?? 360;
  const legendWidth = 130;
  const margin = { left: 56, right: 16 + legendWidth, top: options.title === undefined ? 16 : 34, bottom: 46 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;

  const finite = series.flatMap((line) => line.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const [dataXMin, dataXMax] = dataRange(
    finite.map(([x]) => x),
    [0, 1],
  );
  const [xMin, xMax] = options.xLim ?? (dataXMax > dataXMin ? [dataXMin, dataXMax] : [dataXMin - 0.5, dataXMin + 0.5]);
  const [yMin, yMax] = options.yLim ?? autoYRange(finite.map(([, y]) => y));
  const px = (x: number): number => margin.left + ((x - xMin) / (xMax - xMin)) * plotWidth;
  const py = (y: number): number => margin.top + ((yMax - y) / (yMax - yMin)) * plotHeight;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<defs><clipPath id="plot-area"><rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>`,
  ];
  if (options.title !== undefined) {
    out.push(`<text x="${fmt(margin.left + plotWidth / 2)}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`);
  }

  const xTicks = niceTicks(xMin, xMax, 11);
  const yTicks = niceTicks(yMin, yMax, 6);
  out.push('<g class="grid" stroke="#e0e0e0" stroke-width="1">');
  for (const x of xTicks) out.push(`<line x1="${fmt(px(x))}" y1="${margin.top}" x2="${fmt(px(x))}" y2="${margin.top + plotHeight}"/>`);
  for (const y of yTicks) out.push(`<line x1="${margin.left}" y1="${fmt(py(y))}" x2="${margin.left + plotWidth}" y2="${fmt(py(y))}"/>`);
  out.push('</g>');

  out.push('<g class="ticks" stroke="black" stroke-width="1">');
  for (const x of xTicks)
    out.push(`<line x1="${fmt(px(x))}" y1="${margin.top + plotHeight}" x2="${fmt(px(x))}" y2="${margin.top + plotHeight + 5}"/>`);
  for (const y of yTicks) out.push(`<line x1="${margin.left - 5}" y1="${fmt(py(y))}" x2="${margin.left}" y2="${fmt(py(y))}"/>`);
  out.push('</g>');
  out.push('<g class="tick-labels">');
  for (const x of xTicks) {
    out.push(`<text class="x-tick" x="${fmt(px(x))}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${formatTick(x)}</text>`);
  }
  for (const y of yTicks) {
    out.push(`<text class="y-tick" x="${margin.left - 8}" y="${fmt(py(y) + 4)}" text-anchor="end">${formatTick(y)}</text>`);
  }
  out.push('</g>');
  out.push(
    `<text class="x-label" x="${fmt(margin.left + plotWidth / 2)}" y="${height - 8}" text-anchor="middle">${escapeXml(options.xLabel ?? 'epoch')}</text>`,
  );
  if (options.yLabel !== undefined) {
    const cx = 14;
    const cy = fmt(margin.top + plotHeight / 2);
    out.push(
      `<text class="y-label" x="${cx}" y="${cy}" text-anchor="middle" transform="rotate(-90 ${cx} ${cy})">${escapeXml(options.yLabel)}</text>`,
    );
  }

  out.push(`<g class="series" clip-path="url(#plot-area)" fill="none" stroke-width="1.5">`);
  series.forEach((line, index) => {
    const style = DEFAULT_STYLES[index % DEFAULT_STYLES.length];
    const color = line.color ?? style.color;
    const dash = line.dash ?? style.dash;
    let d = '';
    let penDown = false;
    const lonely: Array<readonly [number, number]> = [];
    line.points.forEach(([x, y], pointIndex) => {
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        penDown = false;
        return;
      }
      d += `${penDown ? ' L' : d === '' ? 'M' : ' M'}${fmt(px(x))} ${fmt(py(y))}`;
      penDown = true;
      const next = line.points[pointIndex + 1];
      const previous = line.points[pointIndex - 1];
      const isolated = (previous === undefined || !Number.isFinite(previous[1])) && (next === undefined || !Number.isFinite(next[1]));
      if (isolated) lonely.push([x, y]);
    });
    const dashAttribute = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
    out.push(`<path class="curve" data-label="${escapeXml(line.label)}" d="${d}" stroke="${color}"${dashAttribute}/>`);
    for (const [x, y] of lonely) out.push(`<circle cx="${fmt(px(x))}" cy="${fmt(py(y))}" r="2.5" fill="${color}" stroke="none"/>`);
  });
  out.push('</g>');
  out.push(
    `<rect class="frame" x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="black"/>`,
  );

  const legendLeft = margin.left + plotWidth + 14;
  const legendTop = margin.top + 4;
  out.push(`<g class="legend">`);
  out.push(
    `<rect x="${legendLeft}" y="${legendTop}" width="${legendWidth - 8}" height="${series.length * 18 + 8}" fill="white" stroke="#c0c0c0" rx="3"/>`,
  );
  series.forEach((line, index) => {
    const style = DEFAULT_STYLES[index % DEFAULT_STYLES.length];
    const y = legendTop + 16 + index * 18;
    const dash = line.dash ?? style.dash;
    const dashAttribute = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
    out.push(
      `<line x1="${legendLeft + 8}" y1="${y - 4}" x2="${legendLeft + 34}" y2="${y - 4}" stroke="${line.color ?? style.color}" stroke-width="1.5"${dashAttribute}/>`,
      `<text x="${legendLeft + 40}" y="${y}">${escapeXml(line.label)}</text>`,
    );
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

/**
 * The d2l `train_ch6` picture: train loss, train acc and test acc against the epoch, x from 1 to the
 * number of epochs.
 *
 * @param metrics - one entry per epoch (or more, with fractional epochs, for points within an epoch).
 * @param epochs - the planned number of epochs, fixing the x range like d2l's `xlim=[1, num_epochs]`;
 *   default: the largest epoch in `metrics`.
 *
 * @example
 * ```ts
 * writeFileAtomic('runs/a/curves.svg', renderTrainingCurvesSvg(history, 10));
 * ```
 */
export function renderTrainingCurvesSvg(metrics: readonly TrainingCurvePoint[], epochs?: number): string {
  const pick = (value: (entry: TrainingCurvePoint) => number | undefined): Array<[number, number]> =>
    metrics.flatMap((entry) => {
      const y = value(entry);
      return y === undefined ? [] : [[entry.epoch, y]];
    });
  const lastEpoch = Math.max(1, epochs ?? 0, ...metrics.map((entry) => entry.epoch));
  return renderCurvesSvg(
    [
      { label: 'train loss', points: pick((entry) => entry.trainLoss) },
      { label: 'train acc', points: pick((entry) => entry.trainAcc) },
      { label: 'test acc', points: pick((entry) => entry.testAcc) },
    ],
    { xLabel: 'epoch', xLim: [1, lastEpoch > 1 ? lastEpoch : 2] },
  );
}
