// The Node adapter and the CLI's configuration: real HTTP, the body cap on the wire, graceful close.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The CLI's configuration is the bin's, not the package's: read from its module.
import { openStores, readServerConfig } from '../../src/server/config';
import {
  createConsentlineServer,
  createMemoryLeaseStore,
  createSqliteRecordStore,
  RecordStoreUnavailable,
  serveNode,
  type ConsentReceipt,
  type LogEntry,
} from '../../src/server/index';
import { sessionId, TARGET, trackingNumbers } from './support/harness';

/** A server with two tracking numbers in memory and its records in an in-memory SQLite, silent. */
const smallServer = async () =>
  createConsentlineServer({
    leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } }),
    records: await createSqliteRecordStore({ file: ':memory:' }),
    log: () => {},
  });

describe('Node adapter', () => {
  it('serves the pool over HTTP as the SDK calls it, refuses a 17 KB body, and closes gracefully', async () => {
    const server = await serveNode(await smallServer(), { port: 0 });
    const assign = await fetch(`${server.url}/v1/pool/assign`, {
      method: 'POST',
      body: JSON.stringify({ session: sessionId(1), targets: [TARGET] }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(assign.status).toBe(200);
    expect(assign.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await assign.json()) as { status: string }).status).toBe('ok');
    const big = await fetch(`${server.url}/v1/pool/assign`, { method: 'POST', body: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('takes a request target in absolute form for its path, and answers 400 to one that is no path (asterisk form)', async () => {
    const server = await serveNode(await smallServer(), { port: 0 });
    const { port } = new URL(server.url);
    const statusOf = (line: string) =>
      new Promise<string>((done, fail) => {
        const socket = connect(Number(port), '127.0.0.1', () =>
          socket.end(`${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
        );
        let reply = '';
        socket.on('data', (chunk) => {
          reply += String(chunk);
        });
        socket.on('end', () => done(reply.split('\r\n')[0]!));
        socket.on('error', fail);
      });
    try {
      // RFC 9112, 3.2.2: "a server MUST accept the absolute-form in requests"; its host is not ours to route by.
      expect(await statusOf('GET http://elsewhere.example/healthz HTTP/1.1')).toBe('HTTP/1.1 200 OK');
      expect(await statusOf('GET /healthz HTTP/1.1')).toBe('HTTP/1.1 200 OK');
      expect(await statusOf('OPTIONS * HTTP/1.1')).toBe('HTTP/1.1 400 Bad Request');
    } finally {
      await server.close();
    }
  });

  it('answers 400 to a body cut short (the client left before all of it arrived) and changes nothing', async () => {
    const leases = createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } });
    const statuses: number[] = [];
    let answered = () => {};
    const handler = createConsentlineServer({
      leases,
      records: await createSqliteRecordStore({ file: ':memory:' }),
      log: (entry) => {
        if (entry.route !== '/v1/pool/assign' || entry.status === undefined) return;
        statuses.push(entry.status);
        answered();
      },
    });
    // Behind a proxy, as most servers are: the client's address is in the request, not the socket.
    const server = await serveNode(handler, { port: 0, trustProxy: true });
    // A whole JSON text arrives, but not the whole body: what came reads as a valid assign.
    const body = JSON.stringify({ session: sessionId(1), targets: [TARGET] });
    const head =
      'POST /v1/pool/assign HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 203.0.113.7\r\nContent-Type: text/plain\r\n';
    const cutShort = [
      `${head}Content-Length: ${body.length + 40}\r\n\r\n${body}`,
      // Chunked, without the last (empty) chunk that ends the body.
      `${head}Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n`,
    ];
    for (const [i, request] of cutShort.entries()) {
      const logged = new Promise<void>((done) => {
        answered = done;
      });
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(request, () => socket.end());
      });
      socket.on('error', () => {});
      socket.resume();
      await logged;
      expect(statuses[i], request).toBe(400);
    }
    expect(await leases.inspect?.()).toMatchObject({ leases: [] });
    await server.close();
  });

  it('answers 400 to a request whose body stream fails part-way, whatever the host', async () => {
    const leases = createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } });
    const handler = createConsentlineServer({
      leases,
      records: await createSqliteRecordStore({ file: ':memory:' }),
      log: () => {},
    });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ session: sessionId(1), targets: [TARGET] })));
        controller.error(new Error('the client went away'));
      },
    });
    const response = await handler.fetch(
      new Request('http://consentline.test/v1/pool/assign', { method: 'POST', body, duplex: 'half' } as RequestInit),
      { address: '203.0.113.7' },
    );
    expect(response.status).toBe(400);
    expect(await leases.inspect?.()).toMatchObject({ leases: [] });
    await handler.close();
  });

  it('holds at most maxConnections connections: one past them is closed unanswered, the rest are served', async () => {
    const server = await serveNode(await smallServer(), { port: 0, maxConnections: 2 });
    // Connections the server accepted that send nothing (a flood of idle sockets).
    const idle = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((done) => {
            const socket = connect(server.port, '127.0.0.1', () => done(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    const reply = (line: string) =>
      new Promise<string>((done) => {
        let text = '';
        const socket = connect(server.port, '127.0.0.1', () =>
          socket.write(`${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
        );
        socket.on('data', (chunk) => {
          text += String(chunk);
        });
        socket.on('error', () => {});
        socket.on('close', () => done(text));
      });
    // Accepted after the two idle ones (the kernel's queue keeps the order): over the cap.
    expect(await reply('GET /healthz HTTP/1.1')).toBe('');
    for (const socket of idle) socket.destroy();
    // Once they are gone, a new connection is served again.
    for (let status = ''; !status.startsWith('HTTP/1.1 200'); ) status = await reply('GET /healthz HTTP/1.1');
    await server.close();
  });

  it('refuses a maxConnections that is not a whole number above 0, naming the option', async () => {
    const handler = await smallServer();
    expect(() => serveNode(handler, { port: 0, maxConnections: 0 })).toThrow('maxConnections');
    expect(() => serveNode(handler, { port: 0, maxConnections: 1.5 })).toThrow('maxConnections');
    await handler.close();
  });

  it('closes a connection that sends no request within the header timeout, not tens of seconds later', async () => {
    const server = await serveNode(await smallServer(), { port: 0 });
    const started = performance.now();
    const closed = await new Promise<{ reply: string; ms: number }>((done) => {
      let reply = '';
      const socket = connect(server.port, '127.0.0.1');
      socket.on('data', (chunk) => {
        reply += String(chunk);
      });
      socket.on('error', () => {});
      socket.on('close', () => done({ reply, ms: performance.now() - started }));
    });
    expect(closed.reply.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    // The header timeout is 10 s; Node checks it every 30 s unless told otherwise.
    expect(closed.ms).toBeLessThan(15_000);
    await server.close();
  }, 60_000);

  it('behind two proxies, counts the client the outer proxy saw: not the inner proxy, not what the client wrote', async () => {
    const handler = createConsentlineServer({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(10) } }),
      records: await createSqliteRecordStore({ file: ':memory:' }),
      limits: { perMinute: 1, burst: 1 },
      log: () => {},
    });
    const server = await serveNode(handler, { port: 0, trustProxy: 2 });
    let n = 0;
    const assign = async (forwarded: string) =>
      (
        await fetch(`${server.url}/v1/pool/assign`, {
          method: 'POST',
          body: JSON.stringify({ session: sessionId(++n), targets: [TARGET] }),
          headers: { 'x-forwarded-for': forwarded },
        })
      ).status;
    // client → CDN (writes the client) → load balancer (writes the CDN's address) → server.
    expect(await assign('198.51.100.1, 192.0.2.10')).toBe(200);
    expect(await assign('203.0.113.66, 198.51.100.2, 192.0.2.10')).toBe(200);
    expect(await assign('203.0.113.67, 198.51.100.2, 192.0.2.10')).toBe(429);
    expect(await assign('[2001:db8::1]:443, 192.0.2.10')).toBe(200);
    await server.close();
  });

  it('cuts the connection of a receipt export whose later page fails, so no client takes it for whole', async () => {
    const records = await createSqliteRecordStore({ file: ':memory:' });
    const logs: LogEntry[] = [];
    const handler = createConsentlineServer({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } }),
      records: {
        ...records,
        // The database goes away after the first page.
        listReceipts: async (query) => {
          if (query.after) throw new RecordStoreUnavailable('gone');
          return records.listReceipts(query);
        },
      },
      token: 'node-token',
      log: (entry) => logs.push(entry),
    });
    const time = new Date(Date.now() - 60_000).toISOString();
    for (let i = 0; i < 501; i++) {
      const id = `e${String(i).padStart(9, '0')}`;
      const receipt: ConsentReceipt = {
        v: 1,
        id,
        time,
        revision: 1,
        grants: {},
        method: 'api',
        gpc: false,
        origin: 'https://a.example',
      };
      await records.addReceipt(receipt, Date.now() - 1000 + i);
    }
    const server = await serveNode(handler, { port: 0 });
    // The cut comes before or after the first page reached the client: either way a failure.
    const exported = fetch(`${server.url}/v1/receipts`, { headers: { authorization: 'Bearer node-token' } });
    await expect(exported.then((r) => r.text())).rejects.toThrow();
    expect(logs.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'receipt export cut: record store unavailable: gone',
    ]);
    await server.close();
  });
});

describe('Node adapter, receipt export to a client that stops reading or leaves', () => {
  const PAGES = 40;
  const serveExport = async () => {
    const records = await createSqliteRecordStore({ file: ':memory:' });
    const time = new Date(Date.now() - 60_000).toISOString();
    const received = Date.now() - 10_000;
    for (let i = 0; i < PAGES * 500; i++) {
      const id = `p${String(i).padStart(9, '0')}`;
      // The largest receipt (32 categories of 32 characters): about 1.3 KB, 650 KB a page.
      const grants = Object.fromEntries(
        Array.from({ length: 32 }, (_, c) => [`c${String(c).padStart(31, '0')}`, true]),
      );
      const receipt: ConsentReceipt = {
        v: 1,
        id,
        time,
        revision: 1,
        grants,
        method: 'api',
        gpc: false,
        origin: 'https://a.example',
      };
      await records.addReceipt(receipt, received);
    }
    const read = { pages: 0 };
    const handler = createConsentlineServer({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } }),
      records: {
        ...records,
        listReceipts: async (query) => {
          read.pages++;
          return records.listReceipts(query);
        },
      },
      token: 'node-token',
      log: () => {},
    });
    return { server: await serveNode(handler, { port: 0 }), read };
  };
  const settle = () => new Promise((r) => setTimeout(r, 500));

  it('reads no more pages once the client has gone', async () => {
    const { server, read } = await serveExport();
    const gone = new AbortController();
    const response = await fetch(`${server.url}/v1/receipts`, {
      headers: { authorization: 'Bearer node-token' },
      signal: gone.signal,
    });
    const reader = response.body?.getReader();
    await reader?.read();
    gone.abort();
    await settle();
    const after = read.pages;
    await settle();
    expect(read.pages).toBe(after);
    expect(read.pages).toBeLessThan(PAGES / 2);
    await server.close();
  }, 60_000);

  it('reads pages only as fast as the client takes them', async () => {
    const { server, read } = await serveExport();
    const response = await fetch(`${server.url}/v1/receipts`, { headers: { authorization: 'Bearer node-token' } });
    await settle();
    expect(read.pages).toBeLessThan(PAGES / 2);
    const text = await response.text();
    expect(text.trim().split('\n')).toHaveLength(PAGES * 500);
    await server.close();
  }, 60_000);
});

