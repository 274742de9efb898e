/**
 * The commands' option parsing (src/cli/command-line.ts on commander): types, ranges, decimal-only
 * numbers, `--no-flag` and `--flag=false`, `--help` anywhere, and the help text's notes.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { choiceOption, flagOption, intOption, newCommand, numberOption, parseCommandLine, stringOption } from '../src/cli/command-line.js';
import { UsageError } from '../src/cli/usage-error.js';

function commandLine() {
  return newCommand('npm run train --', 'Train LeNet-5.')
    .addOption(choiceOption('--backend <name>', ['cpu', 'gpu'], 'where to compute').default('cpu'))
    .addOption(intOption('--epochs <int>', 'passes over the training set', { min: 1 }).default(10))
    .addOption(numberOption('--lr <number>', 'learning rate', { greaterThan: 0 }).default(0.9))
    .addOption(intOption('--batch-size <int>', 'examples per step', { min: 1, max: 60000 }).default(256))
    .addOption(stringOption('--out <dir>', 'output directory'))
    .addOption(flagOption('--resume', 'continue from the last checkpoint'))
    .addOption(flagOption('--progress', 'show a progress bar').default(true))
    .addOption(intOption('--seed <int>', 'random seed'))
    .addOption(stringOption('--checkpoint <file>', 'the model'));
}

function options(argv: string[]) {
  const parsed = parseCommandLine(commandLine(), argv);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(commandLine(), argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    if (error instanceof UsageError) return error;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('fills in defaults', () => {
    expect(options([])).toEqual({ backend: 'cpu', epochs: 10, lr: 0.9, batchSize: 256, resume: false, progress: true });
  });

  it('reads --name value, --name=value, kebab-case flags, flags and --no-flags', () => {
    const parsed = options([
      '--backend',
      'gpu',
      '--lr=0.05',
      '--batch-size',
      '128',
      '--out',
      'runs/a',
      '--resume',
      '--no-progress',
      '--seed',
      '-3',
    ]);
    expect(parsed).toEqual({
      backend: 'gpu',
      epochs: 10,
      lr: 0.05,
      batchSize: 128,
      out: 'runs/a',
      resume: true,
      progress: false,
      seed: -3,
    });
  });

  it('lets a later occurrence override an earlier one, and reads --flag=true / --flag=false and --no-flag of any flag', () => {
    expect(options(['--epochs', '3', '--epochs', '5']).epochs).toBe(5);
    expect(options(['--resume=false']).resume).toBe(false);
    expect(options(['--resume=true']).resume).toBe(true);
    expect(options(['--progress=false']).progress).toBe(false);
    expect(options(['--resume', '--no-resume']).resume).toBe(false);
  });

  it('infers the option types', () => {
    const parsed = options([]);
    expectTypeOf(parsed.backend).toEqualTypeOf<'cpu' | 'gpu'>();
    expectTypeOf(parsed.lr).toEqualTypeOf<number>();
    expectTypeOf(parsed.out).toEqualTypeOf<string | undefined>();
    expectTypeOf(parsed.seed).toEqualTypeOf<number | undefined>();
    expectTypeOf(parsed.resume).toEqualTypeOf<boolean>();
  });

  it('answers --help and -h anywhere, even after mistakes', () => {
    expect(parseCommandLine(commandLine(), ['--lr', '-1', '--help'])).toBe('help');
    expect(parseCommandLine(commandLine(), ['-h'])).toBe('help');
  });

  it('rejects an unknown option and suggests the closest', () => {
    expect(usageError(['--batchsize', '64']).message).toBe("unknown option '--batchsize' (Did you mean --batch-size?)");
    expect(usageError(['--frobnicate']).message).toBe("unknown option '--frobnicate'");
    expect(usageError(['--no-lr']).message).toMatch(/^unknown option '--no-lr'/);
  });

  it('rejects a missing value, also when the next option would be taken for it', () => {
    expect(usageError(['--lr']).message).toBe("option '--lr <number>' argument missing");
    expect(usageError(['--out', '--resume']).message).toBe('--out needs a value: --out <dir>');
    expect(usageError(['--backend', '--resume']).message).toBe('--backend needs a value: --backend <name>');
  });

  it('rejects values that are not decimal numbers or integers, and empty values', () => {
    expect(usageError(['--lr', 'fast']).message).toBe("--lr expects a number > 0, got 'fast'");
    expect(usageError(['--lr=']).message).toBe("--lr expects a number > 0, got ''");
    expect(usageError(['--epochs', '2.5']).message).toBe("--epochs expects an integer ≥ 1, got '2.5'");
    expect(usageError(['--seed', 'Infinity']).message).toBe("--seed expects an integer, got 'Infinity'");
    expect(usageError(['--seed', '0x10']).message).toBe("--seed expects an integer written in decimal, got '0x10'");
    expect(usageError(['--out=']).message).toBe('--out expects <dir>, got an empty value');
  });

  it('rejects values out of range', () => {
    expect(usageError(['--lr', '0']).message).toBe('--lr must be a number > 0, got 0');
    expect(usageError(['--lr', '-0.5']).message).toBe('--lr must be a number > 0, got -0.5');
    expect(usageError(['--batch-size', '0']).message).toBe('--batch-size must be an integer ≥ 1 and ≤ 60000, got 0');
    expect(usageError(['--batch-size=60001']).message).toBe('--batch-size must be an integer ≥ 1 and ≤ 60000, got 60001');
  });

  it('rejects a choice that is not allowed, naming the option', () => {
    const error = usageError(['--backend', 'tpu']);
    expect(error.message).toBe("--backend must be one of cpu, gpu; got 'tpu'");
    expect(error.option).toBe('--backend');
  });

  it('rejects a bad flag value and stray arguments', () => {
    expect(usageError(['--resume=yes']).message).toBe("--resume is a flag: give it alone, or as --resume=true / --resume=false; got 'yes'");
    expect(usageError(['train']).message).toBe("unexpected argument 'train': options start with -- (see --help)");
    expect(usageError(['-x']).message).toBe("unknown option '-x'");
  });

  it('requires a mandatory option', () => {
    const required = () =>
      newCommand('npm run evaluate --', 'Evaluate.').addOption(stringOption('--checkpoint <file>', 'the model').makeOptionMandatory());
    expect(() => parseCommandLine(required(), [])).toThrow(new UsageError("required option '--checkpoint <file>' not specified"));
    const parsed = parseCommandLine(required(), ['--checkpoint', 'm.safetensors']);
    expect(parsed).toEqual({ checkpoint: 'm.safetensors' });
    if (parsed !== 'help') expectTypeOf(parsed.checkpoint).toEqualTypeOf<string>();
  });
});

describe('the help text', () => {
  it('lists every option with its value, range, default and help, aligned, and hides the --no- forms', () => {
    const command = commandLine();
    parseCommandLine(command, []); // adds the hidden --no-flags
    expect(command.helpInformation().split('\n')).toEqual([
      'Usage: npm run train -- [options]',
      '',
      'Train LeNet-5.',
      '',
      'Options:',
      '  --backend cpu|gpu    where to compute (default: cpu)',
      '  --epochs <int>       passes over the training set (≥ 1, default: 10)',
      '  --lr <number>        learning rate (> 0, default: 0.9)',
      '  --batch-size <int>   examples per step (≥ 1 and ≤ 60000, default: 256)',
      '  --out <dir>          output directory',
      '  --resume             continue from the last checkpoint',
      '  --progress           show a progress bar (default: on; --no-progress turns it off)',
      '  --seed <int>         random seed',
      '  --checkpoint <file>  the model',
      '  --help               show this help',
      '',
    ]);
  });

  it('does not wrap a long description', () => {
    const description = 'word '.repeat(60).trim();
    expect(newCommand('x', description).helpInformation().split('\n')[2]).toBe(description);
  });
});
