/**
 * No import circle inside backend-gpu: `GpuBackend` imports the kernel table, the layouts and the
 * kernels, and none of them imports back (type-only imports count: a circle through a type is
 * still two files that cannot be read apart). Checked with dpdm's own parser; the second test shows
 * that the same check finds a circle made of type-only imports, as the kernel table and
 * `GpuBackend` once had.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The import circles among the files reached from `entry`, other packages left out (core's own circle is core's). */
async function circlesFrom(entry: string, cwd: string): Promise<string[][]> {
  const tree = await parseDependencyTree(entry, { cwd, context: cwd, transform: false, exclude: /node_modules|[\\/]core[\\/]/ });
  return parseCircular(tree);
}

describe('imports inside backend-gpu', () => {
  it('form no circle, type-only imports included', async () => {
    expect(await circlesFrom('./src/index.ts', PACKAGE_ROOT)).toEqual([]);
  }, 60_000);

  it('the check finds a circle of type-only imports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lenet-circle-'));
    try {
      writeFileSync(join(dir, 'backend.ts'), "import { TABLE } from './table';\nexport class Backend { table = TABLE; }\n");
      writeFileSync(join(dir, 'table.ts'), "import type { Backend } from './backend';\nexport const TABLE = { run: (b: Backend) => b };\n");
      expect(await circlesFrom('./backend.ts', dir)).toEqual([['backend.ts', 'table.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
