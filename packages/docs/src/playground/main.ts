/**
 * The Playground page: settings, training, weights in and out, and the tabs (Train here; Look
 * inside in `inspect-view.ts`, Shaders in `shader-view.ts`).
 * Bundled by esbuild into `site/playground/playground.js` (see `src/generate/playground-bundle.ts`).
 * @module
 */
import { nn, Rng, setBackend } from '@lenet/core';
import {
  CheckpointError,
  exportOnnx,
  FASHION_MNIST_CLASS_NAMES,
  getModelSpec,
  IDX_FILE_NAMES,
  MODEL_NAMES,
  SafetensorsError,
  type CheckpointInfo,
  type ImageClassificationSplit,
  type ModelName,
  scaleToUnitInterval,
} from '@lenet/models/browser';
import { BACKEND_CHOICES, CHOICE_LABELS, ModeUnavailableMessage, openBackend, type OpenBackend } from './backends.js';
import { fetchSplit } from './data.js';
import { setUpDrawing } from './drawing.js';
import { renderInspect, type InspectedImage } from './inspect-view.js';
import { clearMessage, describeError, element, showMessage, ui } from './page.js';
import { renderShaders } from './shader-view.js';
import { Trainer, type TrainSettings } from './trainer.js';
import { chosenBackend, chosenModel, fillSelect, readTrainSettings } from './settings-form.js';
import { resetTrainingView, setButtons, showEpoch, showModeUnavailable, showStep } from './train-view.js';
import { checkpointBytes, readWeightsBytes } from './weights.js';

const DATA_URL = './data/';
const PRETRAINED_URL = './pretrained/model.safetensors';
/** Test images loaded for "Look inside" and the held-out accuracy. */
const TEST_IMAGES = 10_000;

/** The network the tabs show: the pretrained one, a loaded file, or the one being trained. */
interface CurrentModel {
  readonly model: nn.Sequential;
  readonly name: ModelName;
  readonly open: OpenBackend;
  readonly source: string;
  readonly info: CheckpointInfo | null;
}

let testSplit: ImageClassificationSplit | null = null;
let trainSplit: ImageClassificationSplit | null = null;
let current: CurrentModel | null = null;
let trainer: Trainer | null = null;
/** The running trainer's `run()`, awaited before its model is replaced. */
let trainerRun: Promise<void> | null = null;
let inspectedImage: InspectedImage | null = null;
function showHeader(open: OpenBackend, model: ModelName, source: string): void {
  const threads = open.threads === null ? '' : ` · ${open.threads.note}`;
  ui.header.textContent = `${model} · backend ${open.choice} · GPU.js mode that ran: ${open.mode} · device: ${open.device}${threads} · weights: ${source}`;
  ui.header.dataset.mode = open.gpu === null ? 'backend-cpu' : open.gpu.mode;
  ui.header.dataset.device = open.device;
  if (open.threads === null) delete ui.header.dataset.threads;
  else ui.header.dataset.threads = open.threads.on ? 'on' : 'off';
}

// ---- data ----------------------------------------------------------------------------------

async function ensureTestSplit(): Promise<ImageClassificationSplit> {
  testSplit ??= await fetchSplit(DATA_URL + IDX_FILE_NAMES.testImages, DATA_URL + IDX_FILE_NAMES.testLabels, TEST_IMAGES);
  return testSplit;
}

async function ensureTrainSplit(count: number): Promise<ImageClassificationSplit> {
  if (trainSplit === null || trainSplit.count < count) {
    trainSplit = await fetchSplit(DATA_URL + IDX_FILE_NAMES.trainImages, DATA_URL + IDX_FILE_NAMES.trainLabels, count);
  }
  return trainSplit;
}

// ---- weights ------------------------------------------------------------------------------

async function useWeights(bytes: Uint8Array, file: string, source: string): Promise<void> {
  const loaded = readWeightsBytes(bytes, file, chosenModel());
  const open = current?.open ?? (await openBackend('backend-cpu'));
  setBackend(open.backend);
  const model = getModelSpec(loaded.model).build(buildRngFor(loaded));
  try {
    model.loadStateDict(loaded.tensors, file);
  } catch (error) {
    model.dispose();
    throw error;
  }
  replaceCurrent({ model, name: loaded.model, open, source, info: loaded.info });
  ui.model.value = loaded.model;
}

function buildRngFor(loaded: { info: CheckpointInfo | null }): Rng {
  return new Rng(loaded.info?.settings.seed ?? 0);
}

function replaceCurrent(next: CurrentModel): void {
  if (current !== null && current.model !== next.model && current.model !== trainer?.model) current.model.dispose();
  if (current !== null && current.open !== next.open && current.open !== trainer?.open) current.open.close();
  current = next;
  showHeader(next.open, next.name, next.source);
  void refreshInspect();
  renderShaders(current?.open ?? null);
}

