/**
 * The drawing canvas of "Look inside": 28 × 28 pixels, white on black like Fashion-MNIST.
 * @module
 */
import type { InspectedImage } from './inspect-view.js';
import { element, ui } from './page.js';

/** Wires the 28 × 28 drawing canvas: paint with the pointer, Clear, and Classify (calls `use`). */
export function setUpDrawing(use: (image: InspectedImage) => void): void {
  const context = ui.draw.getContext('2d');
  if (context === null) return;
  const clear = (): void => {
    context.fillStyle = '#000';
    context.fillRect(0, 0, 28, 28);
  };
  clear();
  let drawing = false;
  const paint = (event: PointerEvent): void => {
    if (!drawing) return;
    const box = ui.draw.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * 28;
    const y = ((event.clientY - box.top) / box.height) * 28;
    context.fillStyle = '#fff';
    context.beginPath();
    context.arc(x, y, 1.3, 0, Math.PI * 2);
    context.fill();
  };
  ui.draw.addEventListener('pointerdown', (event) => {
    drawing = true;
    paint(event);
  });
  ui.draw.addEventListener('pointermove', paint);
  window.addEventListener('pointerup', () => {
    drawing = false;
  });
  element('clear-drawing', HTMLButtonElement).addEventListener('click', clear);
  element('use-drawing', HTMLButtonElement).addEventListener('click', () => {
    const data = context.getImageData(0, 0, 28, 28).data;
    const pixels = new Float32Array(28 * 28);
    for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * 4] / 255;
    use({ pixels, caption: 'your drawing' });
  });
}
