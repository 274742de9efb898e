/**
 * `@lenet/models/bench-browser`: the benchmark's pieces that run in a browser, for the docs' browser
 * benchmark (`npm run bench:browser`, which trains the same step in headless Chromium): the network
 * and how it starts, the batches' type, the timed loop over them and LeNet.ts's step in it, the
 * summary every target's steps get, and the TensorFlow.js peer with its browser backends. Nothing
 * here needs Node.
 * @module
 */
export { BENCH_RECIPE, benchNetwork } from './bench-network.js';
export type { BenchBatches } from './bench-batches.js';
export { stepBatch, timeSteps, trainStepOnBatch, type StepBatch, type StepBatches, type TimedSteps } from './timed-steps.js';
export { median, summariseSteps, type StepTiming } from './step-timing.js';
export { tfjsLenet, tfjsTrainStep, type TfjsLenet } from './peers/tfjs-lenet.js';
export { startTfjs, type TfjsBrowserBackend, type TfjsStarted } from './peers/tfjs-browser.js';
