/** The maths finder of the KaTeX plugin: what counts as maths and what must be left alone. */
import { describe, expect, it } from 'vitest';
import { findMath, replaceMath } from '../src/plugin/math.js';

const texts = (markdown: string): Array<[string, boolean]> => findMath(markdown).map((span) => [span.tex, span.display]);

describe('findMath', () => {
  it('finds inline and display maths, display spanning lines', () => {
    expect(texts('a $x_1$ b\n\n$$\nz = \\sum_u a_u\n$$\n')).toEqual([
      ['x_1', false],
      ['z = \\sum_u a_u', true],
    ]);
  });

  it('leaves prices, escaped dollars and spaced dollars as text', () => {
    expect(texts('costs $5 and $6, \\$x\\$ and $ y $')).toEqual([]);
  });

  it('skips inline code and fenced code blocks', () => {
    expect(texts('run `echo $HOME` then ``a $b$ c`` and $k$\n```sh\n$ echo $x$\n```\n~~~\n$$a$$\n~~~\nend $m$')).toEqual([
      ['k', false],
      ['m', false],
    ]);
  });

  it('does not run inline maths across a paragraph break', () => {
    expect(texts('$a\n\nb$')).toEqual([]);
  });

  it('keeps an escaped dollar inside maths', () => {
    expect(texts('$\\$5 + x$')).toEqual([['\\$5 + x', false]]);
  });

  it('replaces each span in place', () => {
    const text = 'a $x$ b $$y$$ c';
    expect(replaceMath(text, findMath(text), (span) => (span.display ? '[D]' : '[I]'))).toBe('a [I] b [D] c');
  });

  it('reads a fenced block whose language is math as display maths', () => {
    const text = 'before\n```math\nz = \\sum_u a_u\n```\nafter $x$';
    expect(texts(text)).toEqual([
      ['z = \\sum_u a_u', true],
      ['x', false],
    ]);
    expect(replaceMath(text, findMath(text), (span) => (span.display ? '[D]' : '[I]'))).toBe('before\n[D]\nafter [I]');
  });
});

describe("blockIndent: where a display formula goes, it keeps the line's list item", () => {
  it("takes the leading spaces of a continuation line, and a list marker's width on the line that starts an item", async () => {
    const { blockIndent } = await import('../src/plugin/index.js');
    const text = '1. Step one\n3. For each batch the loss\n   $$\n   L = 1\n   $$\nplain $$x$$';
    expect(blockIndent(text, text.indexOf('$$'))).toBe('   ');
    expect(blockIndent(text, text.indexOf('loss'))).toBe('   ');
    expect(blockIndent('- item $$a$$', 7)).toBe('  ');
    expect(blockIndent(text, text.lastIndexOf('$$x'))).toBe('');
  });
});
