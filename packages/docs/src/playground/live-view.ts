/**
 * The "Inside while it learns" tab: for the example of the batch the worker looked at, every
 * layer's activation maps a and their gradients ∂L/∂a, C1's and C3's filters with their gradients
 * ∂L/∂w, a histogram of each layer's weights and gradients, and the gradient norms over the run.
 * Each block carries its numbers in `data-*` attributes (what the test reads back).
 * @module
 */
import { FASHION_MNIST_CLASS_NAMES } from '@lenet/models/browser';
import { LiveChart } from './charts.js';
import { drawMap } from './inspect-view.js';
import { element } from './page.js';
import type { LayerProbe, ParameterProbe } from './network-probe.js';
import { showSlide } from './slide-view.js';
import { inSlices } from './slices.js';
import type { NetworkView } from './worker-protocol.js';

const HISTOGRAM_BINS = 24;
const layersBox = element('inside-layers', HTMLDivElement);
const filtersBox = element('filters', HTMLDivElement);
const histogramsBox = element('histograms', HTMLDivElement);
const caption = element('inside-caption', HTMLDivElement);
const parameterSelect = element('gradcheck-parameter', HTMLSelectElement);

let normChart: LiveChart | null = null;
/**
 * The canvases of the views, made once and drawn again for every view (a new canvas per map
 * per view would leave the page's garbage collector hundreds a second, and its pauses would be
 * long main-thread tasks).
 */
const canvases = new Map<string, HTMLCanvasElement>();

/** The canvas named `key`, made (by `make`) the first time. */
function canvasFor(key: string, make: (canvas: HTMLCanvasElement) => void = () => undefined): HTMLCanvasElement {
  let canvas = canvases.get(key);
  if (canvas === undefined) {
    canvas = document.createElement('canvas');
    make(canvas);
    canvases.set(key, canvas);
  }
  return canvas;
}
let normLabels: string[] = [];
let lastView: NetworkView | null = null;

/** The latest view, for the kernel animation and the gradient check's choices. */
export function latestView(): NetworkView | null {
  return lastView;
}

/** Draws `values` in blue (negative) and red (positive), scaled by their largest magnitude. */
export function drawSigned(canvas: HTMLCanvasElement, values: Float32Array, height: number, width: number): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) return;
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  const picture = context.createImageData(width, height);
  for (let i = 0; i < height * width; i++) {
    const t = largest === 0 ? 0 : values[i] / largest;
    const fade = Math.round(255 * (1 - Math.abs(t)));
    picture.data.set(t >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255], i * 4);
  }
  context.putImageData(picture, 0, 0);
}

function stats(values: Float32Array): { min: number; max: number; norm: number } {
  let min = Infinity;
  let max = -Infinity;
  let squares = 0;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    squares += value * value;
  }
  return { min, max, norm: Math.sqrt(squares) };
}

/** A row of canvases, one per map of a `[1, C, H, W]` tensor (or one strip for a vector). */
function mapRow(
  block: string,
  label: string,
  values: Float32Array,
  shape: readonly number[],
  signed: boolean,
  make?: (canvas: HTMLCanvasElement) => void,
): HTMLElement {
  const row = document.createElement('div');
  const name = document.createElement('span');
  name.className = 'row-label';
  name.textContent = label;
  row.append(name);
  const spatial = shape.length === 4 && shape[2] * shape[3] > 1;
  const [channels, height, width] = spatial ? [shape[1], shape[2], shape[3]] : [1, 1, values.length];
  for (let c = 0; c < channels; c++) {
    const canvas = canvasFor(`${block}/${label}/${c}/${shape.join('x')}`, (made) => {
      made.className = spatial ? 'pixelated' : 'pixelated dense';
      made.dataset.channel = String(c);
      make?.(made);
    });
    const map = values.subarray(c * height * width, (c + 1) * height * width);
    if (signed) drawSigned(canvas, map, height, width);
    else drawMap(canvas, map, height, width);
    row.append(canvas);
  }
  return row;
}

/** The layers the tab shows: each labelled layer's activation (the activation after it when one follows, as "Look inside" does). */
function shownLayers(view: NetworkView): Array<{ label: string; layer: LayerProbe }> {
  const shown: Array<{ label: string; layer: LayerProbe }> = [];
  view.layers.forEach((layer, l) => {
    if (layer.label === null) return;
    const next = view.layers[l + 1];
    const after = next !== undefined && next.label === null && next.shape.join() === layer.shape.join() ? next : layer;
    shown.push({ label: layer.label, layer: after });
  });
  const output = view.layers[view.layers.length - 1];
  if (shown.at(-1)?.layer !== output) shown.push({ label: 'output', layer: output });
  return shown;
}

