/**
 * `npm run bench:browser`: LeNet.ts's training step in headless Chromium, against TensorFlow.js's
 * in the same browser, on the same batches from the same initial parameters (the Node benchmark's
 * batches file and network). Targets: LeNet.ts webgpu, webgl2 and webasm (with the patched gpu.js
 * the Playground bundles, and with gpu.js's browser build it bundled before), TensorFlow.js wasm
 * (threads: the page is cross-origin isolated), webgl and webgpu. Each target runs in a fresh page,
 * rounds interleaved (every target once per round). Writes the results file and prints a summary;
 * then puts its table into the docs README (`readme.ts`) when it wrote the committed file.
 *
 *   node dist/browser-bench/run.js [--steps 3] [--warmup 1] [--batch 256] [--rounds 3] [--seed 0]
 *     [--targets lenet-webasm,tfjs-wasm,…] [--note "…"] [--out bench-results/browser-2-cores-no-gpu.json]
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { drawBenchBatches, writeBenchBatches } from '@lenet/models/bench-batches';
import { serveDirectory } from '../serve/static-server.js';
import { buildBenchSite, PAGES } from './bundle-page.js';
import { BROWSER_BENCH_FILE, writeBrowserBenchReadme } from './readme.js';
import { type BrowserBenchFile, type BrowserRatio, fastest, ratioOf, spreadOf, type TargetResult } from './results.js';
import { BROWSER_BENCH_TARGETS, type BrowserBenchTarget, isBrowserBenchTarget, type PageRun, TARGET_LABELS } from './targets.js';

/** First-step losses may differ by float32 summation order, no more. */
const FIRST_LOSS_TOLERANCE = 1e-3;
const CHROMIUM_PATH = process.env.LENET_CHROMIUM ?? '/usr/bin/chromium';

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`bench:browser: --${name} must be a whole number ≥ 0, got ${value}`);
  return n;
}

/** Runs `target` once in a fresh page. */
async function runOnce(url: string, target: BrowserBenchTarget, newPage: () => Promise<import('playwright-core').Page>): Promise<PageRun> {
  const page = await newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  try {
    // counts the workers the page starts (webasm: one pool patched, a pool per kernel unpatched)
    await page.addInitScript(() => {
      window.lenetWorkers = 0;
      window.Worker = new Proxy(window.Worker, {
        construct(workerClass, args: ConstructorParameters<typeof Worker>) {
          window.lenetWorkers = (window.lenetWorkers ?? 0) + 1;
          return Reflect.construct(workerClass, args);
        },
      });
    });
    await page.goto(`${url}${target === 'lenet-webasm-unpatched' ? PAGES.unpatched : PAGES.patched}`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 }).catch(() => {
      throw new Error(`the page did not start: ${errors.join('; ') || 'no error reported'}`);
    });
    const pageTarget = target === 'lenet-webasm-unpatched' ? 'lenet-webasm' : target;
    const run = await page.evaluate((t) => {
      if (window.lenetBench === undefined) throw new Error('the page has no lenetBench');
      return window.lenetBench.run(t);
    }, pageTarget);
    return { ...run, target };
  } finally {
    await page.close();
  }
}

