/**
 * Finding the maths in a markdown text: `$$…$$` (display) and `$…$` (inline), outside code.
 *
 * The rules follow pandoc's `tex_math_dollars`: an inline `$` opens only when the next character is
 * not a space, closes only when the previous one is not a space and the next is not a digit (so
 * "costs $5 and $6" is text), and `\$` is a literal dollar. Fenced code blocks and inline code
 * spans are never scanned, so shell prompts and shader text keep their dollars.
 * @module
 */

/** One piece of maths found in a text: where it is and the TeX inside the dollars. */
export interface MathSpan {
  /** Offset of the first `$`. */
  readonly start: number;
  /** Offset just past the last `$`. */
  readonly end: number;
  /** The TeX between the delimiters, trimmed. */
  readonly tex: string;
  /** `$$…$$` is displayed on its own line; `$…$` runs inline. */
  readonly display: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w-]*)/;

/** The maths spans of a markdown text, in order, skipping fenced code and inline code spans. */
export function findMath(markdown: string): MathSpan[] {
  const spans: MathSpan[] = [];
  let i = 0;
  let fence: string | null = null;
  let mathFence: { start: number; body: number } | null = null;
  let lineStart = true;
  while (i < markdown.length) {
    if (lineStart) {
      const lineEnd = markdown.indexOf('\n', i);
      const line = markdown.slice(i, lineEnd === -1 ? markdown.length : lineEnd);
      const match = FENCE.exec(line);
      if (fence !== null) {
        const next = lineEnd === -1 ? markdown.length : lineEnd + 1;
        if (match !== null && match[1][0] === fence[0] && match[1].length >= fence.length && line.trim() === match[1].trim()) {
          fence = null;
          if (mathFence !== null) {
            spans.push({
              start: mathFence.start,
              end: lineEnd === -1 ? markdown.length : lineEnd,
              tex: markdown.slice(mathFence.body, i).trim(),
              display: true,
            });
            mathFence = null;
          }
        }
        i = next;
        continue;
      }
      if (match !== null) {
        fence = match[1];
        const next = lineEnd === -1 ? markdown.length : lineEnd + 1;
        mathFence = match[2] === 'math' ? { start: i, body: next } : null;
        i = next;
        continue;
      }
      lineStart = false;
    }
    const char = markdown[i];
    if (char === '\n') {
      lineStart = true;
      i++;
    } else if (char === '\\') {
      i += 2;
    } else if (char === '`') {
      i = skipCodeSpan(markdown, i);
    } else if (char === '$') {
      const span = markdown[i + 1] === '$' ? readDisplay(markdown, i) : readInline(markdown, i);
      if (span === null) {
        i += markdown[i + 1] === '$' ? 2 : 1;
      } else {
        spans.push(span);
        i = span.end;
      }
    } else {
      i++;
    }
  }
  return spans;
}

/** Past an inline code span opened by the backtick run at `start` (or just past the run if unclosed). */
function skipCodeSpan(text: string, start: number): number {
  let run = 0;
  while (text[start + run] === '`') run++;
  const ticks = '`'.repeat(run);
  let search = start + run;
  for (;;) {
    const close = text.indexOf(ticks, search);
    if (close === -1) return start + run;
    let closeRun = 0;
    while (text[close + closeRun] === '`') closeRun++;
    if (closeRun === run) return close + run;
    search = close + closeRun;
  }
}

function readDisplay(text: string, start: number): MathSpan | null {
  const close = text.indexOf('$$', start + 2);
  if (close === -1) return null;
  const tex = text.slice(start + 2, close).trim();
  if (tex.length === 0) return null;
  return { start, end: close + 2, tex, display: true };
}

function readInline(text: string, start: number): MathSpan | null {
  const first = text[start + 1];
  if (first === undefined || /\s/.test(first)) return null;
  for (let j = start + 1; j < text.length; j++) {
    const char = text[j];
    if (char === '\\') {
      j++;
    } else if (char === '\n' && text[j + 1] === '\n') {
      return null; // maths never spans a paragraph break
    } else if (char === '$') {
      if (/\s/.test(text[j - 1]) || /[0-9]/.test(text[j + 1] ?? '')) continue;
      return { start, end: j + 1, tex: text.slice(start + 1, j), display: false };
    }
  }
  return null;
}

/** `text` with every span replaced by what `replace` returns for it. */
export function replaceMath(text: string, spans: readonly MathSpan[], replace: (span: MathSpan) => string): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + replace(span);
    at = span.end;
  }
  return out + text.slice(at);
}
