/**
 * `npm run generate -w @lenet/docs`: computes every generated part of the guides with the real code
 * (CPU backend; GPU.js in child processes for the shader captures), writes pictures into
 * `generated/guides/media/` and the filled-in guides into `generated/guides/`. Any missing input or
 * failed check stops the build with a message that says what is missing.
 * @module
 */
import { mkdirSync, rmSync } from 'node:fs';
import { setBackend } from '@lenet/core';
import { CpuBackend } from '@lenet/backend-cpu';
import { fillTemplates, type Fragments } from './fragments.js';
import { GENERATED_GUIDES_DIR, MEDIA_DIR, TEMPLATES_DIR } from './paths.js';
import { tensorsSection } from './sections/tensors.js';
import { autogradSection } from './sections/autograd.js';
import { convolutionSection } from './sections/convolution.js';
import { shadersSection } from './sections/shaders.js';
import { lenetGraphSection } from './sections/lenet-graph.js';
import { lenetSection } from './sections/lenet.js';
import { featureMapsSection } from './sections/feature-maps.js';
import { trainingSection } from './sections/training.js';
import { benchmarkSection } from './sections/benchmark.js';
import { stepPlanSection } from './sections/step-plan.js';
import { onnxGraphSection } from './sections/onnx-graph.js';
import { findRecordedRun } from './recorded-run.js';

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(GENERATED_GUIDES_DIR, { recursive: true, force: true });
  mkdirSync(MEDIA_DIR, { recursive: true });
  setBackend(new CpuBackend());

  const fragments: Fragments = {};
  const sections: Array<[string, () => Promise<Fragments>]> = [
    ['tensors', tensorsSection],
    ['autograd', () => autogradSection(MEDIA_DIR)],
    ['convolution', convolutionSection],
    ['lenet graph', async () => lenetGraphSection(MEDIA_DIR)],
    ['lenet', async () => lenetSection(MEDIA_DIR)],
    ['feature maps', () => featureMapsSection(MEDIA_DIR, findRecordedRun())],
    ['shaders', async () => shadersSection()],
    ['training', async () => trainingSection(MEDIA_DIR, findRecordedRun())],
    ['step plan', async () => stepPlanSection()],
    ['benchmark', async () => benchmarkSection()],
    ['onnx graph', () => onnxGraphSection(MEDIA_DIR)],
  ];
  for (const [name, run] of sections) {
    const sectionStart = Date.now();
    const produced = await run();
    for (const [key, value] of Object.entries(produced)) {
      if (key in fragments) throw new Error(`docs generate: two sections produce the fragment ${key}`);
      fragments[key] = value;
    }
    console.log(`docs generate: ${name} (${Date.now() - sectionStart} ms)`);
  }
  const written = fillTemplates(TEMPLATES_DIR, GENERATED_GUIDES_DIR, fragments);
  console.log(`docs generate: ${written.length} guides in ${Date.now() - started} ms`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
