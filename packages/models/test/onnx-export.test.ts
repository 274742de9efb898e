/**
 * The ONNX export, checked by running it: ONNX Runtime (onnxruntime-node, CPU) must give the logits
 * LeNet.ts gives, for every variant, from random weights and from the recorded run; the recorded
 * run's committed model.onnx must score that run's test accuracy; and bad input must leave no file.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '@lenet/backend-cpu';
import { noGrad, Rng, setBackend, tensor, type nn } from '@lenet/core';
import { runExportCommand } from '../src/cli/export-command.js';
import { runTrainCommand } from '../src/cli/train-command.js';
import { FASHION_MNIST_CLASS_NAMES } from '../src/data/fashion-mnist-classes.js';
import { scaleToUnitInterval } from '../src/data/idx-bytes.js';
import { loadFashionMnist } from '../src/data/fashion-mnist.js';
import type { ImageClassificationData } from '../src/data/image-classification-data.js';
import { getModelSpec, MODEL_NAMES, type ModelName } from '../src/models/registry.js';
import { exportOnnx } from '../src/onnx/onnx-export.js';
import { ONNX_IR_VERSION, ONNX_OPSET, onnx } from '../src/onnx/onnx-format.js';
import { readCheckpoint, writeCheckpoint } from '../src/training/checkpoint.js';
import { collectOutput } from './helpers/collect-output.js';

const RECORDED_RUN = fileURLToPath(new URL('../runs-recorded/2026-12-01-lenet5-webasm-lanes/', import.meta.url));
const RECORDED_CHECKPOINT = join(RECORDED_RUN, 'model.safetensors');
const RECORDED_ONNX = join(RECORDED_RUN, 'model.onnx');
/** The tolerance of the comparison: 1e-5 of each image's largest |logit|. */
const RELATIVE_TOLERANCE = 1e-5;
const IMAGES = 256;

let data: ImageClassificationData;
let pixels: Float32Array;

beforeAll(() => {
  setBackend(new CpuBackend());
  data = loadFashionMnist();
  pixels = scaleToUnitInterval(data.test.images.subarray(0, IMAGES * 784));
});

/** Logits of `count` images `[count,1,28,28]` in ONNX Runtime (Node, CPU). */
async function ortLogits(model: Uint8Array, images: Float32Array, count: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  try {
    const outputs = await session.run({ images: new ort.Tensor('float32', images, [count, 1, 28, 28]) });
    const logits = outputs.logits;
    expect(logits.dims).toEqual([count, 10]);
    if (!(logits.data instanceof Float32Array)) throw new Error('ONNX Runtime returned logits that are not float32');
    return logits.data;
  } finally {
    await session.release();
  }
}

/** Logits of `count` images in LeNet.ts (backend-cpu). */
async function lenetLogits(network: nn.Sequential, images: Float32Array, count: number): Promise<Float32Array> {
  return noGrad(() => network.call(tensor(images, [count, 1, 28, 28]))).data();
}

/**
 * The largest |ort − lenet| of each image relative to that image's largest |logit| (a logit near 0
 * is compared at the scale of its row, not its own), over all images.
 */
function largestRelativeError(ortValues: Float32Array, lenetValues: Float32Array, classes = 10): number {
  expect(ortValues.length).toBe(lenetValues.length);
  let worst = 0;
  for (let row = 0; row < lenetValues.length / classes; row++) {
    const scale = Math.max(...lenetValues.subarray(row * classes, (row + 1) * classes).map(Math.abs));
    for (let c = row * classes; c < (row + 1) * classes; c++) worst = Math.max(worst, Math.abs(ortValues[c] - lenetValues[c]) / scale);
  }
  return worst;
}

/** The assertion every comparison uses; throws when ORT and LeNet.ts disagree by more than the tolerance. */
function expectSameLogits(ortValues: Float32Array, lenetValues: Float32Array): void {
  const error = largestRelativeError(ortValues, lenetValues);
  if (!(error <= RELATIVE_TOLERANCE)) {
    throw new Error(`ONNX Runtime's logits differ from LeNet.ts's by ${error.toExponential(2)} relative (tolerance ${RELATIVE_TOLERANCE})`);
  }
}

/** The decoded graph's lists (protobufjs types them as optional). */
function graphOf(decoded: ReturnType<typeof onnx.ModelProto.decode>) {
  const graph = decoded.graph;
  if (graph === null || graph === undefined) throw new Error('the model has no graph');
  return {
    input: graph.input ?? [],
    output: graph.output ?? [],
    initializer: graph.initializer ?? [],
    node: (graph.node ?? []).map((node) => ({ opType: node.opType ?? '', output: node.output ?? [] })),
  };
}

