/**
 * Splices the snippets of `kernel-this.ts` into a kernel's source before gpu.js parses it: each
 * statement `return this.name(a, b, …);` becomes the statements of snippet `name` for the argument
 * texts a, b, … and the kernel's constants (which choose the activation), and each declaration
 * `const [p, q, …] = this.name(a, …);` becomes statements that declare the locals p, q, ….
 * Done once per compiled kernel (`runtime/kernel-runner.ts`); the kernel viewer shows the result.
 * @module
 */
import type { FusedActivation } from '@lenet/core';
import { ACTIVATION_SNIPPETS, activationOfCode } from './activations.js';
import { fusedEpilogueSource } from './epilogue.js';
import { gradientEpilogueSource } from './gradient-epilogue.js';
import type { DeclaringSnippets, SplicedSnippets } from './kernel-this.js';
import { sgdUpdateSource } from './sgd-update.js';

/** What a kernel is to the splicer: a named function whose source text gpu.js parses. */
export interface KernelSourceFunction {
  /** The function's name, e.g. `conv2dKernel`. */
  readonly name: string;
  /** Its JavaScript source. */
  toString(): string;
}

type SnippetSource = (args: readonly string[], activation: (constant: string) => FusedActivation) => string;

/** Each snippet's source, from its argument texts and the activation a constant names. */
const SNIPPETS: { readonly [S in keyof SplicedSnippets]: SnippetSource } = {
  activate: ([z], activation) => ACTIVATION_SNIPPETS[activation('activation')].forward(localName(z)),
  activationGradient: ([dy, input], activation) => ACTIVATION_SNIPPETS[activation('activation')].gradient(localName(dy), localName(input)),
  fusedEpilogue: ([z, bias], activation) => fusedEpilogueSource(localName(z), bias, activation('activation')),
  gradientEpilogue: ([result, other, lr], activation) =>
    gradientEpilogueSource(localName(result), other, lr, activation('epilogueActivation')),
  sgdUpdate: ([w, lr, g]) => `return ${sgdUpdateSource(w, lr, g)};`,
};

/** A declaring snippet's source, from the names it declares and its argument texts. */
type DeclarationSource = (names: readonly string[], args: readonly string[]) => string;

/** Each declaring snippet's source. */
const DECLARATIONS: { readonly [S in keyof DeclaringSnippets]: DeclarationSource } = {
  unflatten: unflattenSource,
};