async function loadPretrained(): Promise<void> {
  const response = await fetch(PRETRAINED_URL);
  if (!response.ok) throw new Error(`${PRETRAINED_URL}: HTTP ${response.status}`);
  await useWeights(new Uint8Array(await response.arrayBuffer()), 'pretrained/model.safetensors', 'pretrained (the recorded run)');
}

/** What the downloaded files record of the current weights: the run's, the file's, or a fresh model's. */
function currentInfo(model: CurrentModel): CheckpointInfo {
  if (trainer !== null && model.model === trainer.model) {
    return {
      settings: trainer.runSettings(),
      epoch: trainer.history.length,
      history: [...trainer.history],
      backend: trainer.open.backend.name,
    };
  }
  return (
    model.info ?? {
      settings: {
        model: model.name,
        seed: 0,
        batchSize: 256,
        lr: getModelSpec(model.name).defaultLr,
        momentum: 0,
        dataset: 'fashion-mnist',
        trainExamples: 0,
        testExamples: 10_000,
      },
      epoch: 0,
      history: [],
      backend: model.open.backend.name,
    }
  );
}

/** Hands `bytes` to the browser as a download called `name`. */
function saveFile(bytes: Uint8Array, name: string): void {
  const blob = new Blob([bytes.slice()], { type: 'application/octet-stream' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function downloadWeights(): Promise<void> {
  if (current === null) throw new Error('no model yet');
  saveFile(await checkpointBytes(current.model, currentInfo(current)), 'model.safetensors');
}

/** The current weights as an ONNX model (`exportOnnx`, as `npm run export` writes it). */
async function downloadOnnx(): Promise<void> {
  if (current === null) throw new Error('no model yet');
  const bytes = await exportOnnx(current.model, { model: current.name, classNames: FASHION_MNIST_CLASS_NAMES, info: currentInfo(current) });
  saveFile(bytes, 'model.onnx');
}

// ---- training ------------------------------------------------------------------------------

async function startTraining(): Promise<void> {
  clearMessage();
  const choice = chosenBackend();
  let settings: TrainSettings;
  try {
    settings = readTrainSettings();
  } catch (error) {
    showMessage(describeError(error));
    return;
  }
  setButtons('loading');
  ui.state.textContent = `opening ${choice} and loading ${settings.trainExamples} training examples…`;
  let open: OpenBackend;
  try {
    open = current?.open.choice === choice ? current.open : await openBackend(choice);
  } catch (error) {
    setButtons('idle');
    ui.state.textContent = '';
    if (error instanceof ModeUnavailableMessage) showModeUnavailable(error);
    else showMessage(describeError(error));
    return;
  }
  const [train, test] = await Promise.all([ensureTrainSplit(settings.trainExamples), ensureTestSplit()]);
  resetTrainingView();
  trainer?.stop();
  const run = new Trainer(
    settings,
    open,
    { train, test },
    {
      onStep: async (point) => {
        showStep(point);
        if (!element('panel-inspect', HTMLElement).hidden && point.step % 5 === 0) await refreshInspect();
      },
      onEpoch: (metrics) => showEpoch(metrics, run.steps),
      onState: (state, detail) => {
        ui.state.textContent = `${state}: ${detail}`;
        ui.state.dataset.state = state;
        setButtons(state);
        if (state === 'diverged') offerAfterDivergence(run, detail);
        if (state === 'failed') showMessage(`Training failed: ${detail}`);
        if (state === 'done' || state === 'paused' || state === 'diverged') {
          void refreshInspect();
          renderShaders(current?.open ?? null);
        }
      },
    },
  );
  trainer = run;
  trainerRun = null;
  replaceCurrent({ model: run.model, name: settings.model, open, source: `training (${settings.model}, lr ${settings.lr})`, info: null });
  trainerRun = run.run();
  await trainerRun;
}

function offerAfterDivergence(run: Trainer, detail: string): void {
  const lower = Number((run.settings.lr / 10).toPrecision(6));
  showMessage(
    `Training stopped: ${detail} (not a number: the learning rate ${run.settings.lr} is too large for this network). ` +
      `The weights from before that step are kept.`,
    [
      [
        'Use the last good weights',
        () => {
          const good = run.lastGoodWeights;
          if (good === null) return;
          setBackend(run.open.backend);
          run.model.loadStateDict(good, 'the last good weights');
          ui.state.textContent = 'diverged: showing the last good weights';
          clearMessage();
          void refreshInspect();
        },
      ],
      [
        `Set the learning rate to ${lower} and start again`,
        () => {
          ui.lr.value = String(lower);
          clearMessage();
          void startTraining();
        },
      ],
    ],
  );
}

function selectTestImage(index: number): void {
  if (testSplit === null) return;
  const clamped = Math.max(0, Math.min(testSplit.count - 1, Math.trunc(index) || 0));
  ui.imageIndex.value = String(clamped);
  const size = testSplit.height * testSplit.width;
  inspectedImage = {
    pixels: scaleToUnitInterval(testSplit.images.subarray(clamped * size, (clamped + 1) * size)),
    caption: `test image ${clamped}: ${FASHION_MNIST_CLASS_NAMES[testSplit.labels[clamped]]}`,
  };
  void refreshInspect();
}

let inspectQueue: Promise<void> = Promise.resolve();

function refreshInspect(): Promise<void> {
  inspectQueue = inspectQueue
    .then(() => (current === null || inspectedImage === null ? undefined : renderInspect(current, inspectedImage)))
    .catch((error: unknown) => showMessage(`Look inside: ${describeError(error)}`));
  return inspectQueue;
}

// ---- tabs and start-up -----------------------------------------------------------------------

function showTab(name: string): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('#tabs button'))) {
    const selected = button.dataset.tab === name;
    button.setAttribute('aria-selected', String(selected));
    const panel = document.getElementById(`panel-${button.dataset.tab ?? ''}`);
    if (panel !== null) panel.hidden = !selected;
  }
  if (name === 'inspect') void refreshInspect();
  if (name === 'shaders') renderShaders(current?.open ?? null);
}

