/**
 * The TypeDoc plugin of the LeNet.ts site: renders `$…$` and `$$…$$` in guides and doc comments
 * with KaTeX at build time, and ships KaTeX's stylesheet and fonts with the site.
 *
 * Maths is swapped for placeholder tokens before markdown-it sees it (so `_`, `*` and `\\` in TeX
 * are not read as markdown), then each token is replaced by KaTeX's HTML after markdown-it ran.
 * A formula KaTeX cannot parse is a build error naming the formula and the page.
 * @module
 */
import { JSX, MarkdownEvent, RendererEvent, type Application } from 'typedoc';
import { findMath, replaceMath } from './math.js';
import { renderTex } from './render-katex.js';
import { copyKatexAssets, KATEX_CSS_PATH } from './katex-assets.js';

/** Runs before TypeDoc's markdown-it listener (priority 0) ... */
const BEFORE_MARKDOWN = 100;
/** ... and this one after it. */
const AFTER_MARKDOWN = -100;

/** TypeDoc calls this when it loads the plugin. */
export function load(app: Application): void {
  const rendered = new Map<string, { html: string; display: boolean }>();
  let counter = 0;

  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      const text = event.parsedText;
      const spans = findMath(text);
      if (spans.length === 0) return;
      event.parsedText = replaceMath(text, spans, (span) => {
        const token = `KATEXMATH${counter++}X`;
        try {
          rendered.set(token, { html: renderTex(span.tex, span.display), display: span.display });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          app.logger.error(`${reason} (in ${event.page.url})`);
          rendered.set(token, { html: `<code>${escapeHtml(span.tex)}</code>`, display: span.display });
        }
        if (!span.display) return token;
        // A display formula is a block of its own, indented as the line it sits on so that inside a
        // list item it stays in the item (unindented, it would end the list).
        const indent = blockIndent(text, span.start);
        return `\n\n${indent}${token}\n\n${indent}`;
      });
    },
    BEFORE_MARKDOWN,
  );

  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      event.parsedText = event.parsedText.replace(
        /(<p>)?(KATEXMATH\d+X)(<\/p>)?/g,
        (whole, open: string | undefined, token: string, close: string | undefined) => {
          const math = rendered.get(token);
          if (math === undefined) return whole;
          rendered.delete(token);
          // A display formula stands alone in its paragraph: drop the <p> so the block is not nested in it.
          const alone = math.display && open !== undefined && close !== undefined;
          return alone ? math.html : `${open ?? ''}${math.html}${close ?? ''}`;
        },
      );
      // `[text](playground:probe)` in a guide links to a view of the Playground, which is not a
      // TypeDoc page: made relative to the page here, after TypeDoc checked the guide's own links.
      const toRoot = '../'.repeat(event.page.url.split('/').length - 1);
      event.parsedText = event.parsedText.replace(
        /href="playground:([a-z]*)"/g,
        (_, view: string) => `href="${toRoot}playground/index.html${view === '' ? '' : `#${view}`}"`,
      );
    },
    AFTER_MARKDOWN,
  );

  app.renderer.hooks.on('head.end', (context) =>
    JSX.createElement(
      JSX.Fragment,
      null,
      JSX.createElement('link', { rel: 'stylesheet', href: context.relativeURL(KATEX_CSS_PATH) }),
      // A wide display formula or table scrolls inside the text column instead of squeezing or spilling.
      JSX.createElement(
        'style',
        null,
        '.katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2em 0; } ' +
          '.col-content table { display: block; overflow-x: auto; max-width: 100%; }',
      ),
    ),
  );

  app.renderer.on(RendererEvent.END, (event) => copyKatexAssets(event.outputDirectory));
}

/**
 * The indentation a block needs to continue the markdown line that holds `position`: the line's
 * leading spaces, plus the width of a list marker (`3. `, `- `) when the line starts an item.
 */
export function blockIndent(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  const line = text.slice(lineStart, position);
  const marker = /^([ \t]*)((\d+[.)]|[-*+])[ \t]+)/.exec(line);
  if (marker !== null) return ' '.repeat(marker[1].length + marker[2].length);
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
