/**
 * The page's elements, found once by id, and the message box.
 * @module
 */

/** The element with `id`, which must be a `kind`. */
export function element<T extends HTMLElement>(id: string, kind: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof kind)) throw new Error(`the page has no #${id}`);
  return found;
}

/** The controls and views of `playground/index.html`. */
export const ui = {
  model: element('model', HTMLSelectElement),
  backend: element('backend', HTMLSelectElement),
  lr: element('lr', HTMLInputElement),
  momentum: element('momentum', HTMLInputElement),
  batchSize: element('batch-size', HTMLInputElement),
  trainExamples: element('train-examples', HTMLInputElement),
  testExamples: element('test-examples', HTMLInputElement),
  epochs: element('epochs', HTMLInputElement),
  stepMode: element('step-mode', HTMLSelectElement),
  start: element('start', HTMLButtonElement),
  pause: element('pause', HTMLButtonElement),
  resume: element('resume', HTMLButtonElement),
  oneStep: element('one-step', HTMLButtonElement),
  viewsOn: element('views-on', HTMLInputElement),
  reset: element('reset', HTMLButtonElement),
  pretrained: element('pretrained', HTMLButtonElement),
  loadWeights: element('load-weights', HTMLInputElement),
  download: element('download', HTMLButtonElement),
  downloadOnnx: element('download-onnx', HTMLButtonElement),
  header: element('run-header', HTMLDivElement),
  state: element('run-state', HTMLDivElement),
  backendReason: element('backend-reason', HTMLDivElement),
  epochTime: element('epoch-time', HTMLDivElement),
  hyperLog: element('hyper-log', HTMLUListElement),
  compare: element('compare', HTMLButtonElement),
  gradcheck: element('gradcheck', HTMLButtonElement),
  gradcheckParameter: element('gradcheck-parameter', HTMLSelectElement),
  gradcheckIndices: element('gradcheck-indices', HTMLInputElement),
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

/** Shows `text` in the message box, with a button per action. */
export function showMessage(text: string, actions: ReadonlyArray<[string, () => void]> = [], kind = 'error'): void {
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

/** Hides the message box. */
export function clearMessage(): void {
  ui.message.hidden = true;
  ui.message.textContent = '';
  delete ui.message.dataset.kind;
}

/** An error's message, or the value as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
