/**
 * A small typed option parser for the CLIs. Options are declared once, with type, default, range and
 * help text; parsing gives a typed object, and any mistake on the command line is a
 * {@link UsageError} that names the option and says what was expected.
 *
 * Syntax: `--name value`, `--name=value`; booleans `--flag`, `--no-flag`, `--flag=true|false`;
 * `--help` / `-h`. Option keys are camelCase in code and kebab-case on the command line
 * (`batchSize` ↔ `--batch-size`). A later occurrence of an option overrides an earlier one.
 * @module
 */
import { UsageError } from './usage-error.js';

/** Fields every option has. */
export interface OptionSpecBase {
  /** One line saying what the option does. */
  readonly help: string;
}

/** A numeric option: `number` (any finite number) or `int` (a safe integer). */
export interface NumberOptionSpec extends OptionSpecBase {
  /** `number`: any finite number (`0.9`, `1e-3`); `int`: a safe integer. */
  readonly type: 'number' | 'int';
  /** The value when the option is not given. */
  readonly default?: number;
  /** When true (and there is no default) the option must be given. */
  readonly required?: boolean;
  /** Smallest allowed value (inclusive). */
  readonly min?: number;
  /** Largest allowed value (inclusive). */
  readonly max?: number;
  /** The value must be strictly greater than this (e.g. a learning rate > 0). */
  readonly greaterThan?: number;
  /** The placeholder in the usage text; default `<number>` or `<int>`. */
  readonly valueName?: string;
}

/** A free-text option (a path, a name). */
export interface StringOptionSpec extends OptionSpecBase {
  /** Any non-empty text. */
  readonly type: 'string';
  /** The value when the option is not given. */
  readonly default?: string;
  /** When true (and there is no default) the option must be given. */
  readonly required?: boolean;
  /** The placeholder in the usage text; default `<string>`, e.g. `<dir>`. */
  readonly valueName?: string;
}

/** A flag: `--resume` sets it, `--no-resume` clears it; false when not given unless a default says otherwise. */
export interface BooleanOptionSpec extends OptionSpecBase {
  /** A flag without a value. */
  readonly type: 'boolean';
  /** The value when the option is not given; default false. */
  readonly default?: boolean;
}

/** One of a fixed set of words, e.g. `--backend cpu|gpu`. */
export interface ChoiceOptionSpec<Choice extends string = string> extends OptionSpecBase {
  /** One word out of `choices`. */
  readonly type: 'choice';
  /** The allowed values. */
  readonly choices: readonly Choice[];
  /** The value when the option is not given. */
  readonly default?: NoInfer<Choice>;
  /** When true (and there is no default) the option must be given. */
  readonly required?: boolean;
}

/** The declaration of one option. */
export type OptionSpec = NumberOptionSpec | StringOptionSpec | BooleanOptionSpec | ChoiceOptionSpec;

/** The declarations of a command's options, by camelCase key. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The type of value an option declaration produces. */
export type OptionValue<Spec extends OptionSpec> = Spec extends { type: 'number' | 'int' }
  ? number
  : Spec extends { type: 'string' }
    ? string
    : Spec extends { type: 'boolean' }
      ? boolean
      : Spec extends { choices: readonly (infer Choice)[] }
        ? Choice
        : never;

/**
 * The parsed options: each key has its value type; options without a default that are not required
 * (and not boolean) may be `undefined`.
 */
export type ParsedOptions<Specs extends OptionSpecs> = {
  -readonly [Key in keyof Specs]: Specs[Key] extends { type: 'boolean' } | { default: string | number } | { required: true }
    ? OptionValue<Specs[Key]>
    : OptionValue<Specs[Key]> | undefined;
};

/** What {@link parseArgs} returns: the options, or a request for the usage text. */
export type ParseResult<Specs extends OptionSpecs> =
  | { readonly help: true }
  | { readonly help: false; readonly options: ParsedOptions<Specs> };

/**
 * `batchSize` → `--batch-size`.
 *
 * @example
 * ```ts
 * optionFlag('gpuMode'); // '--gpu-mode'
 * ```
 */
