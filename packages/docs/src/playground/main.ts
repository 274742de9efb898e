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
import { showComparison, showGradientChecks } from './check-view.js';
import { chooseDefaultBackend } from './default-backend.js';
import { showGallery } from './gallery-view.js';
import { resetLiveView, showView } from './live-view.js';
import { renderShaderListings, renderShaders } from './shader-view.js';
import type { ShaderListing } from './shaders.js';
import { Trainer, type TrainerEvents, type TrainSettings } from './trainer.js';
import { chosenBackend, chosenModel, fillSelect, readTrainSettings } from './settings-form.js';
import { resetTrainingView, setButtons, setEpochSize, showEpoch, showModeUnavailable, showStep } from './train-view.js';
import { checkpointBytes, readWeightsBytes } from './weights.js';
import { WorkerTrainer, type WorkerPlace } from './worker-trainer.js';

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
  /** Where the network trains when that is not `open` (the training worker's mode and device). */
  readonly place?: WorkerPlace;
}

/** Least time between two views inside the network while training (a few a second). */
const VIEWS_INTERVAL_MS = 250;
/** The page's address can ask for training on the page (`?worker=off`) or a wrong conv2d kernel (`?wrong-kernel=conv2d`). */
const addressOptions = new URLSearchParams(location.search);

let testSplit: ImageClassificationSplit | null = null;
let trainSplit: ImageClassificationSplit | null = null;
let current: CurrentModel | null = null;
let trainer: Trainer | WorkerTrainer | null = null;
/** The shaders the training worker compiled, for the Shaders tab. */
let workerShaders: { mode: string; device: string; listings: readonly ShaderListing[] } | null = null;
/** The running trainer's `run()`, awaited before its model is replaced. */
let trainerRun: Promise<void> | null = null;
let inspectedImage: InspectedImage | null = null;
function showHeader(open: OpenBackend, model: ModelName, source: string, place?: WorkerPlace): void {
  const [mode, device, where] =
    place === undefined ? [open.mode, open.device, 'this page'] : [place.mode, place.device, 'a Web Worker (the page stays responsive)'];
  const threadsInfo = place === undefined ? open.threads : place.threads;
  const threads = threadsInfo === null ? '' : ` · ${threadsInfo.note}`;
  ui.header.textContent = `${model} · backend ${place?.choice ?? open.choice} · GPU.js mode that ran: ${mode} · device: ${device}${threads} · trains in: ${where} · weights: ${source}`;
  ui.header.dataset.mode = place?.gpuMode ?? (open.gpu === null ? 'backend-cpu' : open.gpu.mode);
  ui.header.dataset.device = device;
  ui.header.dataset.where = place === undefined ? 'page' : 'worker';
  if (threadsInfo === null) delete ui.header.dataset.threads;
  else ui.header.dataset.threads = threadsInfo.on ? 'on' : 'off';
}

/** The Shaders tab: the training worker's shaders while its network is shown, else the page backend's. */
function showShaders(): void {
  if (current?.place !== undefined && workerShaders !== null)
    renderShaderListings(workerShaders.mode, workerShaders.device, workerShaders.listings);
  else renderShaders(current?.open ?? null);
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
  showHeader(next.open, next.name, next.source, next.place);
  // a run's start draws nothing it need not: the tab that is opened draws itself
  if (inspectShown() || next.place === undefined) void refreshInspect();
  showShaders();
}

