/**
 * The layout in the root README matches the tree: every folder its tree names holds files of the
 * repository, and every folder of the repository's upper levels (the root, `scripts/`, each
 * package, each package's `src/`) is in the tree. The repository's files are the ones git tracks,
 * so build outputs, empty folders and a user's own output (`npm run train -- --out run` makes
 * `run/` at the root) do not count.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** Every folder that holds a file git tracks, as a path ending in `/`. */
function repositoryFolders(): Set<string> {
  const listing = spawnSync('git', ['ls-files', '--cached', '--deduplicate'], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listing.status !== 0) throw new Error(`git ls-files failed: ${listing.stderr}`);
  const folders = new Set<string>();
  for (const file of listing.stdout.split('\n')) {
    const parts = file.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) folders.add(`${parts.slice(0, depth).join('/')}/`);
  }
  return folders;
}

/** The folders the README's layout tree names, as paths from the repository root ending in `/`. */
function layoutFolders(): string[] {
  const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Layout'));
  const tree = /```text\n([\s\S]*?)```/.exec(section)?.[1];
  if (tree === undefined) throw new Error('the root README has no ```text tree under ## Layout');
  const stack: string[] = [];
  const folders: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^( *)(\S+\/)(\s|$)/.exec(line);
    if (match === null) continue;
    const depth = match[1].length / 2;
    if (!Number.isInteger(depth) || depth > stack.length) throw new Error(`layout line indented oddly: ${line}`);
    stack.length = depth;
    stack.push(match[2]);
    folders.push(stack.join(''));
  }
  return folders;
}

const FOLDERS = repositoryFolders();

/** The folders directly inside `path` ('' for the root). */
function subfolders(path: string): string[] {
  return [...FOLDERS].filter((folder) => folder.startsWith(path) && folder.slice(path.length).split('/').length === 2);
}

describe('the root README layout', () => {
  const listed = layoutFolders();

  it('names only folders that exist', () => {
    expect(listed.length).toBeGreaterThan(30);
    for (const folder of listed) expect(FOLDERS.has(folder), folder).toBe(true);
  });

  it('names every folder of the root, scripts/, each package and each package source', () => {
    const packages = subfolders('packages/');
    const expected = [
      ...subfolders(''),
      ...subfolders('scripts/'),
      ...packages,
      ...packages.flatMap((folder) => subfolders(folder)),
      ...packages.flatMap((folder) => subfolders(`${folder}src/`)),
    ];
    const missing = expected.filter((folder) => !listed.includes(folder));
    expect(missing).toEqual([]);
  });

  it("does not count a folder of the user's that git does not track", () => {
    const own = `run-of-the-user-${process.pid}`;
    mkdirSync(join(REPOSITORY, own, 'run-1'), { recursive: true });
    try {
      writeFileSync(join(REPOSITORY, own, 'run-1', 'metrics.json'), '{}');
      expect(repositoryFolders().has(`${own}/`)).toBe(false);
      expect(repositoryFolders().has('packages/models/src/')).toBe(true);
    } finally {
      rmSync(join(REPOSITORY, own), { recursive: true, force: true });
    }
  });
});
