import { describe, expect, it } from 'vitest';
import { runCommand, type CommandDefinition } from '../src/cli-support/run-command.js';
import { UsageError } from '../src/cli-support/usage-error.js';
import { DataFileError } from '../src/data/data-file-error.js';
import { SafetensorsError } from '../src/io/safetensors.js';

class CheckpointProblem extends Error {}

const options = {
  lr: { type: 'number', greaterThan: 0, default: 0.9, help: 'learning rate' },
  fail: { type: 'choice', choices: ['none', 'usage', 'data', 'checkpoint', 'custom', 'bug'], default: 'none', help: 'what to throw' },
} as const;

const seen: number[] = [];
const command: CommandDefinition<typeof options> = {
  usage: 'npm run demo --',
  description: 'A demo command.',
  options,
  inputErrors: [CheckpointProblem],
  run(parsed, output) {
    seen.push(parsed.lr);
    switch (parsed.fail) {
      case 'usage':
        throw new UsageError("unknown model 'lenet7'; choose lenet5, lenet5-modern or lenet5-classic", '--model');
      case 'data':
        throw new DataFileError('data/x.gz', 'truncated');
      case 'checkpoint':
        throw new SafetensorsError('m.safetensors', 'too short');
      case 'custom':
        throw new CheckpointProblem('no checkpoint to resume in runs/a');
      case 'bug':
        throw new TypeError('undefined is not a function');
      default:
        output.stdout.write(`lr ${parsed.lr}\n`);
    }
  },
};

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const code = await runCommand(command, argv, {
    stdout: { write: (chunk: string) => (out.stdout += chunk) },
    stderr: { write: (chunk: string) => (out.stderr += chunk) },
  });
  return { code, ...out };
}

describe('runCommand', () => {
  it('runs with the parsed options and exits 0', async () => {
    expect(await run(['--lr', '0.1'])).toEqual({ code: 0, stdout: 'lr 0.1\n', stderr: '' });
    expect(seen.at(-1)).toBe(0.1);
  });

  it('prints the usage for --help on stdout and exits 0 without running', async () => {
    const before = seen.length;
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run demo -- \[options\]\n\nA demo command\.\n/);
    expect(seen.length).toBe(before);
  });

  it('prints a usage error with the usage text and exits 2', async () => {
    const result = await run(['--lr', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --lr must be a number > 0, got 0\n\nUsage: npm run demo --/);
    expect((await run(['--fail', 'usage'])).stderr).toMatch(/^error: unknown model 'lenet7'/);
  });

  it('exits 2 for data, checkpoint and declared input errors, without a stack', async () => {
    expect(await run(['--fail', 'data'])).toEqual({ code: 2, stdout: '', stderr: 'error: data/x.gz: truncated\n' });
    expect(await run(['--fail', 'checkpoint'])).toEqual({ code: 2, stdout: '', stderr: 'error: m.safetensors: too short\n' });
    expect(await run(['--fail', 'custom'])).toEqual({ code: 2, stdout: '', stderr: 'error: no checkpoint to resume in runs/a\n' });
  });

  it('exits 1 with the stack for anything else', async () => {
    const result = await run(['--fail', 'bug']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^unexpected error: TypeError: undefined is not a function\n\s+at /);
  });
});
