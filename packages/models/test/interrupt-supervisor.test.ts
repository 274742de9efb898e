/**
 * `superviseWorker` (the `train` executable's supervisor): the child gets the arguments and the
 * environment, and its exit code is passed on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { superviseWorker } from '../src/cli/interrupt-supervisor.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env.LENET_TEST_VARIABLE;
});

describe('superviseWorker', () => {
  it('runs the child with the arguments and the environment, and returns its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lenet-supervisor-'));
    made.push(dir);
    const script = join(dir, 'child.mjs');
    const report = join(dir, 'env.json');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
       writeFileSync(process.argv[2], JSON.stringify({ variable: process.env.LENET_TEST_VARIABLE }));
       process.exit(3);`,
    );
    process.env.LENET_TEST_VARIABLE = 'from the environment';
    const code = await superviseWorker({
      script,
      args: [report],
      stoppingMessage: 'stopping',
      terminatingMessage: 'terminating',
      quittingMessage: 'quitting',
      interruptedCode: 130,
    });
    expect(code).toBe(3);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ variable: 'from the environment' });
  });
});