/** Whether "Look inside" is the tab on screen. */
function inspectShown(): boolean {
  return !element('panel-inspect', HTMLElement).hidden;
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

/** The page's backend-cpu, for the page's copy of a network trained in the worker. */
let pageCpu: OpenBackend | null = null;

/**
 * Starts a run: in the training worker when the chosen backend opens there, else on the page (and
 * the page says why). With `oneStep`, the run takes exactly one step and pauses.
 */
async function startTraining(oneStep = false): Promise<void> {
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
  const [train, test] = await Promise.all([ensureTrainSplit(settings.trainExamples), ensureTestSplit()]);
  trainer?.stop();
  await trainerRun;
  resetTrainingView();
  resetLiveView();
  setEpochSize(Math.min(settings.trainExamples, train.count));
  const events: TrainerEvents = {
    onStep: async (point) => {
      showStep(point);
      if (!element('panel-inspect', HTMLElement).hidden && point.step % 5 === 0) {
        if (run instanceof WorkerTrainer) run.requestWeights();
        else await refreshInspect();
      }
    },
    onEpoch: (metrics) => showEpoch(metrics, run.steps),
    onState: (state, detail) => {
      ui.state.textContent = `${state}: ${detail}`;
      ui.state.dataset.state = state;
      setButtons(state);
      if (state === 'diverged') offerAfterDivergence(run, detail);
      if (state === 'failed') showMessage(`Training failed: ${detail}`);
      if (!(run instanceof WorkerTrainer) && (state === 'done' || state === 'paused' || state === 'diverged')) {
        void refreshInspect();
        showShaders();
      }
    },
  };
  let run: Trainer | WorkerTrainer;
  let place: WorkerPlace | undefined;
  let open: OpenBackend;
  let pageNote = '';
  if (addressOptions.get('worker') !== 'off') {
    pageCpu ??= await openBackend('backend-cpu');
    const inWorker = new WorkerTrainer(
      settings,
      pageCpu,
      { train, test },
      {
        ...events,
        onView: showView,
        onGallery: showGallery,
        onComparison: showComparison,
        onGradientCheck: showGradientChecks,
        onShaders: (mode, device, listings) => {
          workerShaders = { mode, device, listings };
          if (!element('panel-shaders', HTMLElement).hidden) showShaders();
        },
        onWeights: () => {
          if (inspectShown()) void refreshInspect();
          ui.download.dataset.weightsAtStep = String(inWorker.steps);
        },
        onError: (message) => showMessage(`The training worker: ${message}`),
      },
    );
    const opened = await inWorker.start(choice, {
      viewsIntervalMs: ui.viewsOn.checked ? VIEWS_INTERVAL_MS : null,
      oneStep,
      wrongKernel: addressOptions.get('wrong-kernel') === 'conv2d',
    });
    if ('unavailable' in opened) pageNote = opened.unavailable;
    else {
      run = inWorker;
      place = opened;
    }
  }
  try {
    open = place !== undefined && pageCpu !== null ? pageCpu : current?.open.choice === choice ? current.open : await openBackend(choice);
  } catch (error) {
    setButtons('idle');
    ui.state.textContent = '';
    if (error instanceof ModeUnavailableMessage) showModeUnavailable(error);
    else showMessage(describeError(error));
    return;
  }
  run ??= new Trainer(settings, open, { train, test }, events);
  ui.backendReason.textContent =
    place !== undefined
      ? (ui.backendReason.dataset.autoReason ?? '')
      : `${choice} trains on this page, not in a worker${pageNote === '' ? ' (asked for with ?worker=off)' : `: in a worker, ${pageNote}`}`;
  trainer = run;
  trainerRun = null;
  workerShaders = null;
  replaceCurrent({
    model: run.model,
    name: settings.model,
    open,
    source: `training (${settings.model}, lr ${settings.lr})`,
    info: null,
    place,
  });
  if (run instanceof Trainer && oneStep) run.stepOnce();
  trainerRun = run.run();
  await trainerRun;
}

/** One step: from a paused run, the next step; with no run, a new run's first step. */
async function oneStep(): Promise<void> {
  if (trainer !== null && trainer.state === 'paused') {
    trainer.stepOnce();
    return;
  }
  await startTraining(true);
}

/** Sends the form's learning rate and momentum to the running trainer (from its next step on). */
function changeHyperparameters(): void {
  if (trainer === null || (trainer.state !== 'running' && trainer.state !== 'paused')) return;
  const lr = Number(ui.lr.value);
  const momentum = Number(ui.momentum.value);
  try {
    trainer.setHyperparameters(lr, momentum);
  } catch (error) {
    showMessage(describeError(error));
  }
}

function offerAfterDivergence(run: Trainer | WorkerTrainer, detail: string): void {
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
  if (name === 'shaders') showShaders();
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
  const defaults = await chooseDefaultBackend();
  ui.backend.value = defaults.choice;
  ui.backendReason.textContent = defaults.reason;
  ui.backendReason.dataset.autoReason = defaults.reason;
  ui.backendReason.dataset.choice = defaults.choice;
  ui.model.addEventListener('change', () => {
    ui.lr.value = String(getModelSpec(chosenModel()).defaultLr);
  });
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('#tabs button'))) {
    button.addEventListener('click', () => showTab(button.dataset.tab ?? 'train'));
  }
  const hash = location.hash.replace('#', '');
  ui.start.addEventListener(
    'click',
    guarded(() => startTraining(), 'Training'),
  );
  ui.oneStep.addEventListener('click', guarded(oneStep, 'One step'));
  ui.lr.addEventListener('change', changeHyperparameters);
  ui.momentum.addEventListener('change', changeHyperparameters);
  ui.viewsOn.addEventListener('change', () => {
    if (trainer instanceof WorkerTrainer) trainer.setViews(ui.viewsOn.checked ? VIEWS_INTERVAL_MS : null);
  });
  ui.compare.addEventListener('click', () => {
    if (trainer instanceof WorkerTrainer) trainer.compare();
    else showMessage("The formula table compares the training worker's kernels with backend-cpu: start a run first.");
  });
  ui.gradcheck.addEventListener('click', () => {
    if (!(trainer instanceof WorkerTrainer)) {
      showMessage('The gradient check uses the network being trained: start a run first.');
      return;
    }
    const indices = ui.gradcheckIndices.value.split(',').map((text) => Number(text.trim()));
    trainer.checkGradients(indices.map((index) => ({ parameter: ui.gradcheckParameter.value, index })));
  });
  ui.pause.addEventListener('click', () => trainer?.pause());
  ui.resume.addEventListener('click', () => trainer?.resume());
  ui.reset.addEventListener(
    'click',
    guarded(async () => {
      trainer?.stop();
      await trainerRun; // the run ends after its current step, before its model is freed
      resetLiveView();
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
  if (['train', 'inside', 'inspect', 'gallery', 'shaders'].includes(hash)) showTab(hash);
  if (hash === 'probe') {
    showTab('inspect');
    ui.probe.scrollIntoView();
  }
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => showMessage(`The Playground could not start: ${describeError(error)}`));
