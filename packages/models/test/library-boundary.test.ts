/**
 * The library apart from its commands (issue 10, structure 3): the networks, layers, data sets,
 * train(), predict() and summary() never import the application (src/cli/, src/bench/), so the
 * public API (src/index.ts) carries no command-line helper.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as library from '../src/index.js';

const SOURCE = join(dirname(dirname(fileURLToPath(import.meta.url))), 'src');
const APPLICATION = ['cli', 'bench'];

/** Every .ts file under `dir`, relative to src/. */
function sourceFiles(dir = SOURCE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SOURCE, path)] : [];
  });
}

/** The src/-relative modules a file imports or re-exports with a relative specifier. */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(SOURCE, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'";]*?from\s+'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
  return specifiers.map((specifier) => relative(SOURCE, resolve(dirname(join(SOURCE, file)), specifier)));
}

const isApplication = (path: string): boolean => APPLICATION.includes(path.split(/[\\/]/)[0]);

describe('the library and the application', () => {
  it('no library module imports src/cli/ or src/bench/', () => {
    const library = sourceFiles().filter((file) => !isApplication(file));
    expect(library).toContain('index.ts');
    expect(library).toContain(join('training', 'train.ts'));
    const crossings = library.flatMap((file) =>
      relativeImports(file)
        .filter(isApplication)
        .map((target) => `${file} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('the check sees an application import where there is one', () => {
    expect(relativeImports(join('cli', 'train-command.ts')).filter(isApplication)).toContain(join('cli', 'command-line.js'));
  });

  it('the public API exports no command-line helper', () => {
    for (const name of [
      'ProgressBar',
      'formatBytes',
      'formatDuration',
      'EXIT',
      'UsageError',
      'runTrainCommand',
      'PROCESS_IO',
      'misclassifiedImage',
    ]) {
      expect(Object.keys(library), name).not.toContain(name);
    }
    expect(Object.keys(library)).toEqual(expect.arrayContaining(['train', 'predict', 'summary', 'lenet5', 'loadFashionMnist', 'openRun']));
  });
});
