// The Node adapter and the CLI's configuration: real HTTP, the body cap on the wire, graceful close.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The CLI's configuration is the bin's, not the package's: read from its module.
import { openStores, readServerConfig } from '../../src/server/config';
import {
  createConsentlineServer,
  createMemoryLeaseStore,
  createSqliteRecordStore,
  serveNode,
} from '../../src/server/index';
import { sessionId, TARGET, trackingNumbers } from './support/harness';

describe('Node adapter', () => {
  it('serves the pool over HTTP as the SDK calls it, refuses a 17 KB body, and closes gracefully', async () => {
    const handler = createConsentlineServer({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } }),
      records: await createSqliteRecordStore({ file: ':memory:' }),
      log: () => {},
    });
    const server = await serveNode(handler, { port: 0 });
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
      trustProxy: false,
      dev: false,
    });
    expect(config.pool).toMatchObject({ ttl: 120, quarantine: 30, overflow: { [TARGET]: '+18009990000' } });
  });

  it('names the flag of a mistake', () => {
    expect(() => readServerConfig([], {})).toThrow('--numbers');
    expect(() => readServerConfig(['--numbers', numbers, '--db', 'mysql://x'], {})).toThrow('--db');
    expect(() => readServerConfig(['--numbers', numbers, '--origin', 'https://a.example/path'], {})).toThrow(
      '--origin',
    );
    expect(() => readServerConfig(['--numbers', numbers, '--bogus'], {})).toThrow('bogus');
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
