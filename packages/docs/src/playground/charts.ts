/**
 * The live curves, drawn by uPlot (see the docs README for why uPlot): loss and accuracy against
 * the step. Each chart keeps its points and says how many it has in `data-points`.
 * @module
 */
import uPlot from 'uplot';

/** A chart of several series against the step; null values leave gaps (test accuracy per epoch). */
export class LiveChart {
  readonly #plot: uPlot;
  readonly #steps: number[] = [];
  readonly #series: Array<Array<number | null>>;

  constructor(
    readonly container: HTMLElement,
    title: string,
    series: ReadonlyArray<{ label: string; stroke: string; points?: boolean }>,
    yRange: [number, number] | null,
    options: { logY?: boolean; height?: number } = {},
  ) {
    this.#series = series.map(() => []);
    this.#plot = new uPlot(
      {
        title,
        width: Math.max(320, Math.min(container.clientWidth || 560, 640)),
        height: options.height ?? 240,
        scales: { x: { time: false }, y: options.logY === true ? { distr: 3 } : yRange === null ? {} : { range: yRange } },
        axes: [{ label: 'step' }, {}],
        legend: { live: false },
        series: [
          { label: 'step' },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: 2,
            spanGaps: true,
            points: { show: s.points ?? false, size: 7 },
          })),
        ],
      },
      this.#aligned(),
      container,
    );
    container.dataset.points = '0';
  }

  #aligned(): uPlot.AlignedData {
    return [this.#steps, ...this.#series];
  }

  /** Adds a point at `step`, or fills the values of the last point when it is at `step` already. */
  add(step: number, values: ReadonlyArray<number | null>): void {
    const x = this.#steps;
    if (x.length > 0 && x[x.length - 1] === step) {
      values.forEach((value, i) => {
        if (value !== null) this.#series[i][x.length - 1] = value;
      });
    } else {
      x.push(step);
      values.forEach((value, i) => this.#series[i].push(value));
    }
    this.#plot.setData(this.#aligned());
    this.container.dataset.points = String(x.length);
  }

  clear(): void {
    this.#steps.length = 0;
    for (const column of this.#series) column.length = 0;
    this.#plot.setData(this.#aligned());
    this.container.dataset.points = '0';
  }
}
