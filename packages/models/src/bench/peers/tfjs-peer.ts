/**
 * The TensorFlow.js peer, in its own process: trains {@link tfjsLenet} with the wasm backend on a
 * batches file and prints a {@link PeerResult} as one line.
 *
 *   node dist/bench/peers/tfjs-peer.js <batches file> <conv|im2col> <cores> <pinned: 0|1>
 *
 * The filter gradient is computed by the formulation named (see `tfjs-conv2d-backprop-filter.ts`);
 * the cores are the ones the benchmark pinned this process to (or all of them), recorded.
 *
 * Flavour: tfjs picks the SIMD build when WebAssembly SIMD works (it does in Node 20). Threads:
 * tfjs-backend-wasm turns them off in Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false there,
 * tensorflow/tfjs#3830), and forcing the flag fails: the threaded build starts its pthread workers
 * from `blob:` URLs, which Node's `Worker` refuses (ERR_WORKER_PATH). So it runs on one thread, and
 * the result records which build ran.
 *
 * Gradients: tfjs-core's Node bundle registers no gradient functions (the `@tensorflow/tfjs` bundle
 * and tfjs-layers' do), so the import of tfjs-layers below is what registers them: all of
 * tfjs-core's gradients, nothing of the layers API is used.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { getThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { readBenchBatches } from '../bench-batches.js';
import { summariseSteps } from '../step-timing.js';
import { timeSteps } from '../timed-steps.js';
import { PEER_RESULT_PREFIX, type PeerResult } from './peer-result.js';
import {
  FILTER_GRADIENT_FORMULATIONS,
  registerWasmConv2dBackpropFilter,
  type FilterGradientFormulation,
} from './tfjs-conv2d-backprop-filter.js';
import { tfjsLenet, tfjsTrainStep } from './tfjs-lenet.js';

/** How this process was started. */
interface TfjsPeerArguments {
  readonly batchesFile: string;
  readonly filterGradient: FilterGradientFormulation;
  readonly cores: number;
  readonly pinned: boolean;
}

function parseArguments([batchesFile = '', filterGradient = '', cores = '', pinned = '']: readonly string[]): TfjsPeerArguments {
  const formulation = FILTER_GRADIENT_FORMULATIONS.find((name) => name === filterGradient);
  if (formulation === undefined || !(Number(cores) >= 1) || !['0', '1'].includes(pinned)) {
    throw new Error(`usage: tfjs-peer.js <batches file> <${FILTER_GRADIENT_FORMULATIONS.join('|')}> <cores> <pinned 0|1>`);
  }
  return { batchesFile, filterGradient: formulation, cores: Number(cores), pinned: pinned === '1' };
}

async function run({ batchesFile, filterGradient, cores, pinned }: TfjsPeerArguments): Promise<PeerResult> {
  const label = `TensorFlow.js ${tf.version_core} (wasm)`;
  registerWasmConv2dBackpropFilter(filterGradient);
  if (!(await tf.setBackend('wasm'))) return { peer: 'tfjs-wasm', label, error: 'the wasm backend did not initialise' };
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = getThreadsCount();
  const details = {
    tfjsCore: tf.version_core,
    tfjsBackendWasm: version_wasm,
    simd,
    threads,
    multithreadSupport: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    conv2dBackpropFilter:
      filterGradient === 'conv'
        ? 'Conv2D on transposed tensors (registered by the benchmark)'
        : 'im2col + BatchMatMul (registered by the benchmark)',
  };
  const cpu = {
    cores,
    pinned,
    threads,
    threading: `tfjs-backend-wasm${simd ? ' SIMD' : ''} on ${threads} thread${threads === 1 ? '' : 's'} (Node: no threaded build)`,
  };
  const device = `WebAssembly${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`;
  const batches = readBenchBatches(batchesFile);
  const net = tfjsLenet(batches.parameters);
  const optimizer = tf.train.sgd(batches.lr);
  const { stepsMs, losses } = await timeSteps(batches, (batch) => tfjsTrainStep(net, optimizer, batch.images, batch.labels));
  return { peer: 'tfjs-wasm', label, device, details, cpu, training: summariseSteps(batches.batch, batches.warmup, stepsMs, losses) };
}

Promise.resolve()
  .then(() => run(parseArguments(process.argv.slice(2))))
  .catch(
    (error: unknown): PeerResult => ({
      peer: 'tfjs-wasm',
      label: 'TensorFlow.js (wasm)',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  )
  .then((result) => process.stdout.write(`${PEER_RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0)));
