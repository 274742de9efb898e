/**
 * The commands' option parsing, on `commander` (its typed variant, `@commander-js/extra-typings`).
 * A command declares its options once with the helpers below (type, range, default and help text);
 * {@link parseCommandLine} gives the typed values, and any mistake on the command line is a
 * {@link UsageError} naming the option, which the commands print with a pointer to `--help` and exit 2.
 *
 * What this layer adds to commander, so that the commands behave as they always have:
 * - numbers are decimal only (`--seed 0x10` is refused, not read as 16) and checked against a range;
 * - a value may not be empty or look like an option (`--out --resume` says `--out` needs a value);
 * - every flag also takes `--no-flag`, and `--flag=true` / `--flag=false`;
 * - `--help` or `-h` anywhere prints the help, even after a mistake;
 * - the help shows each option's range and default in one note: `--epochs <int>  … (≥ 1, default: 10)`.
 *
 * @example
 * ```ts
 * const command = newCommand('npm run summary --', 'Print a model.')
 *   .addOption(choiceOption('--model <name>', MODEL_NAMES, 'which network').default('lenet5'))
 *   .addOption(intOption('--batch <int>', 'the batch size', { min: 1 }).default(1));
 * const parsed = parseCommandLine(command, ['--batch', '4']);
 * if (parsed !== 'help') parsed.batch; // 4, a number
 * parseCommandLine(command, ['--batch', '0']); // throws UsageError('--batch must be an integer ≥ 1, got 0')
 * ```
 * @module
 */
import { Command, CommanderError, Option, type OptionValues } from '@commander-js/extra-typings';
import { println } from './cli-io.js';
import type { ProgressStream } from './progress-bar.js';
import { UsageError } from './usage-error.js';

/** Bounds of a numeric option, all inclusive except `greaterThan`. */
export interface NumberRange {
  /** Smallest allowed value. */
  readonly min?: number;
  /** Largest allowed value. */
  readonly max?: number;
  /** The value must be strictly greater than this (a learning rate > 0). */
  readonly greaterThan?: number;
}

/** The range notes of the numeric options, for the help text (`≥ 1 and ≤ 100`). */
const RANGE_NOTES = new WeakMap<object, string>();

/** `--batch-size <int>` → `--batch-size`. */
function longFlag(flags: string): string {
  return flags.split(/[ ,]/).find((part) => part.startsWith('--')) ?? flags;
}

/** `--batch-size <int>` → `<int>`: the placeholder in messages. */
function placeholder(flags: string): string {
  return flags.slice(longFlag(flags).length).trim();
}

/** The range as text, e.g. `> 0` or `≥ 1 and ≤ 100`; '' when unbounded. */
function rangeText(range: NumberRange): string {
  const parts: string[] = [];
  if (range.greaterThan !== undefined) parts.push(`> ${range.greaterThan}`);
  if (range.min !== undefined) parts.push(`≥ ${range.min}`);
  if (range.max !== undefined) parts.push(`≤ ${range.max}`);
  return parts.join(' and ');
}

/** Refuses a missing value: an empty one, or the next option taken as the value (`--out --resume`). */
function checkValueGiven(flags: string, text: string): void {
  if (text.startsWith('--'))
    throw new UsageError(`${longFlag(flags)} needs a value: ${longFlag(flags)} ${placeholder(flags)}`, longFlag(flags));
}

