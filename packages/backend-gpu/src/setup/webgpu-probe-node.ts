/**
 * `auto`'s look for a WebGPU adapter in Node, done in a short-lived child process. Loading Dawn to
 * ask for an adapter also loads, on a machine without a GPU, Mesa's llvmpipe and LLVM, and they stay
 * in the process for good (a native module is never unloaded): tens of megabytes of code and
 * driver memory in a process that then trains in webasm (the models README, "The README's main
 * job on the 2-core machine"). The child answers with the adapter `installNodeWebGpu` chose, or
 * with why there is none; only when the adapter is a GPU does this process load Dawn itself.
 * @module
 */
import { execFile } from 'node:child_process';
import { GpuModeUnavailableError } from './mode-unavailable-error.js';
import type { WebGpuAdapterChoice } from './webgpu-node.js';

/** What the child writes on its standard output. */
type ProbeAnswer =
  | { readonly choice: WebGpuAdapterChoice }
  | { readonly unavailable: { readonly reason: string; readonly remedy: string } };

/** The child: `installNodeWebGpu` of this folder's `webgpu-node.js`, its answer as one line of JSON. */
function probeScript(): string {
  const moduleUrl = new URL('./webgpu-node.js', import.meta.url).href;
  return [
    `const { installNodeWebGpu } = await import(${JSON.stringify(moduleUrl)});`,
    'let answer;',
    'try { answer = { choice: await installNodeWebGpu() }; }',
    'catch (error) { answer = { unavailable: { reason: error.reason ?? String(error), remedy: error.remedy ?? "" } }; }',
    'process.stdout.write(JSON.stringify(answer) + "\\n", () => process.exit(0));',
  ].join('\n');
}

function isProbeAnswer(value: unknown): value is ProbeAnswer {
  return typeof value === 'object' && value !== null && ('choice' in value || 'unavailable' in value);
}

/**
 * The adapter a fresh Node process would use for WebGPU, without loading Dawn here.
 * @throws GpuModeUnavailableError with the child's reason when it finds none (or cannot answer).
 */
export function probeNodeWebGpu(): Promise<WebGpuAdapterChoice> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', probeScript()],
      { env: process.env, timeout: 60_000, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        const line = stdout.split('\n').find((text) => text.startsWith('{'));
        let answer: unknown = null;
        try {
          answer = line === undefined ? null : JSON.parse(line);
        } catch {
          answer = null;
        }
        if (!isProbeAnswer(answer)) {
          const why = error === null ? 'it gave no answer' : error.message.split('\n')[0];
          reject(
            new GpuModeUnavailableError(
              'webgpu',
              `the child process that looks for a WebGPU adapter failed: ${why}`,
              'ask for a mode explicitly (--gpu-mode)',
            ),
          );
          return;
        }
        if ('choice' in answer) resolve(answer.choice);
        else reject(new GpuModeUnavailableError('webgpu', answer.unavailable.reason, answer.unavailable.remedy));
      },
    );
  });
}
