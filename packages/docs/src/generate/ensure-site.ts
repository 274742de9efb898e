/**
 * Run before the site test: builds the site (`npm run site`) when `site/index.html` or the
 * Playground (`site/playground/index.html`, from a site built before it existed) is missing, so
 * `npm test -w @lenet/docs` works on a fresh clone. A site that exists is left as it is; turbo's
 * `site` task keeps it fresh.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const missing = ['site/index.html', 'site/playground/index.html'].filter((file) => !existsSync(`${packageDir}${file}`));
if (missing.length > 0) {
  console.log(`docs test: ${missing.join(' and ')} missing, building the site first (npm run site)`);
  try {
    execFileSync('npm', ['run', 'site'], { cwd: packageDir, stdio: 'inherit' });
  } catch {
    console.error('docs test: building the site failed (see the messages above); the site test cannot run without it');
    process.exit(1);
  }
}
