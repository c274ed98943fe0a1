// Many instances on one Redis: concurrent assigns never hand one number to two live sessions, and a
// Redis killed mid-run means 503 at once, then service again when it is back, without a restart.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsentlineServer,
  createRedisLeaseStore,
  createSqliteRecordStore,
  type ConsentlineServer,
  type RecordStore,
} from '../../src/server/index';
import { sessionId, TARGET, trackingNumbers } from './support/harness';
import { startRedis, type RedisInstance } from './support/services';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

const until = async (check: () => Promise<boolean>, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};

const instance = async (
  prefix: string,
  numbers: string[],
  records?: RecordStore,
  times: { ttl?: number; quarantine?: number } = {},
): Promise<ConsentlineServer> => {
  // A burst of 2,000 requests at once on this small machine queues for longer than the default
  // command timeout (which is for a Redis that hangs): this test is about atomicity, not latency.
  const leases = await createRedisLeaseStore({
    url: redis.url,
    pool: { numbers: { [TARGET]: numbers }, ...times },
    prefix,
    timeout: 20_000,
  });
  const server = createConsentlineServer({
    leases,
    records: records ?? (await createSqliteRecordStore({ file: ':memory:' })),
    limits: { perMinute: 1e9, burst: 1e9, leases: 1e9 },
    log: () => {},
  });
  await until(async () => (await server.fetch(new Request('http://x/healthz'))).status === 200, 5000);
  return server;
};

const assign = async (server: ConsentlineServer, session: string, lease?: string) => {
  const response = await server.fetch(
    new Request('http://x/v1/pool/assign', {
      method: 'POST',
      body: JSON.stringify({ session, targets: [TARGET], lease }),
    }),
    { address: '192.0.2.1' },
  );
  return {
    status: response.status,
    body: (await response.json()) as { numbers: Record<string, string>; lease: string; status: string },
  };
};

describe('two instances on one Redis', () => {
  it('hand out 3,000 numbers to 4,000 concurrent sessions (2,000 each) with no number held twice', async () => {
    const prefix = `c${randomBytes(4).toString('hex')}:`;
    const numbers = trackingNumbers(3000);
    const [a, b] = await Promise.all([instance(prefix, numbers), instance(prefix, numbers)]);
    const calls = Array.from({ length: 4000 }, (_, i) =>
      assign(i % 2 ? (b as ConsentlineServer) : (a as ConsentlineServer), sessionId(`c${i}`)),
    );
    const answers = await Promise.all(calls);
    expect(answers.filter((x) => x.status !== 200).map((x) => [x.status, x.body])).toEqual([]);
    const given = answers.map((x) => x.body.numbers[TARGET]).filter((n): n is string => Boolean(n));
    expect(given).toHaveLength(3000);
    expect(new Set(given).size).toBe(3000);
    expect(answers.filter((x) => x.body.status === 'exhausted')).toHaveLength(1000);
    // Asked again (naming its lease), every session keeps its own number: nothing moved underneath.
    const again = await Promise.all(
      Array.from({ length: 4000 }, (_, i) =>
        assign(i % 2 ? (a as ConsentlineServer) : (b as ConsentlineServer), sessionId(`c${i}`), answers[i]?.body.lease),
      ),
    );
    expect(again.map((x) => x.body.numbers[TARGET])).toEqual(answers.map((x) => x.body.numbers[TARGET]));
    await Promise.all([a?.close(), b?.close()]);
  }, 120_000);
});

