/**
 * The kernel viewer's command line: `<kernel> [--mode <mode>]`, `--list` or `--help`.
 * @module
 */
import { isGpuMode, type GpuMode } from '../mode.js';

/** The viewer's usage text. */
export const VIEWER_USAGE = `usage: kernels <kernel> [--mode webgpu|headlessgl|webgl2|webgl|cpu|webasm|auto]   (default mode: webgpu)
       kernels --list
       kernels --help`;

/** A command line the viewer cannot run: the message says why; the viewer exits with 2. */
export class ViewerUsageError extends Error {
  /** @param message what is wrong (the usage text is appended) */
  constructor(message: string) {
    super(`kernels: ${message}\n${VIEWER_USAGE}`);
    this.name = 'ViewerUsageError';
  }
}

/** The parsed command line. */
export interface ViewerArguments {
  readonly kernel: string | null;
  readonly mode: GpuMode;
  readonly list: boolean;
  /** `--help` or `-h`: print the usage and the kernels, exit 0. */
  readonly help: boolean;
}

/**
 * Parses `argv` (without node and the script). `knownKernels` are the catalogue's names: an unknown
 * one is refused here, before any GPU mode is started.
 * @throws ViewerUsageError for an unknown option or kernel, a bad `--mode`, or two kernel names.
 */
export function parseViewerArguments(argv: readonly string[], knownKernels: readonly string[]): ViewerArguments {
  let kernel: string | null = null;
  let mode: GpuMode = 'webgpu';
  let list = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--list') {
      list = true;
    } else if (arg === '--help' || arg === '-h') {
      help = true;
    } else if (arg === '--mode' || arg.startsWith('--mode=')) {
      const value = arg === '--mode' ? argv[++i] : arg.slice('--mode='.length);
      if (value === undefined || !isGpuMode(value)) {
        throw new ViewerUsageError(`--mode must be one of auto, webgpu, headlessgl, webgl2, webgl, webasm, cpu; got ${String(value)}`);
      }
      mode = value;
    } else if (arg.startsWith('-')) {
      throw new ViewerUsageError(`unknown option ${arg}`);
    } else if (kernel !== null) {
      throw new ViewerUsageError(`one kernel at a time: got ${kernel} and ${arg}`);
    } else if (!knownKernels.includes(arg)) {
      throw new ViewerUsageError(`unknown kernel ${arg}; kernels --list names them`);
    } else {
      kernel = arg;
    }
  }
  return { kernel, mode, list, help };
}