export function optionFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** The placeholder shown after the flag in messages and usage: `<number>`, `cpu|gpu`, `<dir>`. */
function valuePlaceholder(spec: OptionSpec): string {
  switch (spec.type) {
    case 'number':
    case 'int':
      return spec.valueName ?? `<${spec.type}>`;
    case 'string':
      return spec.valueName ?? '<string>';
    case 'choice':
      return spec.choices.join('|');
    case 'boolean':
      return '';
  }
}

/** The range constraints of a numeric option as text, e.g. `> 0` or `≥ 1 and ≤ 100`; '' when none. */
function rangeText(spec: NumberOptionSpec): string {
  const parts: string[] = [];
  if (spec.greaterThan !== undefined) parts.push(`> ${spec.greaterThan}`);
  if (spec.min !== undefined) parts.push(`≥ ${spec.min}`);
  if (spec.max !== undefined) parts.push(`≤ ${spec.max}`);
  return parts.join(' and ');
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function suggestion(flag: string, specs: OptionSpecs): string {
  const flags = [...Object.keys(specs).map(optionFlag), '--help'];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of flags) {
    const distance = editDistance(flag, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(flag.length / 4)) ? ` (did you mean ${best}?)` : '';
}

/**
 * A decimal number as people write them: `42`, `-0.5`, `.9`, `1e-3`. Not JavaScript's other forms
 * (`0x10`, `0b11`, `0o17`, `Infinity`, surrounding spaces), which `Number()` would take: `--seed 0x10`
 * must not quietly mean 16.
 */
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(flag: string, spec: NumberOptionSpec, text: string): number {
  const kind = spec.type === 'int' ? 'an integer' : 'a number';
  const range = rangeText(spec);
  const expected = range === '' ? kind : `${kind} ${range}`;
  const value = DECIMAL_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || (spec.type === 'int' && !Number.isSafeInteger(value))) {
    const radix = /^[+-]?0[xob]/i.test(text) ? ' written in decimal' : '';
    throw new UsageError(`${flag} expects ${expected}${radix}, got '${text}'`, flag);
  }
  const inRange =
    (spec.greaterThan === undefined || value > spec.greaterThan) &&
    (spec.min === undefined || value >= spec.min) &&
    (spec.max === undefined || value <= spec.max);
  if (!inRange) throw new UsageError(`${flag} must be ${expected}, got ${text}`, flag);
  return value;
}

function parseValue(flag: string, spec: Exclude<OptionSpec, BooleanOptionSpec>, text: string): string | number {
  switch (spec.type) {
    case 'number':
    case 'int':
      return parseNumber(flag, spec, text);
    case 'string':
      if (text === '') throw new UsageError(`${flag} expects ${valuePlaceholder(spec)}, got an empty value`, flag);
      return text;
    case 'choice':
      if (!spec.choices.includes(text)) {
        throw new UsageError(`${flag} must be one of ${spec.choices.join(', ')}; got '${text}'`, flag);
      }
      return text;
  }
}

function parseBoolean(flag: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new UsageError(`${flag} is a flag: give it alone, or as ${flag}=true / ${flag}=false; got '${text}'`, flag);
}

/**
 * Parse a command line against option declarations.
 *
 * @param specs - the declarations, by camelCase key.
 * @param argv - the arguments after the script name (`process.argv.slice(2)`).
 * @returns `{ help: true }` when `--help` or `-h` appears anywhere; otherwise the typed options, with
 *   defaults filled in.
 * @throws {@link UsageError} for an unknown option (with a suggestion), a missing value, a value that
 *   is not a number / integer / allowed choice, a value out of range, a stray argument, or a missing
 *   required option.
 *
 * @example
 * ```ts
 * const specs = {
 *   backend: { type: 'choice', choices: ['cpu', 'gpu'], default: 'cpu', help: 'where to compute' },
 *   lr: { type: 'number', greaterThan: 0, default: 0.9, help: 'learning rate' },
 *   out: { type: 'string', valueName: '<dir>', help: 'output directory' },
 * } as const;
 * const parsed = parseArgs(specs, ['--backend', 'gpu', '--lr=0.1']);
 * if (!parsed.help) parsed.options.lr; // 0.1 (number); parsed.options.out: string | undefined
 * parseArgs(specs, ['--lr', '-1']); // throws UsageError('--lr must be a number > 0, got -1')
 * ```
 */
