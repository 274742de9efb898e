/**
 * The kernel viewer's command line, on `commander`: `<kernel> [--mode <mode>]`, `--list` or `--help`.
 * @module
 */
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { GPU_MODES, isGpuMode, type GpuMode } from '../mode.js';

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

function parseMode(text: string): GpuMode {
  if (!isGpuMode(text)) throw new ViewerUsageError(`--mode must be one of ${GPU_MODES.join(', ')}; got ${text}`);
  return text;
}

/**
 * The viewer's options. The kernel is a variadic argument so that a second name gets its own message
 * below instead of commander's count; commander neither prints nor exits (`exitOverride`).
 */
function viewerCommandLine() {
  return new Command('kernels')
    .argument('[kernel...]', 'the kernel to print')
    .addOption(new Option('--mode <mode>', 'the gpu.js mode whose shader to print').argParser(parseMode).default<GpuMode>('webgpu'))
    .addOption(new Option('--list', 'list the kernels').default(false))
    .helpOption(false)
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .exitOverride();
}

/**
 * Parses `argv` (without node and the script). `knownKernels` are the kernel table's names: an unknown
 * one is refused here, before any GPU mode is started.
 * @throws ViewerUsageError for an unknown option or kernel, a bad `--mode`, or two kernel names.
 */
export function parseViewerArguments(argv: readonly string[], knownKernels: readonly string[]): ViewerArguments {
  const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h';
  const command = viewerCommandLine();
  try {
    command.parse(
      argv.filter((arg) => !isHelp(arg)),
      { from: 'user' },
    );
  } catch (error) {
    if (error instanceof CommanderError) throw new ViewerUsageError(error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '));
    throw error;
  }
  const [kernels] = command.processedArgs;
  const [kernel = null, second] = kernels;
  if (second !== undefined) throw new ViewerUsageError(`one kernel at a time: got ${kernel} and ${second}`);
  if (kernel !== null && !knownKernels.includes(kernel)) throw new ViewerUsageError(`unknown kernel ${kernel}; kernels --list names them`);
  const { mode, list } = command.opts();
  return { kernel, mode, list, help: argv.some(isHelp) };
}
