import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseViewerArguments, ViewerUsageError } from '../src/cli/viewer-arguments.js';
import { kernelNames } from '../src/kernel-table.js';

const KERNELS = kernelNames();
const VIEWER = join(dirname(dirname(fileURLToPath(import.meta.url))), 'dist/cli/kernels.js');

describe('the kernel viewer’s command line (issue 11)', () => {
  it('takes --help, one known kernel and a mode', () => {
    expect(parseViewerArguments(['--help'], KERNELS).help).toBe(true);
    expect(parseViewerArguments([KERNELS[0], '--mode', 'cpu'], KERNELS)).toEqual({
      kernel: KERNELS[0],
      mode: 'cpu',
      list: false,
      help: false,
    });
  });

  it('refuses two kernel names and an unknown kernel, before any mode starts', () => {
    expect(() => parseViewerArguments([KERNELS[0], KERNELS[1]], KERNELS)).toThrow(
      new RegExp(`one kernel at a time: got ${KERNELS[0]} and ${KERNELS[1]}`),
    );
    expect(() => parseViewerArguments(['conv9d'], KERNELS)).toThrow(ViewerUsageError);
    expect(() => parseViewerArguments(['conv9d'], KERNELS)).toThrow(/unknown kernel conv9d; kernels --list names them/);
  });

  it('the built viewer: --help exits 0; usage errors exit 2 at once, without starting WebGPU', () => {
    const help = spawnSync(process.execPath, [VIEWER, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: kernels <kernel>');
    for (const argv of [['conv9d'], [KERNELS[0], KERNELS[1]], ['--bogus']]) {
      const started = Date.now();
      const bad = spawnSync(process.execPath, [VIEWER, ...argv], { encoding: 'utf8' });
      expect(bad.status, argv.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/^kernels: /);
      expect(bad.stderr).not.toMatch(/Dawn|adapter/i);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });
});
