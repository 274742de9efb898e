/**
 * The kernel sliding over its input, as CNN Explainer animates it: click a C1 or C3 map in "Inside
 * while it learns" and the 5 × 5 window walks over the layer's input, each output pixel's value
 * written as formula (1) computes it (for C1, by the formula-(1) probe of "Look inside").
 * @module
 */
import { probeC1 } from './inspect.js';
import { drawMap } from './inspect-view.js';
import { element } from './page.js';
import type { NetworkView } from './worker-protocol.js';

const box = element('slide', HTMLDivElement);
let timer: ReturnType<typeof setInterval> | null = null;
/** Output pixels the animation advances per frame (a 28 × 28 map takes ~3 s). */
const PIXELS_PER_FRAME = 8;

/** z(x, y) of map k: Σ_c Σ_u Σ_v a_c(x + u − p, y + v − p) · w_k,c(u, v) + b_k, in float64. */
function formulaAt(
  input: Float32Array,
  channels: number,
  size: number,
  weight: Float32Array,
  bias: number,
  k: number,
  kernel: number,
  padding: number,
  x: number,
  y: number,
): number {
  let sum = bias;
  for (let c = 0; c < channels; c++)
    for (let u = 0; u < kernel; u++)
      for (let v = 0; v < kernel; v++) {
        const row = x + u - padding;
        const column = y + v - padding;
        if (row < 0 || row >= size || column < 0 || column >= size) continue;
        sum += input[(c * size + row) * size + column] * weight[((k * channels + c) * kernel + u) * kernel + v];
      }
  return sum;
}

/** Animates map `k` of `label` (C1 or C3) for the view's example. */
export function showSlide(view: NetworkView, label: string, k: number): void {
  if (timer !== null) clearInterval(timer);
  const at = view.layers.findIndex((layer) => layer.label === label);
  const weight = view.parameters.find((p) => p.layer === label && p.name.endsWith('.weight'));
  const bias = view.parameters.find((p) => p.layer === label && p.name.endsWith('.bias'));
  if (at === -1 || weight === undefined) return;
  const output = view.layers[at];
  const input = at === 0 ? null : view.layers[at - 1];
  const [, channels, kernel] = weight.shape;
  const inputValues = input === null ? view.pixels : input.activation;
  const size = input === null ? 28 : input.shape[2];
  const [, , outSize] = output.shape;
  const padding = (outSize - size + kernel - 1) / 2;
  const canvas = document.createElement('canvas');
  canvas.className = 'pixelated';
  const overlay = document.createElement('canvas');
  overlay.width = 224;
  overlay.height = 224;
  overlay.style.marginLeft = '-228px';
  const numbers = document.createElement('div');
  numbers.className = 'numbers';
  drawMap(canvas, inputValues.subarray(0, size * size), size, size);
  box.replaceChildren(canvas, overlay, numbers);
  box.dataset.layer = label;
  box.dataset.k = String(k);
  let pixel = 0;
  const frame = (): void => {
    const x = Math.floor(pixel / outSize);
    const y = pixel % outSize;
    const b = bias?.values[k] ?? 0;
    const z =
      label === 'C1'
        ? probeC1(
            {
              weight: weight.values,
              bias: bias?.values ?? null,
              kernelSize: [kernel, kernel],
              padding: [padding, padding],
              stride: [1, 1],
            },
            view.pixels,
            28,
            28,
            { ...output, values: output.activation },
            k,
            x,
            y,
          ).sum
        : formulaAt(inputValues, channels, size, weight.values, b, k, kernel, padding, x, y);
    const kernelValue = output.activation[(k * outSize + x) * outSize + y];
    const context = overlay.getContext('2d');
    if (context !== null) {
      const scale = 224 / size;
      context.clearRect(0, 0, 224, 224);
      context.strokeStyle = '#f5a623';
      context.lineWidth = 2;
      context.strokeRect((y - padding) * scale, (x - padding) * scale, kernel * scale, kernel * scale);
    }
    numbers.textContent = `${label} map ${k}, pixel (${x}, ${y}): formula (1) over ${channels} input map${channels === 1 ? '' : 's'} gives ${z.toFixed(5)}; the kernel gave ${kernelValue.toFixed(5)} (before the activation)`;
    box.dataset.x = String(x);
    box.dataset.y = String(y);
    box.dataset.formula = String(z);
    box.dataset.kernel = String(kernelValue);
    pixel++;
    if (pixel >= outSize * outSize && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
  frame();
  timer = setInterval(() => {
    for (let i = 0; i < PIXELS_PER_FRAME && timer !== null; i++) frame();
  }, 30);
}
