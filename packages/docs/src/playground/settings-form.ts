/**
 * The Playground's settings form: the choices read back from the page, checked, with a clear
 * error for a value out of range.
 * @module
 */
import { isModelName, type ModelName, STEP_MODES, type StepMode } from '@lenet/models/browser';
import { BACKEND_CHOICES, type BackendChoice } from './backends.js';
import { ui } from './page.js';
import type { TrainSettings } from './trainer.js';

/** Adds one option per value to `select`. */
export function fillSelect<T extends string>(select: HTMLSelectElement, values: readonly T[], labels: (value: T) => string): void {
  for (const value of values) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = labels(value);
    select.append(option);
  }
}

function positiveInteger(input: HTMLInputElement, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(input.value);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new RangeError(`${name} must be an integer from 1 to ${max}, got "${input.value}"`);
  return value;
}

/** The model chosen in the form. */
export function chosenModel(): ModelName {
  const name = ui.model.value;
  if (!isModelName(name)) throw new RangeError(`unknown model ${name}`);
  return name;
}

/** The backend chosen in the form. */
export function chosenBackend(): BackendChoice {
  const choice = BACKEND_CHOICES.find((name) => name === ui.backend.value);
  if (choice === undefined) throw new RangeError(`unknown backend ${ui.backend.value}`);
  return choice;
}

/** The step mode chosen in the form. */
export function chosenStepMode(): StepMode {
  const mode = STEP_MODES.find((name) => name === ui.stepMode.value);
  if (mode === undefined) throw new RangeError(`unknown step mode ${ui.stepMode.value}`);
  return mode;
}

/**
 * The training settings in the form.
 * @throws RangeError naming the field whose value is out of range
 */
export function readTrainSettings(): TrainSettings {
  const lr = Number(ui.lr.value);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`the learning rate must be a positive number, got "${ui.lr.value}"`);
  const momentum = Number(ui.momentum.value);
  if (!(momentum >= 0 && momentum < 1))
    throw new RangeError(`the momentum must be a number from 0 up to (not including) 1, got "${ui.momentum.value}"`);
  return {
    model: chosenModel(),
    lr,
    momentum,
    batchSize: positiveInteger(ui.batchSize, 'the batch size'),
    trainExamples: positiveInteger(ui.trainExamples, 'training examples', 60_000),
    testExamples: positiveInteger(ui.testExamples, 'test examples', 10_000),
    epochs: positiveInteger(ui.epochs, 'epochs', 1000),
    seed: 1,
    stepMode: chosenStepMode(),
  };
}
