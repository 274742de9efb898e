import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadProgressBars } from '../src/cli/progress-bar.js';
import { DataFileError } from '../src/data/data-file-error.js';
import { downloadVerified, ensureDownloaded, type DownloadableFile, type DownloadEvent } from '../src/data/download.js';
import { IDX_FILE_NAMES } from '../src/data/idx-file-names.js';
import { defaultCacheRoot, loadMnist, MNIST_FILES } from '../src/data/mnist.js';
import { makeTempDir, writeTinyIdxDirectory } from './helpers/idx-fixtures.js';

const temp = makeTempDir('lenet-download-');
const sourceDir = join(temp.dir, 'source');
writeTinyIdxDirectory(sourceDir, { train: 40, test: 7 });
const bodies = new Map<string, Buffer>(Object.values(IDX_FILE_NAMES).map((name) => [name, readFileSync(join(sourceDir, name))]));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const tinyFiles: DownloadableFile[] = [...bodies].map(([name, body]) => ({ name, sha256: sha256(body) }));
const bigBody = Buffer.alloc(256 * 1024, 7); // large enough to arrive in several chunks
const bigFile: DownloadableFile = { name: 'big.bin', sha256: sha256(bigBody), bytes: bigBody.length };
bodies.set('big.bin', bigBody);

/** Requests served, by path. */
const requests: string[] = [];
let server: Server;
let baseUrl = '';

function bodyOf(name: string): Buffer {
  const body = bodies.get(name);
  if (body === undefined) throw new Error(`no test body ${name}`);
  return body;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const [, route, name] = (request.url ?? '').split('/');
    requests.push(request.url ?? '');
    if (!bodies.has(name)) {
      response.writeHead(404, 'Not Found').end();
      return;
    }
    const body = bodyOf(name);
    switch (route) {
      case 'ok':
        response.writeHead(200, { 'Content-Length': body.length }).end(body);
        return;
      case 'chunked': // no Content-Length
        response.writeHead(200);
        response.write(body.subarray(0, 100));
        response.end(body.subarray(100));
        return;
      case 'bad': {
        const damaged = Buffer.from(body);
        damaged[damaged.length >> 1] ^= 0x01;
        response.writeHead(200, { 'Content-Length': damaged.length }).end(damaged);
        return;
      }
      case 'drop':
        response.writeHead(200, { 'Content-Length': body.length });
        response.write(body.subarray(0, body.length >> 1), () => setTimeout(() => response.socket?.destroy(), 20));
        return;
      case 'stall':
        response.writeHead(200, { 'Content-Length': body.length });
        response.write(body.subarray(0, 10));
        return; // never finishes
      case 'redirect':
        response.writeHead(302, { Location: `/ok/${name}` }).end();
        return;
      default:
        response.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  temp.remove();
});

