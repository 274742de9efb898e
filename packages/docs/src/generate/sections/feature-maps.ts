/**
 * Guide 4's pictures of what the trained network sees: a real Fashion-MNIST test image and the
 * activations of C1 and C3 for it, computed on the CPU backend from the recorded run's weights.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, noGrad, tensor, formatShape, type Tensor } from '@lenet/core';
import { encodeGreyscalePng, getModelSpec, loadFashionMnist, readCheckpoint, scaleToUnitInterval } from '@lenet/models';
import type { Fragments } from '../fragments.js';
import { featureMapGrid } from '../feature-map-grid.js';
import type { RecordedRun } from '../recorded-run.js';

/** Which test image the page shows (the first of the test split). */
const TEST_INDEX = 0;

/** Writes `input-image.png`, `c1-maps.png` and `c3-maps.png` into `mediaDir`; returns the fragments. */
export async function featureMapsSection(mediaDir: string, run: RecordedRun): Promise<Fragments> {
  const { tensors, info } = readCheckpoint(run.checkpoint);
  const spec = getModelSpec(info.settings.model);
  const model = spec.build(new Rng(0));
  model.loadStateDict(tensors, run.checkpoint);
  model.eval();
  const { test, classNames } = loadFashionMnist();
  const pixels = test.height * test.width;
  const image = scaleToUnitInterval(test.images.subarray(TEST_INDEX * pixels, (TEST_INDEX + 1) * pixels));
  const label = test.labels[TEST_INDEX];

  const layers = model.children();
  const outputs: Tensor[] = noGrad(() => {
    const all: Tensor[] = [];
    let x = tensor(image, [1, 1, test.height, test.width]);
    for (const [, layer] of layers) {
      x = layer.call(x);
      all.push(x);
    }
    return all;
  });
  const logits = await outputs[outputs.length - 1].data();
  let predicted = 0;
  for (let c = 1; c < logits.length; c++) if (logits[c] > logits[predicted]) predicted = c;

  /** The activations after the layer named `name`: its activation function's output when one follows. */
  const activationsOf = async (name: string): Promise<{ maps: Float32Array[]; shape: readonly number[]; after: string }> => {
    const entry = Object.entries(spec.layerNames).find(([, label]) => label === name);
    const index = entry === undefined ? -1 : layers.findIndex(([layerName]) => layerName === entry[0]);
    if (index === -1)
      throw new Error(`docs generate: ${spec.name} has no layer named ${name} (layerNames: ${JSON.stringify(spec.layerNames)})`);
    const next = outputs[index + 1];
    const sameShape = next !== undefined && formatShape(next.shape) === formatShape(outputs[index].shape);
    const chosen = sameShape ? index + 1 : index;
    const out = outputs[chosen];
    if (out.rank !== 4) throw new Error(`docs generate: ${name}'s output ${formatShape(out.shape)} is not a stack of feature maps`);
    const values = await out.data();
    const [, channels, h, w] = out.shape;
    const maps = Array.from({ length: channels }, (_, c) => values.slice(c * h * w, (c + 1) * h * w));
    return { maps, shape: out.shape, after: layers[chosen][1].constructor.name };
  };

  const c1 = await activationsOf('C1');
  const c3 = await activationsOf('C3');
  const write = (file: string, picture: { width: number; height: number; pixels: Uint8Array }): void =>
    writeFileSync(join(mediaDir, file), encodeGreyscalePng(picture.width, picture.height, picture.pixels));
  write('input-image.png', featureMapGrid([image], test.height, test.width, 1, 6));
  write('c1-maps.png', featureMapGrid(c1.maps, c1.shape[2], c1.shape[3], 6, 4));
  write('c3-maps.png', featureMapGrid(c3.maps, c3.shape[2], c3.shape[3], 8, 8));

  return {
    'feature-maps-caption':
      `Test image ${TEST_INDEX} of Fashion-MNIST, labelled **${classNames[label]}**; the trained \`${spec.name}\` ` +
      `of the recorded run (\`${run.displayPath}\`, ${info.epoch} epochs) classifies it as **${classNames[predicted]}**.`,
    'feature-maps-input': `![Fashion-MNIST test image ${TEST_INDEX}: ${classNames[label]}](./media/input-image.png)`,
    'feature-maps-c1':
      `![The ${c1.maps.length} feature maps of C1 for this image](./media/c1-maps.png)\n\n` +
      `C1 after its ${c1.after}: ${c1.maps.length} maps of ${c1.shape[2]} × ${c1.shape[3]}, each scaled from its own minimum (black) to maximum (white).`,
    'feature-maps-c3':
      `![The ${c3.maps.length} feature maps of C3 for this image](./media/c3-maps.png)\n\n` +
      `C3 after its ${c3.after}: ${c3.maps.length} maps of ${c3.shape[2]} × ${c3.shape[3]}, scaled the same way.`,
  };
}
