/**
 * A static file server for the built site (localhost only), used by `npm run docs:serve` and by the
 * site test. Serves `index.html` for a folder and the right Content-Type for what TypeDoc writes,
 * with the headers that make a page cross-origin isolated.
 * @module
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Sent with every file: they make the page cross-origin isolated (`crossOriginIsolated`), which a
 * browser requires before it shares memory with workers (`SharedArrayBuffer`): the Playground's
 * webasm threads and TensorFlow.js-wasm's threads in the browser benchmark need it. Everything the
 * site loads is its own, so the embedder policy blocks nothing.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** A running server: its base URL and how to stop it. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  /** Stops accepting connections and resolves once closed. */
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1 at `port` (0 picks a free port). */
export async function serveDirectory(root: string, port = 0): Promise<RunningServer> {
  const base = resolve(root);
  if (!existsSync(join(base, 'index.html'))) {
    throw new Error(`serve: ${base} has no index.html; build the site first with \`npm run docs\``);
  }
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      ...CROSS_ORIGIN_ISOLATION_HEADERS,
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
