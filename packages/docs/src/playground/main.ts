/**
 * The Playground page: settings, the three tabs (Train, Look inside, Shaders), weights in and out.
 * Bundled by esbuild into `site/playground/playground.js` (see `src/generate/playground-bundle.ts`).
 * @module
 */
import katex from 'katex';
import { Rng, setBackend, type nn } from '@lenet/core';
import {
  CheckpointError,
  FASHION_MNIST_CLASS_NAMES,
  getModelSpec,
  IDX_FILE_NAMES,
  isModelName,
  MODEL_NAMES,
  SafetensorsError,
  type CheckpointInfo,
  type ImageClassificationSplit,
  type ModelName,
  type StepMode,
  type TensorData,
} from '@lenet/models/browser';
import { BACKEND_CHOICES, CHOICE_LABELS, ModeUnavailableMessage, openBackend, type BackendChoice, type OpenBackend } from './backends.js';
import { LiveChart } from './charts.js';
import { fetchSplit } from './data.js';
import { activationsOf, c1Layer, forwardPass, probeC1, probeTex, readC1, type C1Weights, type ForwardPass, type LayerOutput } from './inspect.js';
import { compiledShaders } from './shaders.js';
import { buildModel, Trainer, type TrainerState } from './trainer.js';
import { checkpointBytes, readWeightsBytes } from './weights.js';

const DATA_URL = './data/';
const PRETRAINED_URL = './pretrained/model.safetensors';
/** Test images loaded for "Look inside" and the held-out accuracy. */
const TEST_IMAGES = 10_000;

function element<T extends HTMLElement>(id: string, kind: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof kind)) throw new Error(`the page has no #${id}`);
  return found;
}

const ui = {
  model: element('model', HTMLSelectElement),
  backend: element('backend', HTMLSelectElement),
  lr: element('lr', HTMLInputElement),
  batchSize: element('batch-size', HTMLInputElement),
  trainExamples: element('train-examples', HTMLInputElement),
  testExamples: element('test-examples', HTMLInputElement),
  epochs: element('epochs', HTMLInputElement),
  stepMode: element('step-mode', HTMLSelectElement),
  start: element('start', HTMLButtonElement),
  pause: element('pause', HTMLButtonElement),
  resume: element('resume', HTMLButtonElement),
  reset: element('reset', HTMLButtonElement),
  pretrained: element('pretrained', HTMLButtonElement),
  loadWeights: element('load-weights', HTMLInputElement),
  download: element('download', HTMLButtonElement),
  header: element('run-header', HTMLDivElement),
  state: element('run-state', HTMLDivElement),
  message: element('message', HTMLDivElement),
  speed: element('speed', HTMLDivElement),
  epochLog: element('epoch-log', HTMLTableElement),
  trainLog: element('train-log', HTMLTableElement),
  imageIndex: element('image-index', HTMLInputElement),
  imageCaption: element('image-caption', HTMLDivElement),
  inputImage: element('input-image', HTMLCanvasElement),
  draw: element('draw', HTMLCanvasElement),
  prediction: element('prediction', HTMLSpanElement),
  probabilities: element('probabilities', HTMLDivElement),
  maps: element('maps', HTMLDivElement),
  probe: element('probe', HTMLDivElement),
  shadersIntro: element('shaders-intro', HTMLParagraphElement),
  shaders: element('shaders', HTMLDivElement),
};

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
let inspectedImage: { pixels: Float32Array; caption: string } | null = null;
let lastPass: { pass: ForwardPass; c1: C1Weights | null; pixels: Float32Array } | null = null;
const lossChart = new LiveChart(element('loss-chart', HTMLDivElement), 'Loss', [
  { label: 'step loss', stroke: '#9bb7e0' },
  { label: 'train loss (epoch mean)', stroke: '#1f5fbf' },
], null);
const accChart = new LiveChart(element('acc-chart', HTMLDivElement), 'Accuracy', [
  { label: 'train acc (epoch mean)', stroke: '#1f5fbf' },
  { label: 'test acc (held-out)', stroke: '#d5843a', points: true },
], [0, 1]);

// ---- messages -------------------------------------------------------------------------------

function showMessage(text: string, actions: ReadonlyArray<[string, () => void]> = [], kind = 'error'): void {
  ui.message.hidden = false;
  ui.message.dataset.kind = kind;
  ui.message.textContent = text;
  for (const [label, action] of actions) {
    const button = document.createElement('button');
    button.textContent = label;
    button.addEventListener('click', action);
    ui.message.append(document.createElement('br'), button);
  }
}