export function parseArgs<const Specs extends OptionSpecs>(specs: Specs, argv: readonly string[]): ParseResult<Specs> {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return { help: true };
  const byFlag = new Map(Object.entries(specs).map(([key, spec]) => [optionFlag(key), { key, spec }]));
  const values = new Map<string, string | number | boolean>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(`unexpected argument '${arg}': options start with -- (see --help)`);
    }
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const declared = byFlag.get(flag);
    if (declared === undefined) {
      const negated = flag.startsWith('--no-') ? byFlag.get(`--${flag.slice(5)}`) : undefined;
      if (negated !== undefined && negated.spec.type === 'boolean' && inline === undefined) {
        values.set(negated.key, false);
        continue;
      }
      throw new UsageError(`unknown option ${flag}${suggestion(flag, specs)}`, flag);
    }
    const { key, spec } = declared;
    if (spec.type === 'boolean') {
      values.set(key, inline === undefined ? true : parseBoolean(flag, inline));
      continue;
    }
    let text = inline;
    if (text === undefined) {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`${flag} needs a value: ${flag} ${valuePlaceholder(spec)}`, flag);
      }
      text = next;
      index++;
    }
    values.set(key, parseValue(flag, spec, text));
  }
  const options: Record<string, string | number | boolean | undefined> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const given = values.get(key);
    if (given !== undefined) {
      options[key] = given;
    } else if (spec.type === 'boolean') {
      options[key] = spec.default ?? false;
    } else if (spec.default !== undefined) {
      options[key] = spec.default;
    } else if (spec.required === true) {
      const flag = optionFlag(key);
      throw new UsageError(`missing required option ${flag} ${valuePlaceholder(spec)}`, flag);
    } else {
      options[key] = undefined;
    }
  }
  // The loop above gave every declared key a value of its declared type (or undefined where allowed).
  return { help: false, options: options as ParsedOptions<Specs> };
}

/**
 * The usage text of a command: how to call it, what it does, and one line per option with its value,
 * range and default.
 *
 * @param command - how to invoke it, e.g. `npm run train --`.
 * @param description - a sentence or two on what the command does.
 * @param specs - the option declarations.
 *
 * @example
 * ```ts
 * formatUsage('npm run train --', 'Train LeNet-5 on Fashion-MNIST.', specs);
 * // Usage: npm run train -- [options]
 * //
 * // Train LeNet-5 on Fashion-MNIST.
 * //
 * // Options:
 * //   --backend cpu|gpu  where to compute (default: cpu)
 * //   --lr <number>      learning rate, > 0 (default: 0.9)
 * //   …
 * ```
 */
export function formatUsage(command: string, description: string, specs: OptionSpecs): string {
  const rows: Array<[string, string]> = Object.entries(specs).map(([key, spec]) => {
    const flag = optionFlag(key);
    const left = spec.type === 'boolean' ? flag : `${flag} ${valuePlaceholder(spec)}`;
    const notes: string[] = [];
    if (spec.type === 'number' || spec.type === 'int') {
      const range = rangeText(spec);
      if (range !== '') notes.push(range);
    }
    if (spec.type === 'boolean') {
      if (spec.default === true) notes.push(`default: on; ${optionFlag(key).replace('--', '--no-')} turns it off`);
    } else if (spec.default !== undefined) {
      notes.push(`default: ${spec.default}`);
    } else if (spec.required === true) {
      notes.push('required');
    }
    return [left, notes.length === 0 ? spec.help : `${spec.help} (${notes.join(', ')})`];
  });
  rows.push(['--help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
  return [`Usage: ${command} [options]`, '', description, '', 'Options:', ...lines, ''].join('\n');
}
