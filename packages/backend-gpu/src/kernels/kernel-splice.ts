/**
 * Splices the snippets of `kernel-this.ts` into a kernel's source before gpu.js parses it: each
 * statement `return this.name(a, b, …);` becomes the statements of snippet `name` for the argument
 * texts a, b, … and the kernel's constants (which choose the activation). Done once per compiled
 * kernel (`runtime/kernel-runner.ts`); the kernel viewer shows the result.
 * @module
 */
import type { FusedActivation } from '@lenet/core';
import { ACTIVATION_SNIPPETS, activationOfCode } from './activations.js';
import { fusedEpilogueSource } from './epilogue.js';
import { gradientEpilogueSource } from './gradient-epilogue.js';
import type { SplicedSnippets } from './kernel-this.js';
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

const MARKER = /return\s+this\.(\w+)\(/g;

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
    const name = match[1];
    if (!isSnippetName(name)) {
      throw new Error(`${kernel.name}: this.${name}(…) is not a snippet of kernel-this.ts (${Object.keys(SNIPPETS).join(', ')})`);
    }
    const { args, end } = readArguments(source, match.index + match[0].length);
    if (args.length !== ARITY[name]) {
      throw new Error(`${kernel.name}: this.${name} takes ${ARITY[name]} arguments, got ${args.length}`);
    }
    const lineStart = source.lastIndexOf('\n', match.index) + 1;
    const indent = /^\s*/.exec(source.slice(lineStart, match.index))?.[0] ?? '';
    const stop = source[end] === ';' ? end + 1 : end;
    spliced += source.slice(from, match.index) + SNIPPETS[name](args, activation).split('\n').join(`\n${indent}`);
    from = stop;
  }
  return spliced + source.slice(from);
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