function build(model: ModelName, seed: number): nn.Sequential {
  const network = getModelSpec(model).build(new Rng(seed));
  network.eval();
  return network;
}

describe.each(MODEL_NAMES)('%s exported to ONNX', (model) => {
  it(`from random weights: ONNX Runtime's logits on ${IMAGES} test images equal LeNet.ts's within 1e-5 relative, for any batch size`, async () => {
    const network = build(model, 7);
    const bytes = await exportOnnx(network, { model, classNames: FASHION_MNIST_CLASS_NAMES, info: null });
    const expected = await lenetLogits(network, pixels, IMAGES);
    expectSameLogits(await ortLogits(bytes, pixels, IMAGES), expected);
    // The batch dimension is dynamic: 3 images run through the same file.
    expectSameLogits(await ortLogits(bytes, pixels.subarray(0, 3 * 784), 3), expected.subarray(0, 30));
    network.dispose();
  });

  it('says what it is: IR version, opset, symbolic batch, names Netron shows, doc_string and metadata', async () => {
    const network = build(model, 7);
    const decoded = onnx.ModelProto.decode(await exportOnnx(network, { model, classNames: FASHION_MNIST_CLASS_NAMES, info: null }));
    network.dispose();
    expect(Number(decoded.irVersion)).toBe(ONNX_IR_VERSION);
    expect(decoded.opsetImport.map((entry) => [entry.domain, Number(entry.version)])).toEqual([['', ONNX_OPSET]]);
    const graph = graphOf(decoded);
    const dims = graph.input[0].type?.tensorType?.shape?.dim?.map((dim) => dim.dimParam || Number(dim.dimValue));
    expect([graph.input[0].name, dims]).toEqual(['images', ['N', 1, 28, 28]]);
    expect(graph.output[0].type?.tensorType?.shape?.dim?.map((dim) => dim.dimParam || Number(dim.dimValue))).toEqual(['N', 10]);
    const outputs = graph.node.map((node) => node.output[0]);
    for (const name of ['C1', 'S2', 'C3', 'S4', 'C5', 'F6', 'logits']) expect(outputs).toContain(name);
    expect(graph.initializer.map((weight) => weight.name)).toContain('C1.weight');
    expect(decoded.docString).toMatch(/float32 \[N, 1, 28, 28\].*byte value \/ 255/);
    expect(decoded.docString).toContain('0 T-shirt/top, 1 Trouser');
    const metadata = Object.fromEntries(decoded.metadataProps.map((entry) => [entry.key, entry.value]));
    expect(metadata.model).toBe(model);
    expect(JSON.parse(metadata.class_names)).toEqual(FASHION_MNIST_CLASS_NAMES);
  });
});

describe('the ops of lenet5-classic', () => {
  it("C3's unconnected weights are zeros in the file even where the state dict's are not, the subsampling and RBF steps are standard operators", async () => {
    const network = build('lenet5-classic', 3);
    // A C3 weight with no zeros (as a PyTorch port that does not mask its tensor would save it): the
    // mask must be folded into the exported weight, or ONNX Runtime would read the unconnected maps.
    const state = await network.stateDict();
    const c3State = state.get('5.weight');
    if (c3State === undefined) throw new Error('no 5.weight');
    const unmasked = c3State.data.map((_, i) => 0.01 + ((i * 37) % 101) / 1000);
    network.loadStateDict(new Map([...state, ['5.weight', { shape: c3State.shape, data: unmasked }]]), 'unmasked');
    const bytes = await exportOnnx(network, { model: 'lenet5-classic', classNames: FASHION_MNIST_CLASS_NAMES, info: null });
    const few = pixels.subarray(0, 16 * 784);
    expectSameLogits(await ortLogits(bytes, few, 16), await lenetLogits(network, few, 16));
    const decoded = onnx.ModelProto.decode(bytes);
    network.dispose();
    const graph = graphOf(decoded);
    const c3 = graph.initializer.find((weight) => weight.name === 'C3.weight');
    if (c3?.rawData === undefined || c3.rawData === null) throw new Error('no C3.weight');
    const weights = new Float32Array(Uint8Array.from(c3.rawData).buffer);
    const zeroMaps = Array.from({ length: 16 * 6 }, (_, map) => weights.subarray(map * 25, (map + 1) * 25).every((w) => w === 0));
    expect(zeroMaps.filter(Boolean).length).toBe(16 * 6 - 60); // Table I: 60 of the 96 map pairs are connected
    expect(zeroMaps[0 * 6 + 3]).toBe(true); // C3 map 0 reads S2 maps 0, 1, 2 only
    expect(zeroMaps[0 * 6 + 2]).toBe(false);
    const ops = new Set(graph.node.map((node) => node.opType));
    expect([...ops].sort()).toEqual([
      'Add',
      'AveragePool',
      'Conv',
      'Flatten',
      'Gemm',
      'Mul',
      'Neg',
      'Pad',
      'ReduceSumSquare',
      'Sub',
      'Tanh',
      'Unsqueeze',
    ]);
  });
});

