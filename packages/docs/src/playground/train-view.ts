/**
 * The Train tab's view: the live curves, the step and epoch tables, the speed line and the
 * buttons, updated from the trainer's events.
 * @module
 */
import type { EpochMetrics } from '@lenet/models/browser';
import { CHOICE_LABELS, type ModeUnavailableMessage } from './backends.js';
import { LiveChart } from './charts.js';
import { clearMessage, element, showMessage, ui } from './page.js';
import type { StepPoint, TrainerState } from './trainer.js';

/** Rows the step table keeps (the oldest go first): a long run must not grow the page without end. */
const STEP_ROWS_KEPT = 1000;

const lossChart = new LiveChart(
  element('loss-chart', HTMLDivElement),
  'Loss',
  [
    { label: 'step loss', stroke: '#9bb7e0' },
    { label: 'train loss (epoch mean)', stroke: '#1f5fbf' },
  ],
  null,
);
const accChart = new LiveChart(
  element('acc-chart', HTMLDivElement),
  'Accuracy',
  [
    { label: 'train acc (epoch mean)', stroke: '#1f5fbf' },
    { label: 'test acc (held-out)', stroke: '#d5843a', points: true },
  ],
  [0, 1],
);

const hyperChart = new LiveChart(
  element('hyper-chart', HTMLDivElement),
  'Learning rate and momentum (changed during the run: see the list below)',
  [
    { label: 'learning rate', stroke: '#b03a8a' },
    { label: 'momentum', stroke: '#2a9d4a' },
  ],
  null,
  { height: 160 },
);
/** The learning rate and momentum of the last step shown, to mark where they change. */
let lastHyperparameters: { lr: number; momentum: number } | null = null;
/** Training examples per epoch of the run shown, for the expected time per epoch. */
let examplesPerEpoch = 0;

/** Sets the run's examples per epoch (for the expected time per epoch). */
export function setEpochSize(examples: number): void {
  examplesPerEpoch = examples;
}

/** Enables the buttons that make sense in `state`. */
export function setButtons(state: TrainerState | 'loading'): void {
  const running = state === 'running';
  ui.start.disabled = running || state === 'paused' || state === 'loading';
  ui.pause.disabled = !running;
  ui.resume.disabled = state !== 'paused';
  ui.oneStep.disabled = running || state === 'loading';
  ui.download.disabled = running || state === 'loading';
  ui.downloadOnnx.disabled = ui.download.disabled;
  ui.pretrained.disabled = running || state === 'paused';
}

function addRow(table: HTMLTableElement, cells: readonly string[], keep = Number.POSITIVE_INFINITY): HTMLTableRowElement {
  const row = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell;
    row.append(td);
  }
  const body = table.tBodies[0];
  body.append(row);
  while (body.rows.length > keep) body.rows[0].remove();
  return row;
}

/** Empties the curves, the tables and the speed line. */
export function resetTrainingView(): void {
  lossChart.clear();
  accChart.clear();
  hyperChart.clear();
  lastHyperparameters = null;
  ui.hyperLog.replaceChildren();
  ui.epochTime.textContent = '';
  ui.trainLog.tBodies[0].replaceChildren();
  ui.epochLog.tBodies[0].replaceChildren();
  ui.speed.textContent = '';
}

/** One step's point on the curves, its row and the speed line. */
export function showStep(point: StepPoint): void {
  lossChart.add(point.step, [point.loss, point.trainLoss]);
  accChart.add(point.step, [point.trainAcc, null]);
  const cells = [point.step, point.epoch].map(String);
  cells.push(point.loss.toFixed(5), point.trainLoss.toFixed(5), point.trainAcc.toFixed(4), point.examplesPerSec.toFixed(1));
  const row = addRow(ui.trainLog, cells, STEP_ROWS_KEPT);
  row.dataset.lr = String(point.lr);
  row.dataset.momentum = String(point.momentum);
  ui.speed.textContent = `step ${point.step} · epoch ${point.epoch} · ${point.examplesPerSec.toFixed(1)} examples/s`;
  ui.speed.dataset.examplesPerSec = String(point.examplesPerSec);
  hyperChart.add(point.step, [point.lr, point.momentum]);
  if (lastHyperparameters !== null && (lastHyperparameters.lr !== point.lr || lastHyperparameters.momentum !== point.momentum)) {
    const mark = document.createElement('li');
    mark.dataset.step = String(point.step);
    mark.dataset.lr = String(point.lr);
    mark.dataset.momentum = String(point.momentum);
    mark.textContent = `from step ${point.step}: learning rate ${lastHyperparameters.lr} → ${point.lr}, momentum ${lastHyperparameters.momentum} → ${point.momentum}`;
    ui.hyperLog.append(mark);
  }
  lastHyperparameters = { lr: point.lr, momentum: point.momentum };
  // the first steps compile kernels: the estimate waits for a few
  if (point.step >= 4 && point.examplesPerSec > 0 && examplesPerEpoch > 0) {
    const seconds = examplesPerEpoch / point.examplesPerSec;
    ui.epochTime.textContent = `expected time per epoch of ${examplesPerEpoch} examples at this speed: ${formatSeconds(seconds)} (measured from the steps so far; the test evaluation adds a little)`;
    ui.epochTime.dataset.seconds = String(seconds);
  }
}

function formatSeconds(seconds: number): string {
  return seconds < 90 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** One epoch's test accuracy on the curve (at step `step`) and its row. */
export function showEpoch(metrics: EpochMetrics, step: number): void {
  accChart.add(step, [null, metrics.testAcc]);
  const cells = [String(metrics.epoch), metrics.trainLoss.toFixed(4), metrics.trainAcc.toFixed(4), metrics.testAcc.toFixed(4)];
  addRow(ui.epochLog, [...cells, metrics.examplesPerSec.toFixed(1)]);
  ui.epochLog.dataset.testAcc = String(metrics.testAcc);
}

/** The message for a mode this browser lacks: why, and a button for each mode it has. */
export function showModeUnavailable(error: ModeUnavailableMessage): void {
  ui.message.dataset.unavailable = error.choice;
  showMessage(
    `${CHOICE_LABELS[error.choice]} does not run in this browser.\nWhy: ${error.reason}\nThis browser can run: ${error.alternatives.map((c) => CHOICE_LABELS[c]).join(', ')}.`,
    error.alternatives.map((alternative): [string, () => void] => [
      `Use ${alternative}`,
      () => {
        ui.backend.value = alternative;
        clearMessage();
      },
    ]),
  );
}
