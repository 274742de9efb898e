/**
 * The kernel viewer's command line: `<kernel> [--mode <mode>]` or `--list`.
 * @module
 */
import { isGpuMode, type GpuMode } from '../mode.js';

/** The viewer's usage text. */
export const VIEWER_USAGE = `usage: kernels <kernel> [--mode webgpu|headlessgl|webgl2|webgl|cpu|webasm|auto]   (default mode: webgpu)
       kernels --list`;

/** The parsed command line. */
export interface ViewerArguments {
  readonly kernel: string | null;
  readonly mode: GpuMode;
  readonly list: boolean;
}

/** Parses `argv` (without node and the script). */
export function parseViewerArguments(argv: readonly string[]): ViewerArguments {
  let kernel: string | null = null;
  let mode: GpuMode = 'webgpu';
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--list') {
      list = true;
    } else if (arg === '--mode' || arg.startsWith('--mode=')) {
      const value = arg === '--mode' ? argv[++i] : arg.slice('--mode='.length);
      if (value === undefined || !isGpuMode(value)) {
        throw new Error(`kernels: --mode must be one of auto, webgpu, headlessgl, webgl2, webgl, webasm, cpu; got ${String(value)}\n${VIEWER_USAGE}`);
      }
      mode = value;
    } else if (arg.startsWith('-')) {
      throw new Error(`kernels: unknown option ${arg}\n${VIEWER_USAGE}`);
    } else {
      kernel = arg;
    }
  }
  return { kernel, mode, list };
}