describe('the recorded run', () => {
  it(`its export's logits on ${IMAGES} test images equal LeNet.ts's; with one weight transposed the same check fails`, async () => {
    const { tensors, info } = readCheckpoint(RECORDED_CHECKPOINT);
    const network = build(info.settings.model, 0);
    network.loadStateDict(tensors, RECORDED_CHECKPOINT);
    const expected = await lenetLogits(network, pixels, IMAGES);
    const options = { model: info.settings.model, classNames: FASHION_MNIST_CLASS_NAMES, info };
    expectSameLogits(await ortLogits(await exportOnnx(network, options), pixels, IMAGES), expected);

    // A wrongly exported layer: C1's 5×5 kernels transposed (w[k,c](u,v) ← w[k,c](v,u)), same shape.
    const c1 = tensors.get('0.weight');
    if (c1 === undefined) throw new Error('no 0.weight');
    const transposed = c1.data.map((_, index) => {
      const [kernel, u, v] = [Math.floor(index / 25), Math.floor(index / 5) % 5, index % 5];
      return c1.data[kernel * 25 + v * 5 + u];
    });
    network.loadStateDict(new Map([...tensors, ['0.weight', { shape: c1.shape, data: transposed }]]), 'transposed');
    const wrong = await ortLogits(await exportOnnx(network, options), pixels, IMAGES);
    expect(() => expectSameLogits(wrong, expected)).toThrow(/differ from LeNet.ts's by .* relative/);
    expect(largestRelativeError(wrong, expected)).toBeGreaterThan(1e-2);
    network.dispose();
  });

  it('its committed model.onnx is what `npm run export` makes of its checkpoint, and scores its test accuracy on all 10,000 test images in ONNX Runtime', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lenet-onnx-')), 'model.onnx');
    const output = collectOutput();
    expect(await runExportCommand(['--checkpoint', RECORDED_CHECKPOINT, '--onnx', out], { io: output.io }), output.stderr()).toBe(0);
    expect(output.stdout()).toMatch(/^wrote .*model\.onnx: lenet5 after 10 epochs, [\d,]+ bytes, ONNX IR version 8, opset 13\n$/);
    const committed = readFileSync(RECORDED_ONNX);
    expect(Buffer.compare(readFileSync(out), committed)).toBe(0);

    const { test } = data;
    const all = scaleToUnitInterval(test.images);
    const logits = await ortLogits(committed, all, test.count);
    let correct = 0;
    for (let n = 0; n < test.count; n++) {
      const row = Array.from(logits.subarray(n * 10, (n + 1) * 10));
      if (row.indexOf(Math.max(...row)) === test.labels[n]) correct++;
    }
    // The run's test accuracy, as LeNet.ts measured it after its last epoch (train.log's "test acc 0.798").
    const recorded = readCheckpoint(RECORDED_CHECKPOINT).info.history.at(-1)?.testAcc;
    expect(recorded).toBe(0.7978);
    expect(correct / test.count).toBe(recorded);
  }, 60_000);
});

