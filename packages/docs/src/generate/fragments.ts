/**
 * The generated parts of the guides: each section generator returns named markdown fragments that
 * replace `<!-- gen:NAME -->` markers in the templates.
 * @module
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Markdown fragments by marker name. */
export type Fragments = Record<string, string>;

const MARKER = /<!--\s*gen:([a-z0-9-]+)\s*-->/g;

/**
 * Fills every template of `templatesDir` from `fragments` into `outDir`. A marker without a
 * fragment, or a fragment no template uses, is an error: the site never shows a hole or silently
 * drops a generated part.
 */
export function fillTemplates(templatesDir: string, outDir: string, fragments: Fragments): string[] {
  mkdirSync(outDir, { recursive: true });
  const used = new Set<string>();
  const missing: string[] = [];
  const written: string[] = [];
  for (const file of readdirSync(templatesDir)
    .filter((name) => name.endsWith('.md'))
    .sort()) {
    const template = readFileSync(join(templatesDir, file), 'utf8');
    const filled = template.replace(MARKER, (_marker, name: string) => {
      const fragment = fragments[name];
      if (fragment === undefined) {
        missing.push(`${file}: <!-- gen:${name} -->`);
        return '';
      }
      used.add(name);
      return fragment.trim();
    });
    writeFileSync(join(outDir, file), filled);
    written.push(file);
  }
  if (missing.length > 0) {
    throw new Error(`docs generate: no generator produced these markers:\n  ${missing.join('\n  ')}`);
  }
  const unused = Object.keys(fragments).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new Error(`docs generate: fragments no template uses (add <!-- gen:NAME --> or drop them): ${unused.join(', ')}`);
  }
  return written;
}
