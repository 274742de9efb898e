import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatUsage, optionFlag, parseArgs } from '../src/cli-support/args.js';
import { UsageError } from '../src/cli-support/usage-error.js';

const specs = {
  backend: { type: 'choice', choices: ['cpu', 'gpu'], default: 'cpu', help: 'where to compute' },
  epochs: { type: 'int', min: 1, default: 10, help: 'passes over the training set' },
  lr: { type: 'number', greaterThan: 0, default: 0.9, help: 'learning rate' },
  batchSize: { type: 'int', min: 1, max: 60000, default: 256, help: 'examples per step' },
  out: { type: 'string', valueName: '<dir>', help: 'output directory' },
  resume: { type: 'boolean', help: 'continue from the last checkpoint' },
  progress: { type: 'boolean', default: true, help: 'show a progress bar' },
  seed: { type: 'int', help: 'random seed' },
} as const;

function options(argv: string[]) {
  const parsed = parseArgs(specs, argv);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.options;
}

function usageError(argv: string[], specsToUse: Parameters<typeof parseArgs>[0] = specs): UsageError {
  try {
    parseArgs(specsToUse, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    if (error instanceof UsageError) return error;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseArgs', () => {
  it('fills in defaults', () => {
    expect(options([])).toEqual({
      backend: 'cpu', epochs: 10, lr: 0.9, batchSize: 256, out: undefined, resume: false, progress: true, seed: undefined,
    });
  });

  it('reads --name value, --name=value, kebab-case flags, flags and --no-flags', () => {
    const parsed = options(['--backend', 'gpu', '--lr=0.05', '--batch-size', '128', '--out', 'runs/a', '--resume', '--no-progress', '--seed', '-3']);
    expect(parsed).toEqual({
      backend: 'gpu', epochs: 10, lr: 0.05, batchSize: 128, out: 'runs/a', resume: true, progress: false, seed: -3,
    });
  });

  it('lets a later occurrence override an earlier one, and reads --flag=false', () => {
    expect(options(['--epochs', '3', '--epochs', '5', '--resume=false']).epochs).toBe(5);
    expect(options(['--resume=false']).resume).toBe(false);
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
    expect(parseArgs(specs, ['--lr', '-1', '--help'])).toEqual({ help: true });
    expect(parseArgs(specs, ['-h'])).toEqual({ help: true });
  });

  it('rejects an unknown option and suggests the closest', () => {
    const error = usageError(['--batchsize', '64']);
    expect(error.message).toBe('unknown option --batchsize (did you mean --batch-size?)');
    expect(error.option).toBe('--batchsize');
    expect(usageError(['--frobnicate']).message).toBe('unknown option --frobnicate');
    expect(usageError(['--no-lr']).message).toMatch(/^unknown option --no-lr/);
  });

  it('rejects a missing value', () => {
    expect(usageError(['--lr']).message).toBe('--lr needs a value: --lr <number>');
    expect(usageError(['--out', '--resume']).message).toBe('--out needs a value: --out <dir>');
    expect(usageError(['--backend']).message).toBe('--backend needs a value: --backend cpu|gpu');
  });

  it('rejects values that are not numbers or integers', () => {
    expect(usageError(['--lr', 'fast']).message).toBe("--lr expects a number > 0, got 'fast'");
    expect(usageError(['--lr=']).message).toBe("--lr expects a number > 0, got ''");
    expect(usageError(['--epochs', '2.5']).message).toBe("--epochs expects an integer ≥ 1, got '2.5'");
    expect(usageError(['--seed', 'Infinity']).message).toBe("--seed expects an integer, got 'Infinity'");
  });

  it('rejects values out of range', () => {
    expect(usageError(['--lr', '0']).message).toBe('--lr must be a number > 0, got 0');
    expect(usageError(['--lr', '-0.5']).message).toBe('--lr must be a number > 0, got -0.5');
    expect(usageError(['--batch-size', '0']).message).toBe('--batch-size must be an integer ≥ 1 and ≤ 60000, got 0');
    expect(usageError(['--batch-size=60001']).message).toBe('--batch-size must be an integer ≥ 1 and ≤ 60000, got 60001');
  });

  it('rejects a choice that is not allowed', () => {
    const error = usageError(['--backend', 'tpu']);
    expect(error.message).toBe("--backend must be one of cpu, gpu; got 'tpu'");
    expect(error.option).toBe('--backend');
  });

  it('rejects a bad boolean value and stray arguments', () => {
    expect(usageError(['--resume=yes']).message).toBe("--resume is a flag: give it alone, or as --resume=true / --resume=false; got 'yes'");
    expect(usageError(['train']).message).toBe("unexpected argument 'train': options start with -- (see --help)");
    expect(usageError(['-x']).message).toMatch(/^unexpected argument '-x'/);
  });

  it('requires required options', () => {
    const required = { checkpoint: { type: 'string', required: true, valueName: '<file>', help: 'the model' } } as const;
    expect(usageError([], required).message).toBe('missing required option --checkpoint <file>');
    const parsed = parseArgs(required, ['--checkpoint', 'm.safetensors']);
    expect(parsed).toEqual({ help: false, options: { checkpoint: 'm.safetensors' } });
    if (!parsed.help) expectTypeOf(parsed.options.checkpoint).toEqualTypeOf<string>();
  });
});

describe('formatUsage', () => {
  it('lists every option with value, range, default and help, aligned', () => {
    const text = formatUsage('npm run train --', 'Train LeNet-5.', specs);
    expect(text.split('\n')).toEqual([
      'Usage: npm run train -- [options]',
      '',
      'Train LeNet-5.',
      '',
      'Options:',
      '  --backend cpu|gpu   where to compute (default: cpu)',
      '  --epochs <int>      passes over the training set (≥ 1, default: 10)',
      '  --lr <number>       learning rate (> 0, default: 0.9)',
      '  --batch-size <int>  examples per step (≥ 1 and ≤ 60000, default: 256)',
      '  --out <dir>         output directory',
      '  --resume            continue from the last checkpoint',
      '  --progress          show a progress bar (default: on; --no-progress turns it off)',
      '  --seed <int>        random seed',
      '  --help              show this help',
      '',
    ]);
  });

  it('maps camelCase keys to kebab-case flags', () => {
    expect(optionFlag('gpuMode')).toBe('--gpu-mode');
    expect(optionFlag('lr')).toBe('--lr');
  });
});