describe('export: bad input exits with 2 and writes nothing', () => {
  const exportCli = async (argv: string[]): Promise<{ code: number; stderr: string }> => {
    const output = collectOutput();
    const code = await runExportCommand(argv, { io: output.io });
    return { code, stderr: output.stderr() };
  };
  const scratch = (): string => mkdtempSync(join(tmpdir(), 'lenet-onnx-bad-'));

  it('weights that do not fit the model, and a --model that contradicts the checkpoint', async () => {
    const out = join(scratch(), 'model.onnx');
    const pytorch = fileURLToPath(new URL('./fixtures/pytorch-lenet5.safetensors', import.meta.url));
    const mismatch = await exportCli(['--checkpoint', pytorch, '--model', 'lenet5-classic', '--onnx', out]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/^export: .*pytorch-lenet5\.safetensors: the saved weights do not fit the model: /);
    const contradiction = await exportCli(['--checkpoint', RECORDED_CHECKPOINT, '--model', 'lenet5-modern', '--onnx', out]);
    expect(contradiction.stderr).toMatch(/the checkpoint holds lenet5 weights, but --model asks for lenet5-modern/);
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown model, on the command line or in the checkpoint', async () => {
    const dir = scratch();
    const out = join(dir, 'model.onnx');
    const flag = await exportCli(['--checkpoint', RECORDED_CHECKPOINT, '--model', 'lenet6', '--onnx', out]);
    expect([flag.code, flag.stderr.split('\n')[0]]).toEqual([
      2,
      "export: --model must be one of lenet5, lenet5-modern, lenet5-classic; got 'lenet6'",
    ]);
    const { tensors, info } = readCheckpoint(RECORDED_CHECKPOINT);
    const forged = join(dir, 'forged.safetensors');
    writeCheckpoint(forged, tensors, info);
    writeFileSync(forged, readFileSync(forged).toString('latin1').replace('"model":"lenet5"', '"model":"lenet6"'), 'latin1');
    const inFile = await exportCli(['--checkpoint', forged, '--onnx', out]);
    expect([inFile.code, inFile.stderr]).toEqual([2, `export: ${forged}: metadata 'model' is 'lenet6', which is not a known model\n`]);
    expect(existsSync(out)).toBe(false);
  });

  it('NaN weights: refused with the tensors named; --allow-non-finite writes them with a warning', async () => {
    const dir = scratch();
    const { tensors, info } = readCheckpoint(RECORDED_CHECKPOINT);
    const bias = tensors.get('9.bias');
    if (bias === undefined) throw new Error('no 9.bias');
    const broken = join(dir, 'nan.safetensors');
    writeCheckpoint(
      broken,
      new Map([...tensors, ['9.bias', { shape: bias.shape, data: bias.data.map((b, i) => (i === 4 ? Number.NaN : b)) }]]),
      info,
    );
    const out = join(dir, 'model.onnx');
    const refused = await exportCli(['--checkpoint', broken, '--onnx', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'holds NaN or infinite weights (9.bias): the ONNX model would predict nothing; export an earlier checkpoint',
    );
    expect(existsSync(out)).toBe(false);
    const allowed = await exportCli(['--checkpoint', broken, '--onnx', out, '--allow-non-finite']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/^export: warning: .*nan\.safetensors holds NaN or infinite weights \(9\.bias\)/);
    const logits = await ortLogits(readFileSync(out), pixels.subarray(0, 784), 1);
    expect(logits.every(Number.isNaN)).toBe(true); // F6's NaN reaches every logit, as in LeNet.ts
  });

  it('an output path that cannot be written: a directory, a path under a regular file', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'model.onnx'));
    const directory = await exportCli(['--checkpoint', RECORDED_CHECKPOINT, '--onnx', join(dir, 'model.onnx')]);
    expect([directory.code, directory.stderr]).toEqual([
      2,
      `export: cannot write the ONNX model to ${join(dir, 'model.onnx')}: it is a directory; only a new path, a regular file, a character device or a FIFO is written. Give a new file name or a regular file in a directory that exists and that you may write, e.g. model.onnx.\n`,
    ]);
    writeFileSync(join(dir, 'file'), 'a file, not a directory');
    const underFile = await exportCli(['--checkpoint', RECORDED_CHECKPOINT, '--onnx', join(dir, 'file', 'model.onnx')]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toMatch(/^export: cannot write the ONNX model to .*file\/model\.onnx: .*(not a directory|ENOTDIR)/i);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('a file, not a directory');
  });
});

describe('train --onnx', () => {
  it('writes model.onnx beside the checkpoint, the same file export makes of it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lenet-onnx-train-')), 'run');
    const argv = [
      '--backend',
      'cpu',
      '--model',
      'lenet5-classic',
      '--limit',
      '16',
      '--batch-size',
      '8',
      '--test-limit',
      '24',
      '--epochs',
      '1',
    ];
    const output = collectOutput();
    expect(await runTrainCommand([...argv, '--out', out, '--onnx'], { io: output.io }), output.stderr()).toBe(0);
    expect(output.stdout()).toContain(`wrote ${join(out, 'model.safetensors')}, metrics.jsonl, curves.svg and model.onnx`);
    const exported = join(out, 'exported.onnx');
    expect(await runExportCommand(['--checkpoint', join(out, 'model.safetensors'), '--onnx', exported], { io: collectOutput().io })).toBe(
      0,
    );
    expect(Buffer.compare(readFileSync(join(out, 'model.onnx')), readFileSync(exported))).toBe(0);
    const decoded = onnx.ModelProto.decode(readFileSync(join(out, 'model.onnx')));
    const metadata = Object.fromEntries(decoded.metadataProps.map((entry) => [entry.key, entry.value]));
    expect([metadata.model, metadata.epoch, metadata.train_examples, metadata.batch_size]).toEqual(['lenet5-classic', '1', '16', '8']);
  });
});