/** `return this.name(` (group 1), or `const [names] = this.name(` (groups 2 and 3). */
const MARKER = /return\s+this\.(\w+)\(|const\s*\[([\w$,\s]*)\]\s*=\s*this\.(\w+)\(/g;

/**
 * `kernel`'s source with every snippet spliced in for `constants`.
 * @throws Error naming the kernel for an unknown snippet, a wrong argument count, or a missing activation constant
 */
export function splicedKernelSource(kernel: KernelSourceFunction, constants: object): string {
  const source = kernel.toString();
  const activation = (constant: string): FusedActivation => {
    const code: unknown = Object.getOwnPropertyDescriptor(constants, constant)?.value;
    if (typeof code !== 'number') throw new Error(`${kernel.name}: its snippets need the constant ${constant}, an activation code`);
    return activationOfCode(code);
  };
  let spliced = '';
  let from = 0;
  for (const match of source.matchAll(MARKER)) {
    const { args, end } = readArguments(source, match.index + match[0].length);
    const statements = match[1] === undefined ? declarationSource(kernel, match, args) : returnSource(kernel, match[1], args, activation);
    const lineStart = source.lastIndexOf('\n', match.index) + 1;
    const indent = /^\s*/.exec(source.slice(lineStart, match.index))?.[0] ?? '';
    const stop = source[end] === ';' ? end + 1 : end;
    spliced += source.slice(from, match.index) + statements.split('\n').join(`\n${indent}`);
    from = stop;
  }
  return spliced + source.slice(from);
}

/** The statements of `return this.name(args)`. */
function returnSource(
  kernel: KernelSourceFunction,
  name: string,
  args: readonly string[],
  activation: (constant: string) => FusedActivation,
): string {
  if (!isSnippetName(name)) {
    throw new Error(`${kernel.name}: this.${name}(…) is not a snippet of kernel-this.ts (${Object.keys(SNIPPETS).join(', ')})`);
  }
  if (args.length !== ARITY[name]) {
    throw new Error(`${kernel.name}: this.${name} takes ${ARITY[name]} arguments, got ${args.length}`);
  }
  return SNIPPETS[name](args, activation);
}

/** The statements of `const [names] = this.name(args)`. */
function declarationSource(kernel: KernelSourceFunction, match: RegExpMatchArray, args: readonly string[]): string {
  const name = match[3];
  if (!isDeclarationName(name)) {
    throw new Error(
      `${kernel.name}: const […] = this.${name}(…) is not a declaring snippet of kernel-this.ts (${Object.keys(DECLARATIONS).join(', ')})`,
    );
  }
  const names = (match[2] ?? '').split(',').map((text) => localName(text.trim()));
  return DECLARATIONS[name](names, args);
}

/**
 * `const [a₀, a₁, …, a_k] = this.unflatten(i, d₁, …, d_k)`: the mixed-radix digits of the flat index i
 * for the extents d₁ … d_k, the last fastest (a₀ takes what is left), peeled from the right:
 * q = ⌊i / d_k⌋, a_k = i − q·d_k, and so on. ⌊(i + 0.5) / d⌋ keeps a float division in a shader
 * from landing just below a whole number. Each quotient is named after the digits it still holds
 * (for [n, c, x, y]: `ncx`, then `nc`, then n itself).
 */
function unflattenSource(names: readonly string[], [index, ...sizes]: readonly string[]): string {
  if (index === undefined || names.length !== sizes.length + 1 || sizes.length === 0) {
    throw new Error(`this.unflatten(index, d₁, …, d_k) declares k + 1 locals; got ${names.length} names and ${sizes.length} extents`);
  }
  const lines: string[] = [];
  let rest = localName(index);
  for (let digit = names.length - 1; digit >= 1; digit--) {
    const quotient = digit === 1 ? names[0] : names.slice(0, digit).join('');
    const size = sizes[digit - 1];
    lines.push(`const ${quotient} = Math.floor((${rest} + 0.5) / ${size});`, `const ${names[digit]} = ${rest} - ${quotient} * ${size};`);
    rest = quotient;
  }
  return lines.join('\n');
}

function isDeclarationName(name: string | undefined): name is keyof DeclaringSnippets {
  return name !== undefined && Object.hasOwn(DECLARATIONS, name);
}

function isSnippetName(name: string | undefined): name is keyof SplicedSnippets {
  return name !== undefined && Object.hasOwn(SNIPPETS, name);
}

/** How many arguments each snippet takes. */
const ARITY: { readonly [S in keyof SplicedSnippets]: number } = {
  activate: 1,
  activationGradient: 2,
  fusedEpilogue: 2,
  gradientEpilogue: 3,
  sgdUpdate: 3,
};

/** The comma-separated argument texts from `start` (just after the opening parenthesis) to the matching `)`. */
function readArguments(source: string, start: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let argumentStart = start;
  for (let at = start; at < source.length; at++) {
    const char = source[at];
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' && depth === 0) {
      args.push(source.slice(argumentStart, at).trim());
      return { args, end: at + 1 };
    } else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 0) {
      args.push(source.slice(argumentStart, at).trim());
      argumentStart = at + 1;
    }
  }
  throw new Error(`a snippet call that never closes: ${source.slice(start - 20, start + 40)}`);
}

/** A snippet argument that the snippet reads several times must be a local's name, not an expression. */
function localName(text: string | undefined): string {
  if (text === undefined || !/^[A-Za-z_$][\w$]*$/.test(text)) {
    throw new Error(`a snippet argument that is read several times must be a local variable's name, got "${text}"`);
  }
  return text;
}