/**
 * A decimal number as people write them: `42`, `-0.5`, `.9`, `1e-3`. Not JavaScript's other forms
 * (`0x10`, `0b11`, `0o17`, `Infinity`, surrounding spaces), which `Number()` would take: `--seed 0x10`
 * must not quietly mean 16.
 */
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads `text` as a number (`int`: a safe integer) within `range`, or throws a UsageError saying what was expected. */
function parseNumber(flags: string, kind: 'number' | 'int', range: NumberRange, text: string): number {
  checkValueGiven(flags, text);
  const flag = longFlag(flags);
  const noun = kind === 'int' ? 'an integer' : 'a number';
  const bounds = rangeText(range);
  const expected = bounds === '' ? noun : `${noun} ${bounds}`;
  const value = DECIMAL_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || (kind === 'int' && !Number.isSafeInteger(value))) {
    const radix = /^[+-]?0[xob]/i.test(text) ? ' written in decimal' : '';
    throw new UsageError(`${flag} expects ${expected}${radix}, got '${text}'`, flag);
  }
  const inRange =
    (range.greaterThan === undefined || value > range.greaterThan) &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max);
  if (!inRange) throw new UsageError(`${flag} must be ${expected}, got ${text}`, flag);
  return value;
}

function numericOption<const Flags extends string>(flags: Flags, help: string, kind: 'number' | 'int', range: NumberRange) {
  const option = new Option(flags, help).argParser((text: string): number => parseNumber(flags, kind, range, text));
  const note = rangeText(range);
  if (note !== '') RANGE_NOTES.set(option, note);
  return option;
}

/**
 * An option whose value is any finite decimal number in `range`.
 * @example numberOption('--lr <number>', 'learning rate', { greaterThan: 0 }).default(0.9)
 */
export function numberOption<const Flags extends string>(flags: Flags, help: string, range: NumberRange = {}) {
  return numericOption(flags, help, 'number', range);
}

/**
 * An option whose value is a safe integer in `range`, written in decimal.
 * @example intOption('--epochs <int>', 'passes over the training set', { min: 1 }).default(10)
 */
export function intOption<const Flags extends string>(flags: Flags, help: string, range: NumberRange = {}) {
  return numericOption(flags, help, 'int', range);
}

/**
 * An option whose value is any non-empty text (a path, a name).
 * @example stringOption('--out <dir>', 'run directory')
 */
export function stringOption<const Flags extends string>(flags: Flags, help: string) {
  return new Option(flags, help).argParser((text: string): string => {
    checkValueGiven(flags, text);
    if (text === '') throw new UsageError(`${longFlag(flags)} expects ${placeholder(flags)}, got an empty value`, longFlag(flags));
    return text;
  });
}

/**
 * An option whose value is one of `choices`; the help shows them as `--backend cpu|gpu`.
 * @example choiceOption('--backend <name>', ['cpu', 'gpu'], 'where to compute').default('gpu')
 */
export function choiceOption<const Flags extends string, const Choice extends string>(
  flags: Flags,
  choices: readonly Choice[],
  help: string,
) {
  const option = new Option(flags, help).argParser((text: string): Choice => {
    checkValueGiven(flags, text);
    const chosen = choices.find((choice) => choice === text);
    if (chosen === undefined)
      throw new UsageError(`${longFlag(flags)} must be one of ${choices.join(', ')}; got '${text}'`, longFlag(flags));
    return chosen;
  });
  option.argChoices = [...choices];
  return option;
}

/**
 * A flag: false unless given (`--no-flag` is accepted too). For a flag that is on by default, add
 * `.default(true)`: the help then says `--no-flag` turns it off.
 * @example flagOption('--resume', 'continue the run in --out')
 */
export function flagOption<const Flags extends string>(flags: Flags, help: string) {
  return new Option(flags, help).default(false);
}

/** Whether `option` is a flag (takes no value). */
function isFlag(option: Option): boolean {
  return !option.required && !option.optional;
}

/** The help text of one option: its description, then its range and default in one note. */
function describeOption(option: Option): string {
  const notes: string[] = [];
  const range = RANGE_NOTES.get(option);
  if (range !== undefined) notes.push(range);
  const fallback: unknown = option.defaultValue;
  if (isFlag(option)) {
    if (fallback === true) notes.push(`default: on; ${(option.long ?? '').replace(/^--/, '--no-')} turns it off`);
  } else if (fallback !== undefined) {
    notes.push(`default: ${String(fallback)}`);
  } else if (option.mandatory) {
    notes.push('required');
  }
  return notes.length === 0 ? option.description : `${option.description} (${notes.join(', ')})`;
}