/** A port on which nothing listens (any connection attempt is refused). */
async function closedPortUrl(): Promise<string> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}/ok/`;
}

async function rejection(promise: Promise<unknown>): Promise<DataFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    if (error instanceof DataFileError) return error;
  }
  throw new Error('expected the promise to reject with a DataFileError');
}

function collector(isTTY = false): { text: string; isTTY: boolean; write(chunk: string): boolean } {
  return {
    text: '',
    isTTY,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('loadMnist from a local server', () => {
  it('downloads on first use with progress, then loads from the cache without the network', async () => {
    const cacheRoot = join(temp.dir, 'cache-ok');
    const progress = collector();
    const first = await loadMnist({ cacheRoot, baseUrl: `${baseUrl}/ok/`, files: tinyFiles, onProgress: downloadProgressBars(progress) });
    expect(first.name).toBe('mnist');
    expect([first.train.count, first.test.count]).toEqual([40, 7]);
    expect(first.classNames[3]).toBe('3');
    expect(readdirSync(join(cacheRoot, 'mnist')).sort()).toEqual(Object.values(IDX_FILE_NAMES).sort());
    for (const name of Object.values(IDX_FILE_NAMES)) {
      expect(readFileSync(join(cacheRoot, 'mnist', name)).equals(bodyOf(name))).toBe(true);
      expect(progress.text).toContain(`downloading ${name}`);
    }
    expect(requests.filter((path) => path.startsWith('/ok/'))).toHaveLength(4);

    const requestsBefore = requests.length;
    const second = await loadMnist({ cacheRoot, baseUrl: await closedPortUrl(), files: tinyFiles });
    expect(requests.length).toBe(requestsBefore);
    expect(Array.from(second.train.labels)).toEqual(Array.from(first.train.labels));
    expect(second.train.images).toEqual(first.train.images);
  });

  it('reads LENET_CACHE_DIR and LENET_MNIST_BASE_URL from the environment', async () => {
    const cacheRoot = join(temp.dir, 'cache-env');
    const env = { LENET_CACHE_DIR: cacheRoot, LENET_MNIST_BASE_URL: `${baseUrl}/redirect/` };
    const data = await loadMnist({ env, files: tinyFiles });
    expect(data.test.count).toBe(7);
    expect(existsSync(join(cacheRoot, 'mnist', IDX_FILE_NAMES.testLabels))).toBe(true);
  });

  it('rejects a file with the wrong checksum and keeps nothing', async () => {
    const cacheRoot = join(temp.dir, 'cache-bad');
    const error = await rejection(loadMnist({ cacheRoot, baseUrl: `${baseUrl}/bad/`, files: tinyFiles }));
    const expected = tinyFiles[0];
    const damaged = Buffer.from(bodyOf(expected.name));
    damaged[damaged.length >> 1] ^= 0x01;
    expect(error.file).toBe(`${baseUrl}/bad/${expected.name}`);
    expect(error.message).toContain(`checksum mismatch: expected SHA-256 ${expected.sha256}, got ${sha256(damaged)}`);
    expect(error.message).toContain('the file was not kept');
    expect(readdirSync(join(cacheRoot, 'mnist'))).toEqual([]);
  });

  it('reports a connection dropped mid-body and leaves no file', async () => {
    const cacheRoot = join(temp.dir, 'cache-drop');
    const progress = collector(true);
    const error = await rejection(ensureDownloadedInto(cacheRoot, `${baseUrl}/drop/`, [bigFile], progress));
    expect(error.message).toMatch(
      new RegExp(`download failed: the connection dropped after \\d+ of ${bigBody.length} bytes .*nothing was kept`),
    );
    expect(readdirSync(cacheRoot)).toEqual([]);
    expect(progress.text.endsWith('\n')).toBe(true); // the bar ended its line before the error is printed
  });

  it('reports a server that closes cleanly before the announced length', async () => {
    const liar = createTcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789'));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const port = (liar.address() as AddressInfo).port;
    try {
      const destination = join(temp.dir, 'short.bin');
      const error = await rejection(downloadVerified({ url: `http://127.0.0.1:${port}/x`, destination, sha256: 'ab' }));
      expect(error.message).toMatch(
        /download failed: (the connection dropped after \d+ of 1000 bytes|received 10 bytes but the server announced 1000)/,
      );
      expect(existsSync(destination)).toBe(false);
      expect(readdirSync(temp.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      await new Promise((resolve) => liar.close(resolve));
    }
  });

  it('gives up on a server that stops sending', async () => {
    const cacheRoot = join(temp.dir, 'cache-stall');
    const files = [tinyFiles[0]];
    const error = await rejection(ensureDownloaded({ baseUrl: `${baseUrl}/stall/`, directory: cacheRoot, files, idleTimeoutMs: 200 }));
    expect(error.message).toContain('no data from the server for 200 ms');
    expect(readdirSync(cacheRoot)).toEqual([]);
  });

  it('reports an HTTP error status and a refused connection', async () => {
    const missing = await rejection(
      downloadVerified({ url: `${baseUrl}/ok/nope.gz`, destination: join(temp.dir, 'nope.gz'), sha256: 'ab' }),
    );
    expect(missing.message).toBe(`${baseUrl}/ok/nope.gz: download failed: HTTP 404 Not Found`);
    const refused = await rejection(downloadVerified({ url: `${await closedPortUrl()}x`, destination: join(temp.dir, 'x'), sha256: 'ab' }));
    expect(refused.message).toContain('download failed: ECONNREFUSED');
  });

  it('downloads again a cached file that was damaged on disk', async () => {
    const cacheRoot = join(temp.dir, 'cache-damaged');
    await ensureDownloadedInto(cacheRoot, `${baseUrl}/ok/`, [bigFile], null);
    writeFileSync(join(cacheRoot, 'big.bin'), 'garbage');
    const progress = collector();
    await ensureDownloadedInto(cacheRoot, `${baseUrl}/chunked/`, [bigFile], progress);
    expect(readFileSync(join(cacheRoot, 'big.bin')).equals(bigBody)).toBe(true);
    expect(progress.text).toContain('cached file has the wrong checksum, downloading it again');
    // No Content-Length from /chunked/: the bar falls back to the size in the file table.
    expect(progress.text).toContain('256.0 KiB/256.0 KiB');
  });
});

describe('ensureDownloaded reports progress and draws nothing itself', () => {
  it("reports a refetch of a damaged file, its bytes with the file table's size as total, and its end", async () => {
    const cacheRoot = join(temp.dir, 'cache-events');
    await ensureDownloadedInto(cacheRoot, `${baseUrl}/ok/`, [bigFile], null);
    writeFileSync(join(cacheRoot, 'big.bin'), 'garbage');
    const events: DownloadEvent[] = [];
    await ensureDownloaded({
      baseUrl: `${baseUrl}/chunked/`,
      directory: cacheRoot,
      files: [bigFile],
      onProgress: (event) => events.push(event),
    });
    expect(events[0]).toEqual({ kind: 'refetch', file: bigFile, path: join(cacheRoot, 'big.bin') });
    const progress = events.filter((event) => event.kind === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ kind: 'progress', file: bigFile, receivedBytes: bigBody.length, totalBytes: bigBody.length });
    expect(events.at(-1)).toEqual({ kind: 'end', file: bigFile });
  });
});

function ensureDownloadedInto(
  directory: string,
  url: string,
  files: DownloadableFile[],
  progress: ReturnType<typeof collector> | null,
): Promise<string> {
  return ensureDownloaded({ baseUrl: url, directory, files, onProgress: progress === null ? undefined : downloadProgressBars(progress) });
}

describe('MNIST defaults', () => {
  it('names the four standard files with SHA-256 checksums', () => {
    expect(MNIST_FILES.map((file) => file.name)).toEqual([
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ]);
    for (const file of MNIST_FILES) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('puts the cache under LENET_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheRoot({ LENET_CACHE_DIR: '/c' })).toBe('/c');
    expect(defaultCacheRoot({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'lenet-ts'));
    expect(defaultCacheRoot({})).toMatch(/[\\/]\.cache[\\/]lenet-ts$/);
  });
});
