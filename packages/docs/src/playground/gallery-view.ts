/**
 * The "Test gallery" tab, refreshed after each epoch: the first test images with their predicted
 * class and top-3 probabilities (the wrong ones marked), and the confusion matrix over the test
 * examples the epoch evaluated.
 * @module
 */
import { FASHION_MNIST_CLASS_NAMES } from '@lenet/models/browser';
import { drawMap } from './inspect-view.js';
import { element } from './page.js';
import { inSlices } from './slices.js';
import type { GalleryReport } from './worker-protocol.js';

const galleryBox = element('gallery', HTMLDivElement);
const confusionTable = element('confusion', HTMLTableElement);
const caption = element('gallery-caption', HTMLDivElement);

/** The classes in order of probability, highest first. */
function ranked(probabilities: Float32Array): number[] {
  return Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
}

let drawing = 0;
/** Gallery images drawn per task. */
const FIGURES_PER_TASK = 16;

/** Shows the gallery and the confusion matrix of one epoch, a few images per task. */
export function showGallery(report: GalleryReport): void {
  const mine = ++drawing;
  void inSlices(galleryPieces(report), () => drawing === mine);
}

function galleryPieces(report: GalleryReport): Array<() => void> {
  const pieces: Array<() => void> = [() => galleryBox.replaceChildren()];
  const count = report.labels.length;
  let wrong = 0;
  const figure = (n: number): HTMLElement => {
    const probabilities = report.probabilities.subarray(n * 10, (n + 1) * 10);
    const top = ranked(probabilities).slice(0, 3);
    const box = document.createElement('figure');
    const isWrong = top[0] !== report.labels[n];
    if (isWrong) wrong++;
    box.className = isWrong ? 'wrong' : 'right';
    box.dataset.label = String(report.labels[n]);
    box.dataset.predicted = String(top[0]);
    box.dataset.top3 = top.map((c) => probabilities[c].toFixed(4)).join(',');
    const canvas = document.createElement('canvas');
    canvas.className = 'pixelated';
    const pixels = Float32Array.from(report.images.subarray(n * 784, (n + 1) * 784), (byte) => byte / 255);
    drawMap(canvas, pixels, 28, 28, false);
    const text = document.createElement('figcaption');
    text.textContent = `${isWrong ? '✗' : '✓'} ${FASHION_MNIST_CLASS_NAMES[report.labels[n]]}\n${top.map((c) => `${FASHION_MNIST_CLASS_NAMES[c]} ${probabilities[c].toFixed(2)}`).join('\n')}`;
    text.style.whiteSpace = 'pre-line';
    box.append(canvas, text);
    return box;
  };
  for (let first = 0; first < count; first += FIGURES_PER_TASK)
    pieces.push(() => galleryBox.append(...Array.from({ length: Math.min(FIGURES_PER_TASK, count - first) }, (_, i) => figure(first + i))));
  pieces.push(() => showConfusion(report, count, wrong));
  return pieces;
}

function showConfusion(report: GalleryReport, count: number, wrong: number): void {
  caption.textContent = `after epoch ${report.epoch}: ${count - wrong} of ${count} test images right (✗ marks the wrong ones)`;
  caption.dataset.epoch = String(report.epoch);
  caption.dataset.wrong = String(wrong);
  const header = document.createElement('tr');
  header.innerHTML = '<th></th>';
  for (const name of FASHION_MNIST_CLASS_NAMES)
    header.append(Object.assign(document.createElement('th'), { textContent: name.slice(0, 7) }));
  const rows = report.confusion.map((counts, truth) => {
    const row = document.createElement('tr');
    row.append(Object.assign(document.createElement('th'), { textContent: FASHION_MNIST_CLASS_NAMES[truth] }));
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    counts.forEach((value, predicted) => {
      const cell = document.createElement('td');
      cell.textContent = String(value);
      const share = value / total;
      cell.style.background = predicted === truth ? `rgba(42,157,74,${share})` : `rgba(213,51,51,${share})`;
      row.append(cell);
    });
    return row;
  });
  confusionTable.tBodies[0].replaceChildren(header, ...rows);
  confusionTable.dataset.epoch = String(report.epoch);
  confusionTable.dataset.total = String(report.confusion.flat().reduce((a, b) => a + b, 0));
}