function clearMessage(): void {
  ui.message.hidden = true;
  ui.message.textContent = '';
  delete ui.message.dataset.kind;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function showHeader(open: OpenBackend, model: ModelName, source: string): void {
  ui.header.textContent = `${model} · backend ${open.choice} · GPU.js mode that ran: ${open.mode} · device: ${open.device} · weights: ${source}`;
  ui.header.dataset.mode = open.gpu === null ? 'backend-cpu' : open.gpu.mode;
  ui.header.dataset.device = open.device;
}

// ---- settings ------------------------------------------------------------------------------

function fillSelect<T extends string>(select: HTMLSelectElement, values: readonly T[], labels: (value: T) => string): void {
  for (const value of values) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = labels(value);
    select.append(option);
  }
}

function positiveInteger(input: HTMLInputElement, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(input.value);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`${name} must be an integer from 1 to ${max}, got "${input.value}"`);
  return value;
}

function chosenModel(): ModelName {
  const name = ui.model.value;
  if (!isModelName(name)) throw new RangeError(`unknown model ${name}`);
  return name;
}

function chosenBackend(): BackendChoice {
  const choice = BACKEND_CHOICES.find((name) => name === ui.backend.value);
  if (choice === undefined) throw new RangeError(`unknown backend ${ui.backend.value}`);
  return choice;
}

function chosenStepMode(): StepMode {
  return ui.stepMode.value === 'eager' ? 'eager' : 'compiled';
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
  refreshShaders();
}

async function loadPretrained(): Promise<void> {
  const response = await fetch(PRETRAINED_URL);
  if (!response.ok) throw new Error(`${PRETRAINED_URL}: HTTP ${response.status}`);
  await useWeights(new Uint8Array(await response.arrayBuffer()), 'pretrained/model.safetensors', 'pretrained (the recorded run)');
}

