/**
 * The TensorFlow.js-wasm side of the whole-run benchmark, in its own process: trains
 * {@link tfjsLenet} from a whole-run start file for whole epochs of Fashion-MNIST, on the batches
 * `train` draws (the same loader, seed and limit), evaluating the test accuracy after each epoch,
 * and prints a {@link WholeRunResult} as one line (d2l's line per epoch on stderr).
 *
 *   node dist/bench/peers/tfjs-whole-run.js <start file> <conv|im2col> <cores> <pinned: 0|1>
 *
 * The backend's set-up (SIMD, one thread in Node, the registered filter gradient) is the step
 * benchmark's peer's: see `tfjs-peer.ts`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { getThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { loadFashionMnist } from '../../data/fashion-mnist.js';
import { imageLoader } from '../../data/image-batches.js';
import { formatEpochLine, type EpochMetrics } from '../../training/epoch-metrics.js';
import { readWholeRunStart } from '../whole-run/whole-run-start.js';
import { WHOLE_RUN_RESULT_PREFIX, type WholeRunResult } from '../whole-run/whole-run-file.js';
import { FILTER_GRADIENT_FORMULATIONS, registerWasmConv2dBackpropFilter } from './tfjs-conv2d-backprop-filter.js';
import { tfjsCorrectCount, tfjsCountingTrainStep, tfjsLenet } from './tfjs-lenet.js';

const LABEL = `TensorFlow.js ${tf.version_core} (wasm)`;

async function run([startFile = '', filterGradient = '', coresText = '', pinnedText = '']: readonly string[]): Promise<WholeRunResult> {
  const formulation = FILTER_GRADIENT_FORMULATIONS.find((name) => name === filterGradient);
  if (formulation === undefined || !(Number(coresText) >= 1) || !['0', '1'].includes(pinnedText))
    throw new Error(`usage: tfjs-whole-run.js <start file> <${FILTER_GRADIENT_FORMULATIONS.join('|')}> <cores> <pinned 0|1>`);
  registerWasmConv2dBackpropFilter(formulation);
  if (!(await tf.setBackend('wasm'))) return { target: 'tfjs-wasm', label: LABEL, error: 'the wasm backend did not initialise' };
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = getThreadsCount();
  const start = readWholeRunStart(startFile);
  const data = loadFashionMnist();
  const trainLoader = imageLoader(data.train, { batchSize: start.batch, shuffle: true, seed: start.seed, limit: start.trainExamples });
  const testLoader = imageLoader(data.test, { batchSize: start.batch, shuffle: false, limit: start.testExamples });
  const net = tfjsLenet(start.parameters);
  const optimizer = tf.train.sgd(start.lr);
  const epochs: EpochMetrics[] = [];
  for (let epoch = 1; epoch <= start.epochs; epoch++) {
    const epochStarted = performance.now();
    let lossSum = 0;
    let correct = 0;
    let examples = 0;
    let steps = 0;
    let trainMs = 0;
    const batches = trainLoader.batches(epoch - 1);
    for (const batch of batches) {
      const stepStarted = performance.now(); // the batch is drawn: train's step time starts here too
      const counted = await tfjsCountingTrainStep(net, optimizer, batch.images, batch.labels);
      trainMs += performance.now() - stepStarted;
      lossSum += counted.loss * batch.size;
      correct += counted.correct;
      examples += batch.size;
      steps++;
    }
    let testCorrect = 0;
    for (const batch of testLoader.batches(0)) testCorrect += await tfjsCorrectCount(net, batch.images, batch.labels);
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / examples,
      trainAcc: correct / examples,
      testAcc: testCorrect / start.testExamples,
      examplesPerSec: examples / (trainMs / 1000),
      trainSeconds: trainMs / 1000,
      epochSeconds: (performance.now() - epochStarted) / 1000,
      examples,
      steps,
    };
    epochs.push(metrics);
    process.stderr.write(`tfjs-wasm ${formatEpochLine(metrics, start.epochs)}\n`);
  }
  return {
    target: 'tfjs-wasm',
    label: LABEL,
    cpu: {
      cores: Number(coresText),
      pinned: pinnedText === '1',
      threads,
      threading: `tfjs-backend-wasm${simd ? ' SIMD' : ''} on ${threads} thread${threads === 1 ? '' : 's'} (Node: no threaded build)`,
    },
    details: {
      tfjsCore: tf.version_core,
      tfjsBackendWasm: version_wasm,
      simd,
      threads,
      conv2dBackpropFilter: formulation === 'conv' ? 'Conv2D on transposed tensors' : 'im2col + BatchMatMul',
      node: process.version,
    },
    epochs,
  };
}

Promise.resolve()
  .then(() => run(process.argv.slice(2)))
  .catch(
    (error: unknown): WholeRunResult => ({
      target: 'tfjs-wasm',
      label: LABEL,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  )
  .then((result) => process.stdout.write(`${WHOLE_RUN_RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0)));
