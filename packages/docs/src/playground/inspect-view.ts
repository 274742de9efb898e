/**
 * The "Look inside" tab: an image through the network layer by layer — the C1, S2, C3 and S4 maps,
 * the C5 and F6 activations, the class probabilities — and formula (1) at the C1 pixel under the
 * pointer, typeset by KaTeX with the pixel's numbers.
 * @module
 */
import katex from 'katex';
import { setBackend, type nn } from '@lenet/core';
import { FASHION_MNIST_CLASS_NAMES, type ModelName } from '@lenet/models/browser';
import type { OpenBackend } from './backends.js';
import {
  activationsOf,
  c1Layer,
  forwardPass,
  probeC1,
  probeTex,
  readC1,
  type C1Weights,
  type ForwardPass,
  type LayerOutput,
} from './inspect.js';
import { element, ui } from './page.js';

const MAP_LABELS = ['C1', 'S2', 'C3', 'S4'];
const DENSE_LABELS = ['C5', 'F6'];

/** Draws `values` (height × width) in grey, scaled from their own minimum to maximum, or from 0..1. */
export function drawMap(canvas: HTMLCanvasElement, values: Float32Array, height: number, width: number, scaleOwn = true): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) return;
  let low = scaleOwn ? Infinity : 0;
  let high = scaleOwn ? -Infinity : 1;
  if (scaleOwn)
    for (const value of values) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  const span = high - low || 1;
  const picture = context.createImageData(width, height);
  for (let i = 0; i < height * width; i++) {
    const grey = Math.round(((values[i] - low) / span) * 255);
    picture.data.set([grey, grey, grey, 255], i * 4);
  }
  context.putImageData(picture, 0, 0);
}

/** The network shown, on its backend, and where its weights came from. */
export interface InspectedModel {
  readonly model: nn.Sequential;
  readonly name: ModelName;
  readonly open: OpenBackend;
  readonly source: string;
}

/** An image to look inside: 28 × 28 pixels in [0, 1] and what it is. */
export interface InspectedImage {
  readonly pixels: Float32Array;
  readonly caption: string;
}

/** The last forward pass, for the probe. */
let lastPass: { pass: ForwardPass; c1: C1Weights | null; pixels: Float32Array } | null = null;

/** Runs `image` through `current` and draws every layer, the probabilities and the probe's maps. */
export async function renderInspect(current: InspectedModel, image: InspectedImage): Promise<void> {
  const { model, name, open } = current;
  setBackend(open.backend);
  ui.imageCaption.textContent = image.caption;
  drawMap(ui.inputImage, image.pixels, 28, 28, false);
  const pass = await forwardPass(model, name, image.pixels, 28, 28);
  const c1 = c1Layer(model, name);
  lastPass = { pass, c1: c1 === null ? null : await readC1(c1), pixels: image.pixels };
  const panel = element('panel-inspect', HTMLElement);
  panel.dataset.source = current.source;
  panel.dataset.image = image.caption;
  // probabilities
  ui.prediction.textContent = `→ ${FASHION_MNIST_CLASS_NAMES[pass.predicted]}`;
  ui.prediction.dataset.predicted = String(pass.predicted);
  ui.probabilities.replaceChildren(
    ...Array.from(pass.probabilities, (p, c) => {
      const bar = document.createElement('div');
      bar.className = c === pass.predicted ? 'bar predicted' : 'bar';
      bar.dataset.class = String(c);
      bar.dataset.probability = String(p);
      bar.innerHTML = `<span class="name"></span><span class="track"><span class="fill" style="display:block;width:${(p * 100).toFixed(2)}%"></span></span><span class="value">${p.toFixed(4)}</span>`;
      const label = bar.querySelector('.name');
      if (label !== null) label.textContent = FASHION_MNIST_CLASS_NAMES[c];
      return bar;
    }),
  );
  // feature maps and dense activations
  const blocks: HTMLElement[] = [];
  for (const label of [...MAP_LABELS, ...DENSE_LABELS]) {
    const layer = activationsOf(pass, label);
    if (layer === null) continue;
    blocks.push(layerBlock(label, layer));
  }
  ui.maps.replaceChildren(...blocks);
}

function layerBlock(label: string, layer: LayerOutput): HTMLElement {
  const block = document.createElement('div');
  block.className = `layer ${label.toLowerCase()}${layer.shape.length === 4 && layer.shape[1] > 8 ? ' small' : ''}`;
  block.dataset.layer = label;
  const title = document.createElement('div');
  title.textContent = `${label}: ${layer.kind} output [${layer.shape.join(', ')}]`;
  const maps = document.createElement('div');
  maps.className = 'maps';
  // lenet5-classic's C5 is a convolution with 1 × 1 outputs: a vector, drawn as one strip.
  if (layer.shape.length === 4 && layer.shape[2] * layer.shape[3] > 1) {
    const [, channels, height, width] = layer.shape;
    for (let c = 0; c < channels; c++) {
      const canvas = document.createElement('canvas');
      canvas.className = 'pixelated';
      canvas.dataset.channel = String(c);
      drawMap(canvas, layer.values.subarray(c * height * width, (c + 1) * height * width), height, width);
      if (label === 'C1') canvas.addEventListener('mousemove', (event) => probeAt(canvas, c, event, height, width));
      maps.append(canvas);
    }
  } else {
    const canvas = document.createElement('canvas');
    canvas.className = 'pixelated dense';
    drawMap(canvas, layer.values, 1, layer.values.length);
    maps.append(canvas);
  }
  block.append(title, maps);
  return block;
}

function probeAt(canvas: HTMLCanvasElement, k: number, event: MouseEvent, height: number, width: number): void {
  if (lastPass === null || lastPass.c1 === null) return;
  const box = canvas.getBoundingClientRect();
  // formula (1)'s (x, y): x the row (down the map), y the column (across), as backend-cpu's kernels
  const y = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
  const x = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
  const c1Output = lastPass.pass.layers.find((layer) => layer.label === 'C1');
  if (c1Output === undefined) return;
  const probe = probeC1(lastPass.c1, lastPass.pixels, 28, 28, c1Output, k, x, y);
  ui.probe.dataset.k = String(k);
  ui.probe.dataset.x = String(x);
  ui.probe.dataset.y = String(y);
  ui.probe.dataset.sum = String(probe.sum);
  ui.probe.dataset.backendValue = String(probe.backendValue);
  ui.probe.dataset.bias = String(probe.bias);
  ui.probe.dataset.patch = Array.from(probe.patch).join(',');
  ui.probe.dataset.weights = Array.from(probe.weights).join(',');
  const formula = document.createElement('div');
  formula.innerHTML = katex.renderToString(probeTex(probe), { displayMode: true, throwOnError: true, strict: 'ignore' });
  const numbers = document.createElement('div');
  numbers.className = 'numbers';
  numbers.textContent = `map k = ${k}, pixel (x, y) = (${x}, ${y}), row ${x} and column ${y}: formula (1) gives ${probe.sum.toFixed(6)}; the backend's conv2d gave ${probe.backendValue.toFixed(6)}`;
  ui.probe.replaceChildren(formula, numbers);
}
