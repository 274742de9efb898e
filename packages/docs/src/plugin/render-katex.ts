/**
 * Server-side KaTeX: TeX in, HTML (plus MathML for screen readers) out, at build time, so the site
 * needs no JavaScript to show its formulas.
 * @module
 */
import katex from 'katex';

/** Renders one formula; a TeX error is thrown with the formula in the message. */
export function renderTex(tex: string, display: boolean): string {
  try {
    return katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: 'ignore', output: 'htmlAndMathml' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`KaTeX cannot render ${display ? '$$' : '$'}${tex}${display ? '$$' : '$'}: ${reason}`);
  }
}
