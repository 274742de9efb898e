/**
 * The backend the Playground starts on: the fastest that runs in this browser, chosen by
 * `@lenet/backend-gpu`'s `chooseAutoMode`, the rule of the CLI's `--backend auto` (a hardware WebGPU
 * adapter, else hardware WebGL2, else webasm, which outruns a software rasteriser, else plain JS).
 * On a hardware GPU the defaults train on all of Fashion-MNIST; software modes keep the small run.
 * @module
 */
import { chooseAutoMode } from '@lenet/backend-gpu';
import type { BackendChoice } from './backends.js';
import { ui } from './page.js';

/** The whole training split and test split, in d2l's batches of 256, for 10 epochs. */
const FULL_RUN = { trainExamples: 60_000, testExamples: 10_000, batchSize: 256, epochs: 10 } as const;

/** The choice, and the sentence the page shows about it. */
export interface DefaultBackend {
  readonly choice: BackendChoice;
  readonly reason: string;
  readonly hardwareGpu: boolean;
}

/** Picks the default backend and sets the form's defaults for it. */
export async function chooseDefaultBackend(): Promise<DefaultBackend> {
  let choice: BackendChoice = 'backend-cpu';
  let reason: string;
  let hardwareGpu = false;
  try {
    const auto = await chooseAutoMode();
    choice = auto.mode === 'webgpu' || auto.mode === 'webgl2' || auto.mode === 'webasm' || auto.mode === 'cpu' ? auto.mode : 'backend-cpu';
    hardwareGpu = auto.hardwareGpu;
    reason = `Started on ${choice}, the backend the CLI's --backend auto picks here (${auto.reason}).`;
  } catch (error) {
    reason = `Started on backend-cpu: choosing a GPU.js mode failed (${error instanceof Error ? error.message : String(error)}).`;
  }
  if (hardwareGpu) {
    ui.trainExamples.value = String(FULL_RUN.trainExamples);
    ui.testExamples.value = String(FULL_RUN.testExamples);
    ui.batchSize.value = String(FULL_RUN.batchSize);
    ui.epochs.value = String(FULL_RUN.epochs);
    reason += ` On this hardware GPU the defaults train on all ${FULL_RUN.trainExamples.toLocaleString('en')} training examples for ${FULL_RUN.epochs} full epochs.`;
  } else {
    reason += ` No hardware GPU: the defaults stay small (${ui.trainExamples.value} examples, ${ui.epochs.value} epochs), as a software mode trains a full epoch in minutes, not seconds; the expected time per epoch appears after the first steps.`;
  }
  reason += ' backend-cpu (the readable loops of formula (1)) is one choice away in the backend menu.';
  return { choice, reason, hardwareGpu };
}