async function downloadWeights(): Promise<void> {
  if (current === null) throw new Error('no model yet');
  const info: CheckpointInfo = trainer !== null && current.model === trainer.model
    ? { settings: trainer.runSettings(), epoch: trainer.history.length, history: [...trainer.history], backend: trainer.open.gpu === null ? 'cpu' : trainer.open.gpu.name }
    : current.info ?? {
        settings: { model: current.name, seed: 0, batchSize: 256, lr: getModelSpec(current.name).defaultLr, momentum: 0, dataset: 'fashion-mnist', trainExamples: 0, testExamples: 10_000 },
        epoch: 0,
        history: [],
        backend: current.open.gpu === null ? 'cpu' : current.open.gpu.name,
      };
  const bytes = await checkpointBytes(current.model, info);
  const blob = new Blob([bytes.slice()], { type: 'application/octet-stream' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'model.safetensors';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// ---- training ------------------------------------------------------------------------------

function setButtons(state: TrainerState | 'loading'): void {
  const running = state === 'running';
  ui.start.disabled = running || state === 'paused' || state === 'loading';
  ui.pause.disabled = !running;
  ui.resume.disabled = state !== 'paused';
  ui.download.disabled = running || state === 'loading';
  ui.pretrained.disabled = running || state === 'paused';
}

function addRow(table: HTMLTableElement, cells: readonly string[]): void {
  const row = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell;
    row.append(td);
  }
  table.tBodies[0].append(row);
}

function resetTrainingView(): void {
  lossChart.clear();
  accChart.clear();
  ui.trainLog.tBodies[0].replaceChildren();
  ui.epochLog.tBodies[0].replaceChildren();
  ui.speed.textContent = '';
}

async function startTraining(): Promise<void> {
  clearMessage();
  const choice = chosenBackend();
  let settings;
  try {
    const model = chosenModel();
    const lr = Number(ui.lr.value);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`the learning rate must be a positive number, got "${ui.lr.value}"`);
    settings = {
      model,
      lr,
      batchSize: positiveInteger(ui.batchSize, 'the batch size'),
      trainExamples: positiveInteger(ui.trainExamples, 'training examples', 60_000),
      testExamples: positiveInteger(ui.testExamples, 'test examples', 10_000),
      epochs: positiveInteger(ui.epochs, 'epochs', 1000),
      seed: 1,
      stepMode: chosenStepMode(),
    };
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
    if (error instanceof ModeUnavailableMessage) {
      ui.message.dataset.unavailable = error.choice;
      showMessage(
        `${CHOICE_LABELS[error.choice]} does not run in this browser.\nWhy: ${error.reason}\nThis browser can run: ${error.alternatives.map((c) => CHOICE_LABELS[c]).join(', ')}.`,
        error.alternatives.map((alternative): [string, () => void] => [`Use ${alternative}`, () => {
          ui.backend.value = alternative;
          clearMessage();
        }]),
      );
    } else showMessage(describeError(error));
    return;
  }
  const [train, test] = await Promise.all([ensureTrainSplit(settings.trainExamples), ensureTestSplit()]);
  resetTrainingView();
  trainer?.stop();
  const run = new Trainer(settings, open, { train, test }, {
    onStep: async (point) => {
      lossChart.add(point.step, [point.loss, point.trainLoss]);
      accChart.add(point.step, [point.trainAcc, null]);
      addRow(ui.trainLog, [String(point.step), String(point.epoch), point.loss.toFixed(5), point.trainLoss.toFixed(5), point.trainAcc.toFixed(4), point.examplesPerSec.toFixed(1)]);
      ui.speed.textContent = `step ${point.step} · epoch ${point.epoch} · ${point.examplesPerSec.toFixed(1)} examples/s`;
      ui.speed.dataset.examplesPerSec = String(point.examplesPerSec);
      if (!element('panel-inspect', HTMLElement).hidden && point.step % 5 === 0) await refreshInspect();
    },
    onEpoch: (metrics) => {
      accChart.add(run.steps, [null, metrics.testAcc]);
      addRow(ui.epochLog, [String(metrics.epoch), metrics.trainLoss.toFixed(4), metrics.trainAcc.toFixed(4), metrics.testAcc.toFixed(4), metrics.examplesPerSec.toFixed(1)]);
      ui.epochLog.dataset.testAcc = String(metrics.testAcc);
    },
    onState: (state, detail) => {
      ui.state.textContent = `${state}: ${detail}`;
      ui.state.dataset.state = state;
      setButtons(state);
      if (state === 'diverged') offerAfterDivergence(run, detail);
      if (state === 'failed') showMessage(`Training failed: ${detail}`);
      if (state === 'done' || state === 'paused' || state === 'diverged') {
        void refreshInspect();
        refreshShaders();
      }
    },
  });
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
      ['Use the last good weights', () => {
        const good = run.lastGoodWeights;
        if (good === null) return;
        setBackend(run.open.backend);
        run.model.loadStateDict(good, 'the last good weights');
        ui.state.textContent = 'diverged: showing the last good weights';
        clearMessage();
        void refreshInspect();
      }],
      [`Set the learning rate to ${lower} and start again`, () => {
        ui.lr.value = String(lower);
        clearMessage();
        void startTraining();
      }],
    ],
  );
}

// ---- look inside --------------------------------------------------------------------------

const MAP_LABELS = ['C1', 'S2', 'C3', 'S4'];
const DENSE_LABELS = ['C5', 'F6'];

function drawMap(canvas: HTMLCanvasElement, values: Float32Array, height: number, width: number, scaleOwn = true): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) return;
  let low = scaleOwn ? Infinity : 0;
  let high = scaleOwn ? -Infinity : 1;
  if (scaleOwn) for (const value of values) { low = Math.min(low, value); high = Math.max(high, value); }
  const span = high - low || 1;
  const picture = context.createImageData(width, height);
  for (let i = 0; i < height * width; i++) {
    const grey = Math.round(((values[i] - low) / span) * 255);
    picture.data.set([grey, grey, grey, 255], i * 4);
  }
  context.putImageData(picture, 0, 0);
}

function currentPixels(): { pixels: Float32Array; caption: string } | null {
  return inspectedImage;
}

function selectTestImage(index: number): void {
  if (testSplit === null) return;
  const clamped = Math.max(0, Math.min(testSplit.count - 1, Math.trunc(index) || 0));
  ui.imageIndex.value = String(clamped);
  const size = testSplit.height * testSplit.width;
  inspectedImage = {
    pixels: testSplit.images.slice(clamped * size, (clamped + 1) * size),
    caption: `test image ${clamped}: ${FASHION_MNIST_CLASS_NAMES[testSplit.labels[clamped]]}`,
  };
  void refreshInspect();
}

let inspectQueue: Promise<void> = Promise.resolve();

function refreshInspect(): Promise<void> {
  inspectQueue = inspectQueue.then(renderInspect).catch((error: unknown) => showMessage(`Look inside: ${describeError(error)}`));
  return inspectQueue;
}

