// The per-client limits kept in Redis: two server instances on one real Redis share one allowance
// and one lease cap per client, so a client spreading a flood over the instances behind a load
// balancer gets no more than from one. Redis holds only keyed hashes of the client, expiring within
// minutes, never the address. And on either store, a release naming an invented lease frees no
// place under the cap.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerConfig } from '../../src/server/config';
import {
  createMemoryLeaseStore,
  createSqliteRecordStore,
  type ClientLimits,
  type LeaseStore,
  type PoolConfig,
} from '../../src/server/index';
import {
  connectRedisLeaseStore,
  createClock,
  createHarness,
  sessionId,
  TARGET,
  trackingNumbers,
  type Clock,
  type Harness,
} from './support/harness';
import { startRedis, type RedisInstance } from './support/services';

let redis: RedisInstance;
let inspect: Redis;
beforeAll(async () => {
  redis = await startRedis();
  inspect = new Redis(redis.url);
}, 30_000);
afterAll(async () => {
  inspect?.disconnect();
  await redis?.stop();
});

const FLOODER = '198.51.100.66';
const TOKEN = 'a-token-shared-by-the-instances';

const redisStore = (pool: PoolConfig, prefix: string): Promise<LeaseStore> =>
  connectRedisLeaseStore(redis.url, pool, prefix);

/** Two instances on one Redis (one prefix), as behind a load balancer, with one clock. */
const twoInstances = async (
  limits: ClientLimits,
  extra: { token?: string } = { token: TOKEN },
): Promise<{ a: Harness; b: Harness; prefix: string; clock: Clock }> => {
  const prefix = `l${randomBytes(6).toString('hex')}:`;
  const pool = { numbers: { [TARGET]: trackingNumbers(100) }, ttl: 60, quarantine: 30 };
  const clock = createClock();
  const open = async () =>
    createHarness({
      leases: await redisStore(pool, prefix),
      records: await createSqliteRecordStore({ file: ':memory:' }),
      limits,
      clock,
      ...extra,
    });
  const [a, b] = await Promise.all([open(), open()]);
  return { a, b, prefix, clock };
};
const closeAll = (...hs: Harness[]) => Promise.all(hs.map((h) => h.server.close()));

