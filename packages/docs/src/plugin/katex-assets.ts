/**
 * KaTeX's stylesheet and fonts, copied into the site so that the rendered maths is styled offline.
 * @module
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the stylesheet lives inside the site, relative to its root. */
export const KATEX_CSS_PATH = 'assets/katex/katex.min.css';

/** Copies `katex.min.css` and its `fonts/` folder into `<siteDir>/assets/katex/`. */
export function copyKatexAssets(siteDir: string): void {
  const katexDist = join(dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
  const css = join(katexDist, 'katex.min.css');
  if (!existsSync(css)) throw new Error(`KaTeX assets: ${css} is missing; reinstall the katex package`);
  const target = join(siteDir, dirname(KATEX_CSS_PATH));
  mkdirSync(target, { recursive: true });
  cpSync(css, join(target, 'katex.min.css'));
  cpSync(join(katexDist, 'fonts'), join(target, 'fonts'), { recursive: true });
}