function layerBlock(label: string, layer: LayerProbe): HTMLElement {
  const block = document.createElement('div');
  block.className = 'layer';
  block.dataset.layer = label;
  const a = stats(layer.activation);
  const g = stats(layer.gradient);
  Object.assign(block.dataset, {
    activationMin: String(a.min),
    activationMax: String(a.max),
    activationNorm: String(a.norm),
    gradientNorm: String(g.norm),
    gradientMaxAbs: String(Math.max(Math.abs(g.min), Math.abs(g.max))),
  });
  if (layer.gradient.length <= 16) block.dataset.gradient = Array.from(layer.gradient).join(',');
  const title = document.createElement('div');
  title.textContent = `${label}: ${layer.kind} [${layer.shape.join(', ')}] · a in [${a.min.toFixed(3)}, ${a.max.toFixed(3)}] · ‖∂L/∂a‖ = ${g.norm.toExponential(3)}`;
  const clickable = (canvas: HTMLCanvasElement): void => {
    if (label !== 'C1' && label !== 'C3') return;
    canvas.style.cursor = 'pointer';
    canvas.addEventListener('click', () => {
      if (lastView !== null) showSlide(lastView, label, Number(canvas.dataset.channel));
    });
  };
  const activations = mapRow(label, 'a', layer.activation, layer.shape, false, clickable);
  block.append(title, activations, mapRow(label, '∂L/∂a', layer.gradient, layer.shape, true));
  return block;
}

/** C1's or C3's filters, one canvas per filter (its input channels side by side), and their gradients. */
function filterBlock(label: string, weight: ParameterProbe): HTMLElement {
  const [filters, channels, kh, kw] = weight.shape;
  const block = document.createElement('div');
  block.className = 'layer';
  block.dataset.layer = label;
  const w = stats(weight.values);
  const g = stats(weight.gradient);
  Object.assign(block.dataset, { weightNorm: String(w.norm), gradientNorm: String(g.norm) });
  const title = document.createElement('div');
  title.textContent = `${label} filters ${weight.name} [${weight.shape.join(', ')}]: w in [${w.min.toFixed(3)}, ${w.max.toFixed(3)}], ∂L/∂w in [${g.min.toExponential(2)}, ${g.max.toExponential(2)}]`;
  const rows = [document.createElement('div'), document.createElement('div')];
  rows[0].innerHTML = '<span class="row-label">w</span>';
  rows[1].innerHTML = '<span class="row-label">∂L/∂w</span>';
  for (let k = 0; k < filters; k++) {
    const size = channels * kh * kw;
    // the filter's channels side by side: a (kh) × (channels · kw) picture
    const tile = (values: Float32Array): Float32Array => {
      const out = new Float32Array(size);
      for (let c = 0; c < channels; c++)
        for (let u = 0; u < kh; u++)
          for (let v = 0; v < kw; v++) out[u * channels * kw + c * kw + v] = values[k * size + (c * kh + u) * kw + v];
      return out;
    };
    const make = (canvas: HTMLCanvasElement): void => {
      canvas.className = 'pixelated';
      canvas.dataset.filter = String(k);
      canvas.style.width = `${(56 * channels * kw) / kh}px`;
    };
    const weightCanvas = canvasFor(`${label}/w/${k}/${weight.shape.join('x')}`, make);
    const gradientCanvas = canvasFor(`${label}/∂L/∂w/${k}/${weight.shape.join('x')}`, make);
    drawSigned(weightCanvas, tile(weight.values), kh, channels * kw);
    drawSigned(gradientCanvas, tile(weight.gradient), kh, channels * kw);
    rows[0].append(weightCanvas);
    rows[1].append(gradientCanvas);
  }
  block.append(title, ...rows);
  return block;
}

