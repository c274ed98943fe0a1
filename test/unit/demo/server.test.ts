// The demo and test server in Node: a request path never reaches a file outside the folder it is
// mounted from, and the request log it keeps for the browser tests stays bounded.
import { request } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM module without types
import { startServer } from '../../../demo/server.mjs';

interface Server {
  url: string;
  port: number;
  requests: Array<{ path: string; body: string }>;
  routes: Record<string, (req: unknown, res: { writeHead(s: number): void; end(): void }, body: string) => boolean>;
  clear(): void;
  close(): Promise<void>;
}

// The server serves demo/site/ at /; a folder beside it whose name starts the same is the sibling
// a prefix check without a separator lets through.
const SIBLING = `site-secret-${randomBytes(4).toString('hex')}`;
const siblingDir = fileURLToPath(new URL(`../../../demo/${SIBLING}/`, import.meta.url));

/** Sends `path` exactly as written (no client-side normalisation of `..` or `%2f`). */
const raw = (server: Server, path: string, method = 'GET', body = ''): Promise<{ status: number; text: string }> =>
  new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body);
  });

let server: Server;
beforeAll(async () => {
  mkdirSync(siblingDir, { recursive: true });
  writeFileSync(`${siblingDir}secret.txt`, 'SIBLING SECRET');
  server = (await startServer({ port: 0 })) as Server;
});
afterAll(async () => {
  await server?.close();
  rmSync(siblingDir, { recursive: true, force: true });
});

describe('static files', () => {
  test('a page of the site is served', async () => {
    const res = await raw(server, '/index.html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<!doctype html>');
  });

  test.each([
    `/..%2f${SIBLING}/secret.txt`,
    `/..%2F${SIBLING}%2Fsecret.txt`,
    `/%2e%2e%2f${SIBLING}/secret.txt`,
    `/dist/..%2f..%2fdemo%2f${SIBLING}/secret.txt`,
    `/node_modules/axe-core/..%2f..%2f..%2fdemo%2f${SIBLING}/secret.txt`,
    '/..%2f..%2fpackage.json',
    '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/dist/..%2fpackage.json',
    '/%2fetc%2fpasswd',
    '/..%5c..%5cpackage.json',
    '/index.html%00.txt',
    '/%E0%A4%A',
  ])('%s is refused (404), never a file outside the mount', async (path) => {
    const res = await raw(server, path);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('SIBLING SECRET');
    expect(res.text).not.toContain('"name": "consentline"');
  });
});

describe('request log', () => {
  test('keeps the latest 1,000 requests, each body cut to 64 KiB; a route still gets the whole body', async () => {
    server.clear();
    let routeGot = 0;
    server.routes['/collect/big'] = (_req, res, body) => {
      routeGot = body.length;
      res.writeHead(204);
      res.end();
      return true;
    };
    try {
      await raw(server, '/collect/big', 'POST', 'x'.repeat(200_000));
      expect(routeGot).toBe(200_000);
      expect(server.requests.at(-1)!.body.length).toBe(64 * 1024);
      for (let i = 0; i < 1100; i += 50)
        await Promise.all(Array.from({ length: 50 }, (_, j) => raw(server, `/collect/n${i + j}`, 'POST', 'b')));
      expect(server.requests).toHaveLength(1000);
      const paths = new Set(server.requests.map((r) => r.path));
      expect(paths.has('/collect/n1099')).toBe(true);
      expect(paths.has('/collect/big')).toBe(false);
      // The array the tests hold stays the same one: clear() empties it in place.
      const held = server.requests;
      server.clear();
      expect(held).toHaveLength(0);
    } finally {
      delete server.routes['/collect/big'];
    }
  });
});
