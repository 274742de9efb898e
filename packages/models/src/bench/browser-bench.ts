/**
 * `@lenet/models/bench-browser`: the benchmark's pieces that run in a browser, for the docs' browser
 * benchmark (`npm run bench:browser`, which trains the same step in headless Chromium): the network
 * and how it starts, LeNet.ts's timed step, the summary every target's steps get, and the
 * TensorFlow.js peer with its browser backends. Nothing here needs Node.
 * @module
 */
export { BENCH_RECIPE, benchNetwork } from './bench-network.js';
export { trainStep } from './train-step.js';
export { median, summariseSteps, type StepTiming } from './step-timing.js';
export { tfjsLenet, tfjsTrainStep, type TfjsLenet } from './peers/tfjs-lenet.js';
export { startTfjs, TFJS_BROWSER_BACKENDS, type TfjsBrowserBackend, type TfjsStarted } from './peers/tfjs-browser.js';