async function renderInspect(): Promise<void> {
  const image = currentPixels();
  if (current === null || image === null) return;
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
  const x = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
  const y = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
  const c1Output = lastPass.pass.layers.find((layer) => layer.label === 'C1');
  if (c1Output === undefined) return;
  const probe = probeC1(lastPass.c1, lastPass.pixels, 28, 28, c1Output, k, y, x);
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
  numbers.textContent = `map k = ${k}, pixel (x, y) = (${x}, ${y}): formula (1) gives ${probe.sum.toFixed(6)}; the backend's conv2d gave ${probe.backendValue.toFixed(6)}`;
  ui.probe.replaceChildren(formula, numbers);
}

// ---- drawing ------------------------------------------------------------------------------

function setUpDrawing(): void {
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
  ui.draw.addEventListener('pointerdown', (event) => { drawing = true; paint(event); });
  ui.draw.addEventListener('pointermove', paint);
  window.addEventListener('pointerup', () => { drawing = false; });
  element('clear-drawing', HTMLButtonElement).addEventListener('click', clear);
  element('use-drawing', HTMLButtonElement).addEventListener('click', () => {
    const data = context.getImageData(0, 0, 28, 28).data;
    const pixels = new Float32Array(28 * 28);
    for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * 4] / 255;
    inspectedImage = { pixels, caption: 'your drawing' };
    void refreshInspect();
  });
}

// ---- shaders -------------------------------------------------------------------------------

function refreshShaders(): void {
  const gpu = current?.open.gpu ?? null;
  if (current === null || gpu === null) {
    ui.shadersIntro.textContent = `${current?.open.choice ?? 'backend-cpu'} runs no shaders: its kernels are the JavaScript loops of @lenet/backend-cpu. Choose a GPU.js backend and start training (or load weights) to see the shaders it generates.`;
    ui.shaders.replaceChildren();
    return;
  }
  const listings = compiledShaders(gpu);
  ui.shadersIntro.textContent =
    listings.length === 0 && (gpu.mode === 'webasm' || gpu.mode === 'webgpu' || gpu.mode === 'webgl2' || gpu.mode === 'webgl')
      ? gpu.mode === 'webasm'
        ? 'webasm compiles each kernel to WebAssembly bytes, not to a text shader: choose webgpu, webgl2 or webgl to read the shaders.'
        : `no kernel has run on ${gpu.mode} yet: start training (or look inside) to compile them.`
      : `${listings.length} kernels compiled by GPU.js in mode ${gpu.mode} on ${gpu.device}, captured from the running backend:`;
  ui.shaders.dataset.mode = gpu.mode;
  ui.shaders.replaceChildren(
    ...listings.map((listing) => {
      const details = document.createElement('details');
      details.dataset.kernel = listing.kernel;
      const summary = document.createElement('summary');
      summary.textContent = `${listing.kernel} — ${listing.usedBy}`;
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = listing.source;
      pre.append(code);
      details.append(summary, pre);
      return details;
    }),
  );
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
  if (name === 'shaders') refreshShaders();
}

function guarded(action: () => Promise<void>, what: string): () => void {
  return () => {
    action().catch((error: unknown) => {
      const corrupt = error instanceof SafetensorsError || error instanceof CheckpointError || (error instanceof Error && error.name === 'StateDictMismatchError');
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
  ui.reset.addEventListener('click', guarded(async () => {
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
  }, 'Reset'));
  ui.pretrained.addEventListener('click', guarded(loadPretrained, 'Loading the pretrained weights'));
  ui.download.addEventListener('click', guarded(downloadWeights, 'Download'));
  ui.loadWeights.addEventListener('change', guarded(async () => {
    const file = ui.loadWeights.files?.[0];
    if (file === undefined) return;
    clearMessage();
    await useWeights(new Uint8Array(await file.arrayBuffer()), file.name, `file ${file.name}`);
    ui.loadWeights.value = '';
  }, 'Loading weights'));
  ui.imageIndex.addEventListener('change', () => selectTestImage(Number(ui.imageIndex.value)));
  element('prev-image', HTMLButtonElement).addEventListener('click', () => selectTestImage(Number(ui.imageIndex.value) - 1));
  element('next-image', HTMLButtonElement).addEventListener('click', () => selectTestImage(Number(ui.imageIndex.value) + 1));
  setUpDrawing();
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
