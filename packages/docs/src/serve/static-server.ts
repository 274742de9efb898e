/**
 * A static file server for the built site (localhost only), used by `npm run docs:serve` and by the
 * site test. Serves `index.html` for a folder and the right Content-Type for what TypeDoc writes,
 * with the headers that make a page cross-origin isolated.
 *
 * Every request is answered and none can stop the server: a malformed URL (bad percent-encoding, a
 * NUL byte) gets 400, a path that leaves the site after decoding (`..`, `%2e%2e`, `%2f`) 403, a
 * method other than GET, HEAD and OPTIONS 405, and any other failure while answering 500. Node
 * itself answers a request line or headers over its limit (16 KiB) with 431.
 * @module
 */
import { createReadStream, type Stats, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** The methods the server answers; any other gets 405. */
const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';
/** The only interface the server listens on: the site is for the reader of this machine. */
const LOOPBACK = '127.0.0.1';

/** A running server: its base URL and how to stop it. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  /** The address it listens on: always `127.0.0.1`. */
  readonly host: string;
  /** Stops accepting connections and resolves once closed. */
  close(): Promise<void>;
}

/** A request the server refuses, with its status code and the reason sent back. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The stats of `path`, or null when it does not exist or cannot be looked at. */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The decoded URL path of `rawUrl`, refusing what cannot be decoded or holds a NUL byte. */
function decodedPath(rawUrl: string): string {
  let path: string;
  try {
    path = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
  } catch {
    throw new Refusal(400, 'bad request: the URL is not valid percent-encoded UTF-8');
  }
  if (path.includes('\0')) throw new Refusal(400, 'bad request: the URL path holds a NUL byte');
  return path;
}

/** The file under `base` that `path` names (a folder's `index.html`), or a refusal. */
function fileFor(base: string, path: string): { file: string; size: number } {
  let file = normalize(join(base, path));
  if (file !== base && !file.startsWith(base + sep)) throw new Refusal(403, 'forbidden: the path leaves the site');
  let stats = statOrNull(file);
  if (stats?.isDirectory() === true) {
    file = join(file, 'index.html');
    stats = statOrNull(file);
  }
  if (stats === null || !stats.isFile()) throw new Refusal(404, `not found: ${path}`);
  return { file, size: stats.size };
}

function answer(base: string, request: IncomingMessage, response: ServerResponse): void {
  const method = request.method ?? 'GET';
  if (method === 'OPTIONS') {
    response.writeHead(204, { Allow: ALLOWED_METHODS }).end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    response.writeHead(405, { Allow: ALLOWED_METHODS, 'Content-Type': 'text/plain' }).end(`method ${method} not allowed`);
    return;
  }
  const { file, size } = fileFor(base, decodedPath(request.url ?? '/'));
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    ...CROSS_ORIGIN_ISOLATION_HEADERS,
  });
  if (method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy()); // the status is sent: only closing the connection says the body failed
  stream.pipe(response);
}

/** Answers a refusal or an unforeseen failure, unless the answer has already begun. */
function answerFailure(error: unknown, response: ServerResponse): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const [status, text] = error instanceof Refusal ? [error.status, error.message] : [500, 'internal error'];
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

/** Serves `root` on 127.0.0.1 at `port` (0 picks a free port). */
export async function serveDirectory(root: string, port = 0): Promise<RunningServer> {
  const base = resolve(root);
  if (statOrNull(join(base, 'index.html')) === null) {
    throw new Error(`serve: ${base} has no index.html; build the site first with \`npm run docs\``);
  }
  const server: Server = createServer((request, response) => {
    try {
      answer(base, request, response);
    } catch (error) {
      answerFailure(error, response);
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, LOOPBACK, done);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}/`,
    host: address.address,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
