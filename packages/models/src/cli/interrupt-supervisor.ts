/**
 * Answering Ctrl-C at once while the real work runs in a child process.
 *
 * JavaScript cannot run a signal handler in the middle of synchronous work: a training step or an
 * evaluation batch on the CPU backend holds the thread for seconds, and the handler waits for it. So
 * the executable is a small supervisor whose own thread is always free, and the work runs in a
 * forked child:
 *
 * - first Ctrl-C: the supervisor prints the message at once and passes SIGINT on; the child stops
 *   before its next step or evaluation batch, keeps its last checkpoint and exits 130;
 * - second Ctrl-C: the supervisor kills the child (SIGKILL; the checkpoint on disk is whole by
 *   construction, written atomically) and exits 130 at once;
 * - SIGTERM (`docker stop`, systemd, a CI runner's cancel): the same orderly stop as a first
 *   Ctrl-C: the supervisor prints `terminatingMessage` and passes SIGTERM on; the child ends its
 *   step, keeps its last checkpoint and exits 143;
 * - SIGHUP: passed on, and the supervisor exits as the child does;
 * - the child's exit code (or 128 + its signal) is the supervisor's.
 *
 * A Ctrl-C typed in a terminal reaches both processes (one process group); the child's handler only
 * ever asks to stop, so getting the signal twice changes nothing there.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** Options of {@link superviseWorker}. */
export interface SuperviseOptions {
  /** The child's script (a built `.js` file). */
  readonly script: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Printed on stderr at the first Ctrl-C, e.g. `train: stopping after this step…`. */
  readonly stoppingMessage: string;
  /** Printed on stderr at SIGTERM, e.g. `train: SIGTERM: stopping after this step…`. */
  readonly terminatingMessage: string;
  /** Printed on stderr at the second Ctrl-C, just before the child is killed. */
  readonly quittingMessage: string;
  /** The exit code for an interrupt (130). */
  readonly interruptedCode: number;
}

/** The exit code a shell reports for a child that ended with `code` or was killed by `signal`. */
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return signal === null ? 1 : 128 + (constants.signals[signal] ?? 0);
}

/**
 * Runs `script` in a child process with this process's streams, answering Ctrl-C as described in
 * the module comment, and resolves with the exit code to use.
 *
 * @example process.exitCode = await superviseWorker({ script, args: process.argv.slice(2), … });
 */
export function superviseWorker(options: SuperviseOptions): Promise<number> {
  const child: ChildProcess = fork(options.script, [...options.args], { stdio: 'inherit' });
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\n${options.stoppingMessage}\n`);
      child.kill('SIGINT');
    } else if (interrupts === 2) {
      process.stderr.write(`\n${options.quittingMessage}\n`);
      child.kill('SIGKILL');
    }
  };
  let terminations = 0;
  const onTerminate = (): void => {
    if (terminations++ === 0) process.stderr.write(`\n${options.terminatingMessage}\n`);
    child.kill('SIGTERM');
  };
  const onHangUp = (): void => {
    child.kill('SIGHUP');
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onHangUp);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      process.off('SIGHUP', onHangUp);
      resolve(interrupts >= 2 ? options.interruptedCode : exitCodeOf(code, signal));
    });
    child.on('error', (error) => {
      process.stderr.write(`cannot start ${options.script}: ${error.message}\n`);
      resolve(1);
    });
  });
}
