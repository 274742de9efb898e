/**
 * `superviseWorker` (the `train` executable's supervisor): the child's exit code is passed on, and
 * the environment defaults it adds (the train command's glibc malloc setting) reach the child
 * unless the environment already sets them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { superviseWorker } from '../src/cli/interrupt-supervisor.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env.LENET_TEST_ALREADY_SET;
});

describe('superviseWorker', () => {
  it('passes the environment defaults to the child unless set, and returns its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lenet-supervisor-'));
    made.push(dir);
    const script = join(dir, 'child.mjs');
    const report = join(dir, 'env.json');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
       writeFileSync(process.argv[2], JSON.stringify({ added: process.env.LENET_TEST_DEFAULT, kept: process.env.LENET_TEST_ALREADY_SET }));
       process.exit(3);`,
    );
    process.env.LENET_TEST_ALREADY_SET = 'from the environment';
    const code = await superviseWorker({
      script,
      args: [report],
      stoppingMessage: 'stopping',
      terminatingMessage: 'terminating',
      quittingMessage: 'quitting',
      interruptedCode: 130,
      environmentDefaults: { LENET_TEST_DEFAULT: 'the default', LENET_TEST_ALREADY_SET: 'the default' },
    });
    expect(code).toBe(3);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ added: 'the default', kept: 'from the environment' });
  });
});
