/** Running a command in this process with its output collected (the commands take their streams as `io`). */
import { runTrainCommand } from '../../src/cli/train-command.js';

/** Streams for a command's `io` that keep what is written, and what was written so far. */
export function collectOutput() {
  const chunks = { stdout: [] as string[], stderr: [] as string[] };
  const io = {
    stdout: { write: (text: string) => chunks.stdout.push(text) },
    stderr: { write: (text: string) => chunks.stderr.push(text) },
  };
  return { io, stdout: () => chunks.stdout.join(''), stderr: () => chunks.stderr.join('') };
}

/** `train` with `argv` in this process: its exit code and what it printed. */
export async function trainInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = collectOutput();
  const code = await runTrainCommand(argv, { io: output.io });
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}