describe('per-client limits in Redis, shared by two instances', () => {
  it('caps the live leases of one client across both instances: a flood spread over them takes no more than the cap', async () => {
    const { a, b } = await twoInstances({ perMinute: 1e6, burst: 1e6, leases: 10 });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? b : a).pool('assign', { session: sessionId(`flood${i}`), targets: [TARGET] }, FLOODER),
      ),
    );
    const given = answers.filter((x) => x.status === 200);
    expect(given.length).toBe(10);
    expect(answers.filter((x) => x.status === 429).length).toBe(190);
    // Both instances refused: the count is one, not one per instance.
    expect(answers.filter((x, i) => i % 2 === 0 && x.status === 429).length).toBeGreaterThan(0);
    expect(answers.filter((x, i) => i % 2 === 1 && x.status === 429).length).toBeGreaterThan(0);
    // Another visitor still gets a number, on either instance.
    expect((await a.pool('assign', { session: sessionId('reala'), targets: [TARGET] }, '192.0.2.10')).body.status).toBe(
      'ok',
    );
    expect((await b.pool('assign', { session: sessionId('realb'), targets: [TARGET] }, '192.0.2.11')).body.status).toBe(
      'ok',
    );
    await closeAll(a, b);
  }, 60_000);

  it('a lease released on one instance frees its place on the other; one still held always renews', async () => {
    const { a, b } = await twoInstances({ perMinute: 1e6, burst: 1e6, leases: 2 });
    const first = await a.pool('assign', { session: sessionId('p1'), targets: [TARGET] }, FLOODER);
    expect((await b.pool('assign', { session: sessionId('p2'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    expect((await a.pool('assign', { session: sessionId('p3'), targets: [TARGET] }, FLOODER)).status).toBe(429);
    // A session the client holds is never refused (a reload asks assign again, naming its lease).
    expect(
      (await b.pool('assign', { session: sessionId('p1'), targets: [TARGET], lease: first.body.lease }, FLOODER))
        .status,
    ).toBe(200);
    expect((await b.pool('release', { session: sessionId('p1'), lease: first.body.lease }, FLOODER)).status).toBe(204);
    expect((await a.pool('assign', { session: sessionId('p3'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    await closeAll(a, b);
  });

  it('an expired lease frees its place on both instances', async () => {
    const { a, b, clock } = await twoInstances({ perMinute: 1e6, burst: 1e6, leases: 1 });
    expect((await a.pool('assign', { session: sessionId('e1'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    expect((await b.pool('assign', { session: sessionId('e2'), targets: [TARGET] }, FLOODER)).status).toBe(429);
    clock.advance(61_000);
    expect((await b.pool('assign', { session: sessionId('e2'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    await closeAll(a, b);
  });

  it('rate-limits one client across both instances', async () => {
    const { a, b, clock } = await twoInstances({ perMinute: 60, burst: 6, leases: 100 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(
        (await (i % 2 ? b : a).pool('assign', { session: sessionId(`r${i}`), targets: [TARGET] }, FLOODER)).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    // One more per second, on whichever instance.
    clock.advance(1000);
    expect((await b.pool('assign', { session: sessionId('r8'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    expect((await a.pool('assign', { session: sessionId('r9'), targets: [TARGET] }, FLOODER)).status).toBe(429);
    await closeAll(a, b);
  });

  it('keeps only keyed hashes of the client in Redis, expiring within minutes: never the address', async () => {
    const { a, b, prefix } = await twoInstances({ perMinute: 60, burst: 30, leases: 20 });
    await a.pool('assign', { session: sessionId('h1'), targets: [TARGET] }, FLOODER);
    await b.pool('assign', { session: sessionId('h2'), targets: [TARGET] }, FLOODER);
    const keys = await inspect.keys(`${prefix}client:*`);
    expect(keys.map((k) => k.slice(prefix.length).replace(/:[\w-]{22}$/, ':<hash>')).sort()).toEqual([
      'client:held:<hash>',
      'client:rate:<hash>',
    ]);
    const dump: string[] = [...keys];
    for (const key of keys) {
      const ttl = await inspect.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      dump.push(
        JSON.stringify(
          (await inspect.type(key)) === 'hash'
            ? await inspect.hgetall(key)
            : await inspect.zrange(key, 0, -1, 'WITHSCORES'),
        ),
      );
    }
    // Nowhere under the prefix: not in a key, not in a value (the whole keyspace of this pool).
    for (const key of await inspect.keys(`${prefix}*`)) {
      const type = await inspect.type(key);
      if (type === 'string') dump.push(key, (await inspect.get(key)) ?? '');
      else if (type === 'hash') dump.push(key, JSON.stringify(await inspect.hgetall(key)));
      else if (type === 'set') dump.push(key, JSON.stringify(await inspect.smembers(key)));
      else dump.push(key, JSON.stringify(await inspect.zrange(key, 0, -1)));
    }
    const text = dump.join('\n');
    expect(text).not.toContain(FLOODER);
    expect(text).not.toContain(TOKEN);
    await closeAll(a, b);
  });

  it('without a client secret or token, each instance keeps its own key and says so', async () => {
    const { a, b } = await twoInstances({ perMinute: 1e6, burst: 1e6, leases: 1 }, {});
    expect(a.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('per instance') }),
    );
    expect((await a.pool('assign', { session: sessionId('n1'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    expect((await b.pool('assign', { session: sessionId('n2'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    await closeAll(a, b);
  });

  it('with a client secret, instances with different tokens still share the limits', async () => {
    const prefix = `s${randomBytes(6).toString('hex')}:`;
    const pool = { numbers: { [TARGET]: trackingNumbers(10) } };
    const clock = createClock();
    const open = async (token: string) =>
      createHarness({
        leases: await redisStore(pool, prefix),
        records: await createSqliteRecordStore({ file: ':memory:' }),
        limits: { leases: 1, secret: 'shared-client-secret' },
        token,
        clock,
      });
    const [a, b] = await Promise.all([open('token-a'), open('token-b')]);
    expect(a.logs.filter((l) => l.level === 'warn')).toEqual([]);
    expect((await a.pool('assign', { session: sessionId('c1'), targets: [TARGET] }, FLOODER)).status).toBe(200);
    expect((await b.pool('assign', { session: sessionId('c2'), targets: [TARGET] }, FLOODER)).status).toBe(429);
    await closeAll(a, b);
  });
});

describe.each(['memory', 'redis'])('the lease cap on the %s store', (kind) => {
  it('is not freed by a release naming an invented lease', async () => {
    const pool = { numbers: { [TARGET]: trackingNumbers(10) } };
    const leases =
      kind === 'memory' ? createMemoryLeaseStore(pool) : await redisStore(pool, `i${randomBytes(6).toString('hex')}:`);
    const h = createHarness({
      leases,
      records: await createSqliteRecordStore({ file: ':memory:' }),
      limits: { leases: 2 },
      token: TOKEN,
    });
    for (const s of ['i1', 'i2'])
      expect((await h.pool('assign', { session: sessionId(s), targets: [TARGET] }, FLOODER)).status).toBe(200);
    // The session is known (the flooder made it); the lease id is not: nothing is released.
    expect((await h.pool('release', { session: sessionId('i1'), lease: 'x'.repeat(24) }, FLOODER)).status).toBe(404);
    expect(
      (await h.pool('release', { session: sessionId('i1'), lease: 'x'.repeat(24), forget: true }, FLOODER)).status,
    ).toBe(404);
    expect((await h.pool('assign', { session: sessionId('i3'), targets: [TARGET] }, FLOODER)).status).toBe(429);
    await h.server.close();
  });
});

describe('CLI', () => {
  it('reads the client secret from CONSENTLINE_CLIENT_SECRET only (a flag would show in ps)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentline-limits-'));
    const numbers = join(dir, 'numbers.json');
    writeFileSync(numbers, JSON.stringify({ numbers: { [TARGET]: trackingNumbers(2) } }));
    expect(readServerConfig(['--numbers', numbers], { CONSENTLINE_CLIENT_SECRET: 'shh' }).limits).toEqual({
      perMinute: 60,
      burst: 30,
      leases: 20,
      secret: 'shh',
    });
    expect(readServerConfig(['--numbers', numbers], {}).limits.secret).toBeUndefined();
    expect(() => readServerConfig(['--numbers', numbers, '--client-secret', 'shh'], {})).toThrow('client-secret');
    rmSync(dir, { recursive: true, force: true });
  });
});
