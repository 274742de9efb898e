/**
 * The kernel viewer: prints the shader GPU.js generates for one of this package's kernels, next
 * to the JavaScript it came from, so a learner sees a loop become a shader.
 *
 *   npm run kernels -- conv2d --mode webgpu      # WGSL through Dawn
 *   npm run kernels -- conv2d --mode headlessgl  # GLSL ES 1.00 through headless-gl
 *   npm run kernels -- --list
 *
 * Exit codes: 0 done (also --list, --help), 2 a usage error (unknown option or kernel, two kernels),
 * 1 anything else (the mode cannot start, …).
 * @module
 */
import { createGpuBackend } from '../create-gpu-backend.js';
import { KERNELS, kernelNames } from '../kernel-table.js';
import { formatKernelSource, kernelSource } from './kernel-source.js';
import { parseViewerArguments, VIEWER_USAGE, ViewerUsageError } from './viewer-arguments.js';

async function main(): Promise<void> {
  const args = parseViewerArguments(process.argv.slice(2), kernelNames());
  if (args.list || args.help || args.kernel === null) {
    const lines = kernelNames().map((name) => `  ${name.padEnd(26)} ${KERNELS[name].summary}`);
    process.stdout.write(`${VIEWER_USAGE}\n\nkernels:\n${lines.join('\n')}\n`, () => process.exit(args.list || args.help ? 0 : 2));
    return;
  }
  const backend = await createGpuBackend({ mode: args.mode });
  const listing = await kernelSource(backend, args.kernel);
  backend.destroy();
  process.stdout.write(formatKernelSource(listing), () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`, () =>
    process.exit(error instanceof ViewerUsageError ? 2 : 1),
  );
});
