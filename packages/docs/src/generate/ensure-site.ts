/**
 * Run before the site test: builds the site (`npm run site`) when `site/index.html` is missing, so
 * `npm test -w @lenet/docs` works on a fresh clone. A site that exists is left as it is; turbo's
 * `site` task keeps it fresh.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
if (!existsSync(`${packageDir}site/index.html`)) {
  console.log('docs test: site/ is missing, building it first (npm run site)');
  try {
    execFileSync('npm', ['run', 'site'], { cwd: packageDir, stdio: 'inherit' });
  } catch {
    console.error('docs test: building the site failed (see the messages above); the site test cannot run without it');
    process.exit(1);
  }
}