/** A histogram of `values` on a canvas, its counts in `data-counts`. */
function histogram(title: string, values: Float32Array, color: string): HTMLElement {
  const { min, max } = stats(values);
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const span = max - min || 1;
  for (const value of values) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(((value - min) / span) * HISTOGRAM_BINS))]++;
  const figure = document.createElement('figure');
  figure.dataset.counts = counts.join(',');
  figure.dataset.min = String(min);
  figure.dataset.max = String(max);
  const canvas = canvasFor(`histogram/${title}`, (made) => {
    made.width = 160;
    made.height = 60;
  });
  const context = canvas.getContext('2d');
  context?.clearRect(0, 0, 160, 60);
  const highest = Math.max(...counts);
  if (context !== null) {
    context.fillStyle = color;
    counts.forEach((count, bin) => {
      const height = (count / highest) * 58;
      context.fillRect((bin * 160) / HISTOGRAM_BINS, 60 - height, 160 / HISTOGRAM_BINS - 1, height);
    });
  }
  const label = document.createElement('figcaption');
  label.textContent = `${title} [${min.toExponential(1)}, ${max.toExponential(1)}]`;
  figure.append(canvas, label);
  return figure;
}

/** Forgets the gradient-norm curve (a new run). */
export function resetLiveView(): void {
  normChart?.clear();
  lastView = null;
}

/** Counts the views shown, so that the slices of an older one stop. */
let drawing = 0;

/** Shows one view of the network, a layer per task. */
export function showView(view: NetworkView): void {
  lastView = view;
  const mine = ++drawing;
  void inSlices(viewPieces(view), () => drawing === mine);
}

function viewPieces(view: NetworkView): Array<() => void> {
  const pieces: Array<() => void> = [];
  let predicted = 0;
  for (let c = 1; c < view.probabilities.length; c++) if (view.probabilities[c] > view.probabilities[predicted]) predicted = c;
  const blocks = shownLayers(view);
  pieces.push(() => {
    delete layersBox.dataset.step;
    layersBox.replaceChildren();
  });
  for (const { label, layer } of blocks) pieces.push(() => layersBox.append(layerBlock(label, layer)));
  const weights = view.parameters.filter((parameter) => parameter.name.endsWith('.weight'));
  pieces.push(() => filtersBox.replaceChildren());
  for (const weight of weights.filter((w) => w.layer === 'C1' || w.layer === 'C3'))
    pieces.push(() => filtersBox.append(filterBlock(weight.layer, weight)));
  pieces.push(() => histogramsBox.replaceChildren());
  for (const weight of weights)
    pieces.push(() => {
      const pair = document.createElement('div');
      pair.dataset.layer = weight.layer;
      pair.append(histogram(`${weight.layer} w`, weight.values, '#1f5fbf'), histogram(`${weight.layer} ∂L/∂w`, weight.gradient, '#d5843a'));
      histogramsBox.append(pair);
    });
  pieces.push(() => {
    const labels = weights.map((weight) => weight.layer);
    if (normChart === null || labels.join() !== normLabels.join()) {
      normLabels = labels;
      const palette = ['#1f5fbf', '#d5843a', '#2a9d4a', '#b03a8a', '#666'];
      const box = element('grad-norm-chart', HTMLDivElement);
      box.replaceChildren();
      normChart = new LiveChart(
        box,
        '‖∂L/∂W‖ per layer (log scale): small early layers with sigmoid show saturation',
        labels.map((label, i) => ({ label, stroke: palette[i % palette.length] })),
        null,
        { logY: true, height: 200 },
      );
    }
    normChart.add(
      view.step,
      weights.map((weight) => Math.max(stats(weight.gradient).norm, 1e-12)),
    );
    if (parameterSelect.options.length !== view.parameters.length) {
      parameterSelect.replaceChildren(
        ...view.parameters.map((parameter) => {
          const option = document.createElement('option');
          option.value = parameter.name;
          option.textContent = `${parameter.name} (${parameter.layer}, ${parameter.values.length} values)`;
          return option;
        }),
      );
    }
  });
  // the caption and the step come last: once they are set, every block shows this view
  pieces.push(() => {
    caption.textContent =
      `step ${view.step} (epoch ${view.epoch}), the weights it starts from, on its batch of ${view.batchSize}: loss ${view.loss.toFixed(4)}; ` +
      `the maps are its first example's, training example ${view.example}, a ${FASHION_MNIST_CLASS_NAMES[view.label]}, predicted ${FASHION_MNIST_CLASS_NAMES[predicted]} (p = ${view.probabilities[predicted].toFixed(3)}); looked at in ${view.probeMs.toFixed(0)} ms in the worker`;
    Object.assign(caption.dataset, {
      step: String(view.step),
      loss: String(view.loss),
      label: String(view.label),
      batchSize: String(view.batchSize),
      probabilities: Array.from(view.probabilities).join(','),
    });
    layersBox.dataset.step = String(view.step);
  });
  return pieces;
}
