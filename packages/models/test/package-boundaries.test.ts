/**
 * Each package README's first paragraph says what the package owns and what it must not import;
 * this test holds the source to it. Every import specifier of every `src/` file is read (static
 * `from '…'`, `import('…')`, `require('…')`), and none may name a package the README forbids, nor
 * reach into another package's files by a relative path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

/** What each README forbids: the names as its first paragraph writes them, and the specifier prefixes they stand for. */
const FORBIDDEN: Readonly<Record<string, ReadonlyArray<{ readonly written: string; readonly prefix: string }>>> = {
  core: [
    { written: '`@lenet/*`', prefix: '@lenet/' },
    { written: '`gpu.js`', prefix: 'gpu.js' },
    { written: '`node:*`', prefix: 'node:' },
  ],
  'backend-cpu': [
    { written: '`@lenet/backend-gpu`', prefix: '@lenet/backend-gpu' },
    { written: '`@lenet/models`', prefix: '@lenet/models' },
    { written: '`@lenet/docs`', prefix: '@lenet/docs' },
    { written: '`gpu.js`', prefix: 'gpu.js' },
    { written: '`node:*`', prefix: 'node:' },
  ],
  'backend-gpu': [
    { written: '`@lenet/backend-cpu`', prefix: '@lenet/backend-cpu' },
    { written: '`@lenet/models`', prefix: '@lenet/models' },
    { written: '`@lenet/docs`', prefix: '@lenet/docs' },
  ],
  models: [{ written: '`@lenet/docs`', prefix: '@lenet/docs' }],
  docs: [],
};

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The import specifiers of a source file, its comments (doc examples) left out. */
function specifiers(text: string): string[] {
  const source = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const pattern of [
    /\bfrom\s+'([^']+)'/g,
    /\bimport\s*\(\s*'([^']+)'\s*\)/g,
    /\brequire\s*\(\s*'([^']+)'\s*\)/g,
    /^import\s+'([^']+)'/gm,
  ]) {
    for (const match of source.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

const matches = (specifier: string, prefix: string): boolean =>
  prefix.endsWith('/') || prefix.endsWith(':') ? specifier.startsWith(prefix) : specifier === prefix || specifier.startsWith(`${prefix}/`);

describe.each(Object.keys(FORBIDDEN))('@lenet/%s', (name) => {
  const root = join(PACKAGES, name);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const firstParagraph = readme.split(/\n\s*\n/).find((block) => !block.startsWith('#')) ?? '';
  const joined = firstParagraph.replace(/\s+/g, ' ');

  it("README's first paragraph says what it owns and what it must not import", () => {
    expect(joined).toContain(`\`@lenet/${name}\` owns`);
    expect(joined).toContain('must not import');
    for (const { written } of FORBIDDEN[name]) expect(joined, written).toContain(written);
  });

  it('src imports nothing the README forbids, and no other package by path', () => {
    const violations: string[] = [];
    let scanned = 0;
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        scanned += 1;
        const where = `${relative(PACKAGES, file)}: '${specifier}'`;
        if (FORBIDDEN[name].some(({ prefix }) => matches(specifier, prefix))) violations.push(where);
        if (specifier.startsWith('.') && !resolve(dirname(file), specifier).startsWith(`${root}/`))
          violations.push(`${where} (outside the package)`);
      }
    }
    expect(scanned, 'import specifiers read').toBeGreaterThan(20);
    expect(violations).toEqual([]);
  });
});
