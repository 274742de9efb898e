/**
 * The docs README's browser-benchmark table, drawn from a results file: one row per target with
 * examples/s (median, and min–max over the rounds), threads, device and first-step loss; then the
 * ratios. `readme.ts` writes it between `<!-- browser-bench -->` markers, and a test checks that the
 * README holds exactly what the committed file gives.
 * @module
 */
import type { BrowserBenchFile } from './results.js';

const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The table and ratio lines for `file`, which came from `source` (a path named in the text). */
export function browserBenchTable(file: BrowserBenchFile, source: string): string {
  const cores = file.machine.cores;
  const lines = [
    `Measured ${file.date.slice(0, 10)} in ${file.machine.browser} (headless, ${cores} cores, no GPU: WebGPU and WebGL2 are SwiftShader), ` +
      `batch ${file.batch}, median of ${file.steps} steps after ${file.warmup} warm-up, ${file.rounds} interleaved rounds; ${file.note} ` +
      `From \`${source}\`, recorded with \`${file.command}\`.`,
    '',
    '| target | examples/s (median) | min–max | threads | device | first-step loss |',
    '| :--- | ---: | ---: | ---: | :--- | ---: |',
  ];
  for (const t of file.targets) {
    if (t.spread === undefined) {
      lines.push(`| ${t.label} | — | — | — | did not run: ${(t.error ?? '').split('\n')[0].replaceAll('|', '/')} | — |`);
      continue;
    }
    const threads = t.threads === null || t.threads === undefined ? 'GPU' : String(t.threads);
    lines.push(
      `| ${t.label} | ${thousands(t.spread.median)} | ${thousands(t.spread.min)}–${thousands(t.spread.max)} | ${threads} | ${t.device ?? ''} | ${t.firstStepLoss?.toFixed(5) ?? '—'} |`,
    );
  }
  lines.push('');
  for (const r of file.ratios) {
    lines.push(`- ${r.what}: **${r.median.toFixed(2)}×** (${r.low.toFixed(2)}–${r.high.toFixed(2)}× over the rounds), on ${cores} cores.`);
  }
  const check = file.firstStepLossCheck;
  lines.push(
    `- First-step losses (same initial parameters, same batch) differ from ${check.reference}'s by at most ${check.maxDifference.toExponential(1)} (bound ${check.tolerance}).`,
  );
  return lines.join('\n');
}
