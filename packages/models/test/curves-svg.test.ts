import { describe, expect, it } from 'vitest';
import { niceTicks, renderCurvesSvg, renderTrainingCurvesSvg } from '../src/plots/curves-svg.js';

/** The tick labels of one axis with their pixel positions, read back from the SVG. */
function ticks(svg: string, axis: 'x' | 'y'): Array<{ value: number; pixel: number }> {
  const attribute = axis === 'x' ? 'x' : 'y';
  return [...svg.matchAll(new RegExp(`<text class="${axis}-tick" x="([\\d.-]+)" y="([\\d.-]+)"[^>]*>([^<]+)</text>`, 'g'))].map(
    (match) => ({
      value: Number(match[3]),
      pixel: Number(attribute === 'x' ? match[1] : match[2]) - (axis === 'y' ? 4 : 0),
    }),
  );
}

/** Invert the axis mapping from two ticks: pixel → value. */
function axisInverse(axisTicks: Array<{ value: number; pixel: number }>): (pixel: number) => number {
  const first = axisTicks[0];
  const last = axisTicks[axisTicks.length - 1];
  return (pixel) => first.value + ((pixel - first.pixel) / (last.pixel - first.pixel)) * (last.value - first.value);
}

/** The points of each path, by data-label, as [x, y] pixel pairs, split into runs at each M. */
function paths(svg: string): Map<string, Array<Array<[number, number]>>> {
  const result = new Map<string, Array<Array<[number, number]>>>();
  for (const match of svg.matchAll(/<path class="curve" data-label="([^"]*)" d="([^"]*)"/g)) {
    const runs = match[2]
      .split('M')
      .filter((run) => run.trim() !== '')
      .map((run) => run.split('L').map((pair) => pair.trim().split(' ').map(Number) as [number, number]));
    result.set(match[1], runs);
  }
  return result;
}

describe('niceTicks', () => {
  it('picks steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceTicks(0, 2.3, 6)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(1, 10, 11)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(niceTicks(0.8, 0.93, 6)).toEqual([0.8, 0.85, 0.9]);
    expect(niceTicks(0, 1, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

describe('renderTrainingCurvesSvg', () => {
  const history = [
    { epoch: 1, trainLoss: 2.31, trainAcc: 0.1, testAcc: 0.12 },
    { epoch: 2, trainLoss: 1.2, trainAcc: 0.52, testAcc: 0.61 },
    { epoch: 3, trainLoss: 0.71, trainAcc: 0.72, testAcc: 0.69 },
  ];
  const svg = renderTrainingCurvesSvg(history, 10);

  it('draws the three d2l lines with a legend in d2l order', () => {
    expect([...paths(svg).keys()]).toEqual(['train loss', 'train acc', 'test acc']);
    const legend = svg.slice(svg.indexOf('<g class="legend">'));
    expect([...legend.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((match) => match[1])).toEqual(['train loss', 'train acc', 'test acc']);
    expect(svg).toContain('stroke-dasharray="6 3"'); // train acc dashed, as 'm--'
    expect(svg).toMatch(/<text class="x-label"[^>]*>epoch<\/text>/);
  });

  it('spans x from epoch 1 to the planned number of epochs, and y from 0 to a round value above the loss', () => {
    expect(ticks(svg, 'x').map((tick) => tick.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ticks(svg, 'y').map((tick) => tick.value)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it('puts every point where its value belongs on both axes', () => {
    const toX = axisInverse(ticks(svg, 'x'));
    const toY = axisInverse(ticks(svg, 'y'));
    const lines = paths(svg);
    const expected: Record<string, number[]> = {
      'train loss': history.map((entry) => entry.trainLoss),
      'train acc': history.map((entry) => entry.trainAcc),
      'test acc': history.map((entry) => entry.testAcc),
    };
    for (const [label, values] of Object.entries(expected)) {
      const runs = lines.get(label) ?? [];
      expect(runs).toHaveLength(1);
      runs[0].forEach(([x, y], index) => {
        expect(toX(x)).toBeCloseTo(index + 1, 1);
        expect(toY(y)).toBeCloseTo(values[index], 2);
      });
    }
  });
});

describe('renderCurvesSvg', () => {
  it('breaks a line at a non-finite value and marks isolated points', () => {
    const svg = renderCurvesSvg(
      [
        {
          label: 'loss',
          points: [
            [1, 1],
            [2, Number.NaN],
            [3, 2],
            [4, 1.5],
          ],
        },
      ],
      { xLim: [1, 4], yLim: [0, 2] },
    );
    const runs = paths(svg).get('loss') ?? [];
    expect(runs.map((run) => run.length)).toEqual([1, 2]);
    expect([...svg.matchAll(/<circle /g)]).toHaveLength(1);
  });

  it('escapes labels and title, honours yLim, and draws a y label', () => {
    const svg = renderCurvesSvg([{ label: 'a<b & "c"', points: [[0, 5]] }], { title: 'T & <t>', yLabel: 'value', yLim: [0, 10] });
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot;');
    expect(svg).toContain('T &amp; &lt;t&gt;');
    expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/); // no bare ampersand anywhere
    expect(ticks(svg, 'y').map((tick) => tick.value)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(svg).toMatch(/<text class="y-label"[^>]*rotate\(-90[^>]*>value<\/text>/);
  });

  it('renders axes without data', () => {
    const svg = renderTrainingCurvesSvg([]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(ticks(svg, 'y').map((tick) => tick.value)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