/** The recipe the page reported (every run reports the same one). */
function firstRecipe(runs: ReadonlyMap<BrowserBenchTarget, readonly PageRun[]>): Readonly<Record<string, string | number>> {
  for (const done of runs.values()) if (done.length > 0) return done[0].recipe;
  return {};
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      steps: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      batch: { type: 'string', default: '256' },
      rounds: { type: 'string', default: '3' },
      seed: { type: 'string', default: '0' },
      targets: { type: 'string', default: BROWSER_BENCH_TARGETS.join(',') },
      note: { type: 'string', default: 'measured on a shared, busy machine (other jobs ran beside it), so the figures are rough.' },
      out: { type: 'string', default: BROWSER_BENCH_FILE },
    },
  });
  const steps = positive('steps', values.steps);
  const warmup = positive('warmup', values.warmup);
  const batch = positive('batch', values.batch);
  const rounds = positive('rounds', values.rounds);
  const seed = positive('seed', values.seed);
  if (steps < 1 || batch < 1 || rounds < 1) throw new Error('bench:browser: --steps, --batch and --rounds must be at least 1');
  const targets = values.targets.split(',').map((name) => name.trim());
  const unknown = targets.filter((name) => !isBrowserBenchTarget(name));
  if (unknown.length > 0)
    throw new Error(`bench:browser: unknown target ${unknown.join(', ')}; the targets are ${BROWSER_BENCH_TARGETS.join(', ')}`);
  const chosen = targets.filter(isBrowserBenchTarget);
  const out = resolve(values.out);

  const siteDir = mkdtempSync(join(tmpdir(), 'lenet-browser-bench-'));
  const runs = new Map<BrowserBenchTarget, PageRun[]>(chosen.map((t) => [t, []]));
  const errors = new Map<BrowserBenchTarget, string>();
  let browserVersion = 'Chromium';
  let isolated = false;
  try {
    process.stderr.write(`bench:browser: drawing ${warmup + steps} batches of ${batch}, bundling the page ...\n`);
    writeBenchBatches(join(siteDir, 'batches.safetensors'), await drawBenchBatches({ batch, warmup, steps, seed }));
    await buildBenchSite(siteDir);
    const server = await serveDirectory(siteDir);
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--enable-unsafe-webgpu'],
    });
    browserVersion = `Chromium ${browser.version()}`;
    try {
      const context = await browser.newContext();
      const probe = await context.newPage();
      await probe.goto(`${server.url}${PAGES.patched}`);
      isolated = await probe.evaluate(() => crossOriginIsolated);
      await probe.close();
      for (let round = 1; round <= rounds; round++) {
        for (const target of chosen) {
          if (errors.has(target)) continue;
          process.stderr.write(`bench:browser: round ${round}/${rounds}: ${target} ... `);
          try {
            const run = await runOnce(server.url, target, () => context.newPage());
            runs.get(target)?.push(run);
            process.stderr.write(`${Math.round(run.examplesPerSecond)} examples/s (${run.device})\n`);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            errors.set(target, message);
            process.stderr.write(`failed: ${message.split('\n')[0]}\n`);
          }
        }
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(siteDir, { recursive: true, force: true });
  }

  const results: TargetResult[] = chosen.map((target) => {
    const done = runs.get(target) ?? [];
    const label = TARGET_LABELS[target];
    const error = errors.get(target);
    if (done.length === 0) return { target, label, error: error ?? 'no round ran' };
    const examplesPerSecond = done.map((run) => run.examplesPerSecond);
    return {
      target,
      label,
      ran: done[0].ran,
      device: done[0].device,
      threads: done[0].threads,
      workersStarted: Math.max(...done.map((run) => run.workersStarted)),
      examplesPerSecond,
      spread: spreadOf(examplesPerSecond),
      msPerStep: done.map((run) => run.msPerStep),
      firstStepLoss: done[0].losses[0],
      losses: done[0].losses,
      ...(error === undefined ? {} : { error: `a later round failed: ${error}` }),
    };
  });
  const byTarget = (target: BrowserBenchTarget): TargetResult | undefined => results.find((r) => r.target === target);
  const reference = byTarget('lenet-webasm') ?? results.find((r) => r.firstStepLoss !== undefined);
  const referenceLoss = reference?.firstStepLoss ?? Number.NaN;
  const maxDifference = Math.max(0, ...results.map((r) => (r.firstStepLoss === undefined ? 0 : Math.abs(r.firstStepLoss - referenceLoss))));
  const lenetBest = fastest(results.filter((r) => r.target.startsWith('lenet-') && r.target !== 'lenet-webasm-unpatched'));
  const tfjsBest = fastest(results.filter((r) => r.target.startsWith('tfjs-')));
  const patched = byTarget('lenet-webasm');
  const unpatched = byTarget('lenet-webasm-unpatched');
  const tfjsWasm = byTarget('tfjs-wasm');
  const ratios = [
    lenetBest && tfjsBest
      ? ratioOf(`LeNet.ts's fastest here (${lenetBest.label}) ÷ TensorFlow.js's fastest (${tfjsBest.label})`, lenetBest, tfjsBest)
      : null,
    patched && tfjsWasm
      ? ratioOf(
          `LeNet.ts webasm (${patched.threads} threads) ÷ TensorFlow.js wasm (${tfjsWasm.threads} thread${tfjsWasm.threads === 1 ? '' : 's'})`,
          patched,
          tfjsWasm,
        )
      : null,
    patched && unpatched
      ? ratioOf("webasm in the Playground, after ÷ before the patched bundle (patched gpu.js ÷ gpu.js's browser build)", patched, unpatched)
      : null,
  ].filter((r): r is BrowserRatio => r !== null);
  const file: BrowserBenchFile = {
    date: new Date().toISOString(),
    note: values.note,
    command: `npm run bench:browser -- --steps ${steps} --warmup ${warmup} --batch ${batch} --rounds ${rounds}`,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      browser: browserVersion,
      platform: `${process.platform} ${process.arch}`,
    },
    batch,
    warmup,
    steps,
    rounds,
    seed,
    recipe: {
      ...(results.length > 0 ? firstRecipe(runs) : {}),
      step: "LeNet.ts: the compiled TrainingStep; TensorFlow.js: tfjsTrainStep (the Node peer's)",
    },
    crossOriginIsolated: isolated,
    targets: results,
    firstStepLossCheck: { reference: reference?.target ?? 'lenet-webasm', maxDifference, tolerance: FIRST_LOSS_TOLERANCE },
    ratios,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  // the README's table follows the committed file; a file written elsewhere leaves it alone
  if (out === BROWSER_BENCH_FILE) writeBrowserBenchReadme();
  process.stdout.write(
    [
      `browser bench (${browserVersion}, cross-origin isolated: ${isolated}), batch ${batch}, ${rounds} rounds:`,
      ...results.map((r) =>
        r.spread === undefined
          ? `  ${r.label}: did not run: ${r.error}`
          : `  ${r.label}: ${Math.round(r.spread.median)} examples/s (${Math.round(r.spread.min)}–${Math.round(r.spread.max)}), threads ${r.threads ?? 'GPU'}, workers ${r.workersStarted}, first loss ${r.firstStepLoss?.toFixed(5)}, ${r.device}`,
      ),
      ...ratios.map((r) => `  ${r.what}: ${r.median.toFixed(2)}x (${r.low.toFixed(2)}–${r.high.toFixed(2)})`),
      `  first-step losses within ${maxDifference.toExponential(1)} of ${reference?.target}`,
      `written to ${relative(process.cwd(), out)}`,
      '',
    ].join('\n'),
  );
  if (maxDifference > FIRST_LOSS_TOLERANCE) {
    process.stderr.write(
      `bench:browser: first-step losses disagree by ${maxDifference} (more than ${FIRST_LOSS_TOLERANCE}): the targets do not train the same step\n`,
    );
    return 1;
  }
  return errors.size > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
