/**
 * `npm run export -- --checkpoint FILE --onnx model.onnx`: a checkpoint as an ONNX model, for ONNX
 * Runtime (server, mobile, web), Netron, TensorRT or OpenVINO.
 * @module
 */
import { formatCount } from '../summary/format-summary.js';
import { MODEL_NAMES } from '../models/registry.js';
import { ONNX_IR_VERSION, ONNX_OPSET } from '../onnx/onnx-format.js';
import { activateBackend } from './backend-options.js';
import { println } from './cli-io.js';
import { choiceOption, flagOption, newCommand, stringOption } from './command-line.js';
import { EXIT } from './exit-codes.js';
import { writeOnnxFile } from './export-onnx-file.js';
import { verboseOption } from './report-failure.js';
import { runCommand } from './run-command.js';
import type { CommandContext } from './train-command.js';

const DESCRIPTION =
  `Export a checkpoint as an ONNX model (IR version ${ONNX_IR_VERSION}, opset ${ONNX_OPSET}): input 'images' float32 [N,1,28,28] ` +
  "(pixels / 255, N any batch size), output 'logits' float32 [N,10]; the run's settings and the class names in its metadata. " +
  'Exit codes: 0 done, 2 bad input (unreadable checkpoint, weights that do not fit the model, NaN weights, a path that cannot be written); nothing is written then.';

/** The export command's options, declared for {@link parseCommandLine}. */
export function exportCommandLine() {
  return newCommand('npm run export --', DESCRIPTION)
    .addOption(
      stringOption(
        '--checkpoint <file>',
        'a model.safetensors written by the train command, or a PyTorch state_dict saved with safetensors (then give --model)',
      ).makeOptionMandatory(),
    )
    .addOption(stringOption('--onnx <file>', 'the ONNX file to write, e.g. model.onnx').makeOptionMandatory())
    .addOption(choiceOption('--model <name>', MODEL_NAMES, "the network the weights belong to (default: the checkpoint's)"))
    .addOption(flagOption('--allow-non-finite', 'write the model even when the weights hold NaN or infinities (with a warning)'))
    .addOption(verboseOption());
}

/**
 * Runs the export command with `argv` and returns its exit code (0, or 2 for bad input).
 * @example await runExportCommand(['--checkpoint', 'runs/a/model.safetensors', '--onnx', 'model.onnx'], { io: PROCESS_IO });
 */
export async function runExportCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { io } = context;
  return runCommand('export', exportCommandLine(), argv, io, async (options) => {
    await activateBackend('cpu', undefined);
    const result = await writeOnnxFile({
      checkpoint: options.checkpoint,
      onnx: options.onnx,
      model: options.model,
      allowNonFinite: options.allowNonFinite,
    });
    for (const warning of result.warnings) println(io.stderr, `export: warning: ${warning}`);
    const trained = result.epoch === null ? 'weights from another library' : `after ${result.epoch} epochs`;
    println(
      io.stdout,
      `wrote ${options.onnx}: ${result.model} ${trained}, ${formatCount(result.bytes)} bytes, ONNX IR version ${ONNX_IR_VERSION}, opset ${ONNX_OPSET}`,
    );
    return EXIT.ok;
  });
}