describe('Redis killed and restarted mid-run', () => {
  it('answers 503 at once while Redis is gone and serves again when it is back, without a restart', async () => {
    const prefix = `k${randomBytes(4).toString('hex')}:`;
    const server = await instance(prefix, trackingNumbers(100));
    let n = 0;
    for (let i = 0; i < 20; i++) expect((await assign(server, sessionId(`k${n++}`))).status).toBe(200);
    await redis.kill();
    const started = performance.now();
    const during = await Promise.all(Array.from({ length: 20 }, () => assign(server, sessionId(`k${n++}`))));
    expect(during.map((x) => x.status)).toEqual(Array(20).fill(503));
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await server.fetch(new Request('http://x/healthz'))).status).toBe(503);
    await redis.start();
    // Redis came back empty (no persistence): the instance loads its numbers again on reconnect,
    // resting, as pages may still show them.
    expect(await until(async () => (await assign(server, sessionId(`k${n++}`))).status === 200, 10_000)).toBe(true);
    const after = await Promise.all(Array.from({ length: 20 }, () => assign(server, sessionId(`k${n++}`))));
    expect(after.map((x) => [x.status, x.body.status])).toEqual(Array(20).fill([200, 'exhausted']));
    expect((await server.fetch(new Request('http://x/healthz'))).status).toBe(200);
    await server.close();
  }, 60_000);

  it('serves once Redis takes the pool, when it refused it as the connection came (full), without a restart', async () => {
    const { Redis } = await import('ioredis');
    const admin = new Redis(redis.url);
    try {
      // Redis answers, but refuses every write: the pool cannot be loaded when the store connects.
      await admin.config('SET', 'maxmemory', '1');
      const leases = await createRedisLeaseStore({
        url: redis.url,
        pool: { numbers: { [TARGET]: trackingNumbers(5) } },
        prefix: `m${randomBytes(4).toString('hex')}:`,
        timeout: 5000,
      });
      const server = createConsentlineServer({
        leases,
        records: await createSqliteRecordStore({ file: ':memory:' }),
        log: () => {},
      });
      const health = async () => (await server.fetch(new Request('http://x/healthz'))).status;
      expect(await until(async () => (await health()) === 503, 5000)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      await admin.config('SET', 'maxmemory', '0');
      expect(await until(async () => (await health()) === 200, 10_000)).toBe(true);
      expect((await assign(server, sessionId('m1'))).body.status).toBe('ok');
      await server.close();
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
  }, 60_000);

  it("erases a visit on withdrawal while Redis is gone, though the client's allowance lives there", async () => {
    const records = await createSqliteRecordStore({ file: ':memory:' });
    const server = await instance(`w${randomBytes(4).toString('hex')}:`, trackingNumbers(10), records);
    const session = sessionId('w1');
    const visit = await assign(server, session);
    const number = visit.body.numbers[TARGET] as string;
    expect(await records.findPeriods(number, Date.now(), 0)).toHaveLength(1);
    await redis.kill();
    const release = (body: object) =>
      server.fetch(new Request('http://x/v1/pool/release', { method: 'POST', body: JSON.stringify(body) }), {
        address: '192.0.2.1',
      });
    expect((await release({ session, lease: visit.body.lease, forget: true })).status).toBe(204);
    expect(await records.findPeriods(number, Date.now(), 0)).toEqual([]);
    // A plain release still needs Redis.
    expect((await release({ session, lease: visit.body.lease })).status).toBe(503);
    await redis.start();
    await server.close();
  }, 60_000);

  it('gives no number shown before Redis lost its data to another visitor, until every such page has let go', async () => {
    const server = await instance(`r${randomBytes(4).toString('hex')}:`, trackingNumbers(1), undefined, {
      ttl: 10,
      quarantine: 1,
    });
    const shown = await assign(server, sessionId('r1'));
    expect(shown.body.status).toBe('ok');
    await redis.kill();
    await redis.start();
    // Redis came back empty: the page still shows its number until its renewal answers 404.
    expect(await until(async () => (await server.fetch(new Request('http://x/healthz'))).status === 200, 10_000)).toBe(
      true,
    );
    const during = await assign(server, sessionId('r3'));
    expect([during.status, during.body.status]).toEqual([200, 'exhausted']);
    // Once that page's lease would have ended and its number rested, the number serves again.
    await new Promise((r) => setTimeout(r, 11_000));
    const after = await assign(server, sessionId('r4'));
    expect([after.status, after.body.numbers[TARGET]]).toEqual([200, trackingNumbers(1)[0]]);
    await server.close();
  }, 60_000);

  it('gives no number shown before Redis lost its data to another visitor, when a new instance loaded the pool first', async () => {
    const prefix = `n${randomBytes(4).toString('hex')}:`;
    const times = { ttl: 10, quarantine: 1 };
    const running = await instance(prefix, trackingNumbers(1), undefined, times);
    const shown = await assign(running, sessionId('n1'));
    expect(shown.body.status).toBe('ok');
    await redis.kill();
    // Long enough for the running instance to wait 2 s between its attempts to reconnect.
    await new Promise((r) => setTimeout(r, 3000));
    await redis.start();
    // An instance starting now (a deploy, a scale-up) finds Redis empty, as on a first start.
    const started = await instance(prefix, trackingNumbers(1), undefined, times);
    const health = async () => (await running.fetch(new Request('http://x/healthz'))).status;
    expect(await until(async () => (await health()) === 200, 10_000)).toBe(true);
    // The page of the running instance's lease still shows the number: no one else gets it.
    const during = await assign(running, sessionId('n2'));
    expect([during.status, during.body.status]).toEqual([200, 'exhausted']);
    await Promise.all([running.close(), started.close()]);
  }, 60_000);

  it('gives no number shown before to another visitor when Redis and every instance restart at once', async () => {
    const prefix = `a${randomBytes(4).toString('hex')}:`;
    const file = join(mkdtempSync(join(tmpdir(), 'consentline-restart-')), 'records.db');
    const times = { ttl: 10, quarantine: 1 };
    const first = await instance(prefix, trackingNumbers(1), await createSqliteRecordStore({ file }), times);
    const shown = await assign(first, sessionId('a1'));
    expect(shown.body.status).toBe('ok');
    await first.close();
    await redis.kill();
    await redis.start();
    // Redis came back empty and no instance saw it before: only the records know the page.
    const second = await instance(prefix, trackingNumbers(1), await createSqliteRecordStore({ file }), times);
    const during = await assign(second, sessionId('a2'));
    expect([during.status, during.body.status]).toEqual([200, 'exhausted']);
    await new Promise((r) => setTimeout(r, 11_500));
    const after = await assign(second, sessionId('a3'));
    expect([after.status, after.body.numbers[TARGET]]).toEqual([200, trackingNumbers(1)[0]]);
    await second.close();
  }, 60_000);

  it('takes consent receipts while Redis, holding the per-client limits, is gone: they need only the database', async () => {
    const server = await instance(`p${randomBytes(4).toString('hex')}:`, trackingNumbers(1));
    await redis.kill();
    const post = (id: string) =>
      server.fetch(
        new Request('http://x/v1/receipts', {
          method: 'POST',
          body: JSON.stringify({
            v: 1,
            id,
            time: new Date(Date.now() - 1000).toISOString(),
            revision: 1,
            grants: { analytics: false, advertising: false },
            method: 'banner',
            gpc: false,
            origin: 'https://shop.example',
          }),
        }),
        { address: '192.0.2.1' },
      );
    expect((await post('refusal01')).status).toBe(201);
    await redis.start();
    await server.close();
  }, 60_000);
});