function guarded(action: () => Promise<void>, what: string): () => void {
  return () => {
    action().catch((error: unknown) => {
      const corrupt = error instanceof SafetensorsError || error instanceof CheckpointError || error instanceof nn.StateDictMismatchError;
      showMessage(corrupt ? `That weights file cannot be used: ${describeError(error)}` : `${what}: ${describeError(error)}`);
      if (corrupt) ui.message.dataset.kind = 'corrupt-weights';
    });
  };
}

async function main(): Promise<void> {
  fillSelect(ui.model, MODEL_NAMES, (name) => name);
  fillSelect(ui.backend, BACKEND_CHOICES, (choice) => CHOICE_LABELS[choice]);
  ui.backend.value = 'backend-cpu';
  ui.model.addEventListener('change', () => {
    ui.lr.value = String(getModelSpec(chosenModel()).defaultLr);
  });
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('#tabs button'))) {
    button.addEventListener('click', () => showTab(button.dataset.tab ?? 'train'));
  }
  const hash = location.hash.replace('#', '');
  ui.start.addEventListener('click', guarded(startTraining, 'Training'));
  ui.pause.addEventListener('click', () => trainer?.pause());
  ui.resume.addEventListener('click', () => trainer?.resume());
  ui.reset.addEventListener(
    'click',
    guarded(async () => {
      trainer?.stop();
      await trainerRun; // the run ends after its current step, before its model is freed
      trainer = null;
      trainerRun = null;
      resetTrainingView();
      clearMessage();
      await loadPretrained();
      ui.state.textContent = 'reset: the pretrained weights are back';
      ui.state.dataset.state = 'idle';
      setButtons('idle');
    }, 'Reset'),
  );
  ui.pretrained.addEventListener('click', guarded(loadPretrained, 'Loading the pretrained weights'));
  ui.download.addEventListener('click', guarded(downloadWeights, 'Download'));
  ui.downloadOnnx.addEventListener('click', guarded(downloadOnnx, 'Download model.onnx'));
  ui.loadWeights.addEventListener(
    'change',
    guarded(async () => {
      const file = ui.loadWeights.files?.[0];
      if (file === undefined) return;
      clearMessage();
      await useWeights(new Uint8Array(await file.arrayBuffer()), file.name, `file ${file.name}`);
      ui.loadWeights.value = '';
    }, 'Loading weights'),
  );
  ui.imageIndex.addEventListener('change', () => selectTestImage(Number(ui.imageIndex.value)));
  element('prev-image', HTMLButtonElement).addEventListener('click', () => selectTestImage(Number(ui.imageIndex.value) - 1));
  element('next-image', HTMLButtonElement).addEventListener('click', () => selectTestImage(Number(ui.imageIndex.value) + 1));
  setUpDrawing((image) => {
    inspectedImage = image;
    void refreshInspect();
  });
  setButtons('loading');
  await ensureTestSplit();
  selectTestImage(0);
  await loadPretrained();
  await inspectQueue;
  setButtons('idle');
  ui.state.textContent = 'ready: the pretrained weights of the recorded run are loaded';
  ui.state.dataset.state = 'ready';
  if (['train', 'inspect', 'shaders'].includes(hash)) showTab(hash);
  if (hash === 'probe') {
    showTab('inspect');
    ui.probe.scrollIntoView();
  }
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => showMessage(`The Playground could not start: ${describeError(error)}`));
