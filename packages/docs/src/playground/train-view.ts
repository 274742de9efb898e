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

/** Enables the buttons that make sense in `state`. */
export function setButtons(state: TrainerState | 'loading'): void {
  const running = state === 'running';
  ui.start.disabled = running || state === 'paused' || state === 'loading';
  ui.pause.disabled = !running;
  ui.resume.disabled = state !== 'paused';
  ui.download.disabled = running || state === 'loading';
  ui.downloadOnnx.disabled = ui.download.disabled;
  ui.pretrained.disabled = running || state === 'paused';
}

function addRow(table: HTMLTableElement, cells: readonly string[], keep = Number.POSITIVE_INFINITY): void {
  const row = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell;
    row.append(td);
  }
  const body = table.tBodies[0];
  body.append(row);
  while (body.rows.length > keep) body.rows[0].remove();
}

/** Empties the curves, the tables and the speed line. */
export function resetTrainingView(): void {
  lossChart.clear();
  accChart.clear();
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
  addRow(ui.trainLog, cells, STEP_ROWS_KEPT);
  ui.speed.textContent = `step ${point.step} · epoch ${point.epoch} · ${point.examplesPerSec.toFixed(1)} examples/s`;
  ui.speed.dataset.examplesPerSec = String(point.examplesPerSec);
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
