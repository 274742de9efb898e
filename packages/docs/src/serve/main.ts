/**
 * `npm run docs:serve`: serves the built site on http://127.0.0.1:8080/ (or the port given as the
 * first argument) until interrupted.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { serveDirectory } from './static-server.js';

const siteDir = fileURLToPath(new URL('../../site/', import.meta.url));
const port = Number(process.argv[2] ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`docs:serve: the port must be an integer in 0..65535, got ${process.argv[2]}`);
  process.exit(2);
}
try {
  const server = await serveDirectory(siteDir, port);
  console.log(`LeNet.ts docs at ${server.url} (Ctrl-C to stop)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