describe('CLI configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consentline-cli-'));
  const numbers = join(dir, 'numbers.json');
  writeFileSync(
    numbers,
    JSON.stringify({ numbers: { [TARGET]: trackingNumbers(2) }, overflow: { [TARGET]: '+18009990000' } }),
  );

  it('reads flags over environment variables, with the documented defaults', () => {
    const config = readServerConfig(
      ['--numbers', numbers, '--port', '9000', '--origin', 'https://a.example,https://b.example', '--ttl', '120'],
      { CONSENTLINE_TOKEN: 'secret', CONSENTLINE_PORT: '1' },
    );
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      db: 'sqlite:consentline.db',
      redis: undefined,
      token: 'secret',
      origins: ['https://a.example', 'https://b.example'],
      retentionDays: 30,
      receiptRetentionDays: 730,
      trustProxy: 0,
      maxConnections: 10_000,
      dev: false,
    });
    expect(config.pool).toMatchObject({
      ttl: 120,
      quarantine: 30,
      overflowLeases: 1000,
      overflow: { [TARGET]: '+18009990000' },
    });
  });

  it('reads the overflow leases from --overflow-leases or CONSENTLINE_OVERFLOW_LEASES; the pool refuses a fraction', () => {
    const read = (argv: string[], env: Record<string, string> = {}) =>
      readServerConfig(['--numbers', numbers, ...argv], env).pool;
    expect(read(['--overflow-leases', '50'], { CONSENTLINE_OVERFLOW_LEASES: '7' }).overflowLeases).toBe(50);
    expect(read([], { CONSENTLINE_OVERFLOW_LEASES: '7' }).overflowLeases).toBe(7);
    expect(() => createMemoryLeaseStore(read(['--overflow-leases', '1.5']))).toThrow(/^overflowLeases:/);
  });

  it('reads how many proxies stand in front: --proxies, --trust-proxy (one) or CONSENTLINE_TRUST_PROXY', () => {
    const proxies = (argv: string[], env: Record<string, string> = {}) =>
      readServerConfig(['--numbers', numbers, ...argv], env).trustProxy;
    expect(proxies([])).toBe(0);
    expect(proxies(['--trust-proxy'])).toBe(1);
    expect(proxies(['--proxies', '2'])).toBe(2);
    expect(proxies([], { CONSENTLINE_TRUST_PROXY: '1' })).toBe(1);
    expect(proxies([], { CONSENTLINE_TRUST_PROXY: '3' })).toBe(3);
    expect(() => proxies(['--proxies', 'two'])).toThrow('--proxies');
    expect(() => proxies([], { CONSENTLINE_TRUST_PROXY: 'yes' })).toThrow('--proxies');
  });

  it('names the flag of a mistake', () => {
    expect(() => readServerConfig([], {})).toThrow('--numbers');
    expect(() => readServerConfig(['--numbers', numbers, '--db', 'mysql://x'], {})).toThrow('--db');
    expect(() => readServerConfig(['--numbers', numbers, '--origin', 'https://a.example/path'], {})).toThrow(
      '--origin',
    );
    expect(() => readServerConfig(['--numbers', numbers, '--bogus'], {})).toThrow('bogus');
    expect(() => readServerConfig(['--numbers', numbers, '--max-connections', '0'], {})).toThrow('--max-connections');
    expect(readServerConfig(['--numbers', numbers], { CONSENTLINE_MAX_CONNECTIONS: '500' }).maxConnections).toBe(500);
    expect(() => readServerConfig(['--numbers', join(dir, 'missing.json')], {})).toThrow('--numbers');
  });

  it('opens the embedded defaults: leases in memory, records in a SQLite file', async () => {
    const config = readServerConfig(['--numbers', numbers, '--db', `sqlite:${join(dir, 'records.db')}`], {});
    const stores = await openStores(config);
    expect(stores.leases.inspect).toBeTypeOf('function');
    await stores.records.ping();
    await stores.records.close();
  });
});