/** The left column of the help: `--epochs <int>`, or the choices for a choice option (`--backend cpu|gpu`). */
function optionTerm(option: Option): string {
  const choices = option.argChoices;
  return choices === undefined ? option.flags : `${option.long ?? option.flags} ${choices.join('|')}`;
}

/**
 * A command that reports its mistakes as {@link UsageError}s instead of printing and exiting, and whose
 * help reads `Usage: <usage> [options]`, the description, then one line per option.
 *
 * @param usage - how it is invoked, e.g. `npm run train --`.
 * @param description - what it does, one paragraph (not wrapped).
 */
export function newCommand(usage: string, description: string): Command {
  return new Command(usage)
    .description(description)
    .helpOption('--help', 'show this help') // -h is answered too, by parseCommandLine
    .configureHelp({ helpWidth: Number.MAX_SAFE_INTEGER, optionTerm, optionDescription: describeOption })
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .allowExcessArguments()
    .exitOverride();
}

/**
 * Rewrites `--flag=true` to `--flag` and `--flag=false` to `--no-flag` for the command's flags.
 * @throws UsageError for any other value of a flag.
 */
function spellFlagValues(flags: readonly Option[], argv: readonly string[]): string[] {
  const names = new Set(flags.filter((option) => isFlag(option) && !option.negate).map((option) => option.long));
  return argv.map((arg) => {
    const equals = arg.indexOf('=');
    const flag = arg.slice(0, equals);
    if (equals === -1 || !names.has(flag)) return arg;
    const value = arg.slice(equals + 1);
    if (value === 'true') return flag;
    if (value === 'false') return flag.replace(/^--/, '--no-');
    throw new UsageError(`${flag} is a flag: give it alone, or as ${flag}=true / ${flag}=false; got '${value}'`, flag);
  });
}

/** Gives every flag a hidden `--no-flag` (commander adds one only when it is declared). */
function addNegations(command: Command<unknown[], OptionValues>): void {
  const declared = new Set(command.options.map((option) => option.long));
  for (const option of [...command.options]) {
    const negation = (option.long ?? '').replace(/^--/, '--no-');
    if (isFlag(option) && !option.negate && !declared.has(negation)) command.addOption(new Option(negation).hideHelp());
  }
}

/** commander's message without its `error: ` prefix, on one line. */
function usageMessage(error: CommanderError): string {
  return error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
}

/**
 * Parses `argv` (the arguments after the script) with `command`.
 *
 * @returns `'help'` when `--help` or `-h` appears anywhere; otherwise the typed option values, with
 *   defaults filled in.
 * @throws {@link UsageError} for an unknown option (with commander's suggestion), a missing value, a
 *   value that is not a number / integer / allowed choice, a value out of range, a stray argument, or a
 *   missing required option.
 */
export function parseCommandLine<Args extends unknown[], Opts extends OptionValues>(
  command: Command<Args, Opts>,
  argv: readonly string[],
): Opts | 'help' {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return 'help';
  addNegations(command);
  try {
    command.parse(spellFlagValues(command.options, argv), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(usageMessage(error));
    throw error;
  }
  const stray = command.args[command.registeredArguments.length];
  if (stray !== undefined) throw new UsageError(`unexpected argument '${stray}': options start with -- (see --help)`);
  return command.opts();
}

/**
 * {@link parseCommandLine} for a command's entry point: prints the usage to `out` and returns null
 * for `--help`, so the command returns exit code 0 at once.
 * @example const options = parseOrPrintHelp(trainCommandLine(), argv, io.stdout); if (options === null) return EXIT.ok;
 */
export function parseOrPrintHelp<Args extends unknown[], Opts extends OptionValues>(
  command: Command<Args, Opts>,
  argv: readonly string[],
  out: ProgressStream,
): Opts | null {
  const options = parseCommandLine(command, argv);
  if (options !== 'help') return options;
  println(out, command.helpInformation());
  return null;
}
