// The session pool as the browser SDK sees it, on each lease store (memory, and a real Redis):
// the protocol's shapes, idempotent assign, lease id and session together, quarantine, overflow,
// exhausted targets, and a flood of invented sessions that must not empty the pool.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePoolReply } from '../../src/dni/pool';
import {
  createMemoryLeaseStore,
  createSqliteRecordStore,
  RecordStoreUnavailable,
  type LeaseStore,
  type PoolConfig,
} from '../../src/server/index';
import {
  connectRedisLeaseStore,
  createHarness,
  OTHER_TARGET,
  sessionId,
  T0,
  TARGET,
  trackingNumbers,
  type Harness,
} from './support/harness';
import { startRedis, type RedisInstance } from './support/services';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

const stores: Record<string, (pool: PoolConfig) => Promise<LeaseStore>> = {
  memory: async (pool) => createMemoryLeaseStore(pool),
  redis: (pool) => connectRedisLeaseStore(redis.url, pool, `t${randomBytes(6).toString('hex')}:`),
};

describe.each(Object.keys(stores))('pool protocol on the %s lease store', (kind) => {
  const open = async (
    pool: PoolConfig,
    extra: { dev?: boolean; origins?: string[]; limits?: object } = {},
  ): Promise<Harness> => {
    const leases = await (stores[kind] as (p: PoolConfig) => Promise<LeaseStore>)(pool);
    return createHarness({ leases, records: await createSqliteRecordStore({ file: ':memory:' }), ...extra });
  };
  const three = { numbers: { [TARGET]: trackingNumbers(3) }, ttl: 60, quarantine: 30 };

  it('answers assign in the shape the browser client accepts, and the same lease to the session naming it', async () => {
    const h = await open(three);
    const first = await h.pool('assign', {
      session: sessionId(1),
      targets: [TARGET],
      context: { id: sessionId(1), f: { t: 1, p: '/', q: { utm_source: 'google' } } },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(parsePoolReply(first.body, [TARGET])).toEqual(first.body);
    expect(first.body).toMatchObject({ ttl: 60, status: 'ok' });
    expect(trackingNumbers(3)).toContain(first.body.numbers[TARGET]);
    // 18 random bytes: a lease id is not guessable.
    expect(first.body.lease).toMatch(/^[\w-]{24}$/);
    const again = await h.pool('assign', { session: sessionId(1), targets: [TARGET], lease: first.body.lease });
    expect(again.body).toEqual(first.body);
    await h.server.close();
  });

  it('discloses a live lease only to whoever names it: a known session id alone gets 409 and changes nothing', async () => {
    const h = await open({ ...three, numbers: { [TARGET]: trackingNumbers(2) } });
    const holder = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const mine = holder.body.numbers[TARGET];
    for (const lease of [undefined, 'x'.repeat(24)]) {
      const taker = await h.pool(
        'assign',
        { session: sessionId(1), targets: [TARGET], ...(lease && { lease }) },
        '198.51.100.9',
      );
      expect(taker.status).toBe(409);
      expect(JSON.stringify(taker.body)).not.toContain(holder.body.lease);
      expect(JSON.stringify(taker.body)).not.toContain(mine);
    }
    expect((await h.pool('assign', { session: sessionId(1), targets: [TARGET], lease: '<b>' })).status).toBe(400);
    // The holder's lease is untouched: it renews with its number, and naming it gets it back.
    h.clock.advance(30_000);
    const renewed = await h.pool('renew', { session: sessionId(1), lease: holder.body.lease, targets: [TARGET] });
    expect(renewed.body).toEqual(holder.body);
    expect(
      (await h.pool('assign', { session: sessionId(1), targets: [TARGET], lease: holder.body.lease })).body,
    ).toEqual(holder.body);
    // No number went to the refused calls: the one left goes to the next visitor.
    expect((await h.pool('assign', { session: sessionId(2), targets: [TARGET] })).body.status).toBe('ok');
    expect((await h.pool('assign', { session: sessionId(3), targets: [TARGET] })).body.status).toBe('exhausted');
    await h.server.close();
  });

  it('keeps one session to one lease: a flood re-assigning a known session takes no number', async () => {
    const h = await open(
      { numbers: { [TARGET]: trackingNumbers(3) } },
      { limits: { perMinute: 1e6, burst: 1e6, leases: 1000 } },
    );
    const holder = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        h.pool('assign', { session: sessionId(1), targets: [TARGET] }, `198.51.100.${i}`),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(409));
    expect((await h.pool('renew', { session: sessionId(1), lease: holder.body.lease })).body.numbers).toEqual(
      holder.body.numbers,
    );
    const others = await Promise.all([2, 3].map((n) => h.pool('assign', { session: sessionId(n), targets: [TARGET] })));
    expect(others.map((o) => o.body.status)).toEqual(['ok', 'ok']);
    await h.server.close();
  });

  it('gives a new lease to a session whose lease ended, whatever lease it names', async () => {
    const h = await open(three);
    const first = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    await h.pool('release', { session: sessionId(1), lease: first.body.lease });
    const next = await h.pool('assign', { session: sessionId(1), targets: [TARGET], lease: first.body.lease });
    expect(next.status).toBe(200);
    expect(next.body.lease).not.toBe(first.body.lease);
    h.clock.advance(61_000);
    const later = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    expect(later.status).toBe(200);
    expect(later.body.lease).not.toBe(next.body.lease);
    await h.server.close();
  });

  it('times a lease from when its request arrived whole, not from its first byte', async () => {
    const h = await open(three);
    const assign = h.slow('/v1/pool/assign', { session: sessionId(1), targets: [TARGET] });
    h.clock.advance(20_000);
    assign.arrive();
    const { body } = await assign.done;
    h.clock.advance(60_000 - 1);
    const renewed = await h.pool('renew', { session: sessionId(1), lease: body.lease });
    expect(renewed.status).toBe(200);
    await h.server.close();
  });

  it('renews only with the lease id and its session together, and answers 404 once the lease ran out', async () => {
    const h = await open(three);
    const { body } = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    expect((await h.pool('renew', { session: sessionId(2), lease: body.lease, targets: [TARGET] })).status).toBe(404);
    expect((await h.pool('renew', { session: sessionId(1), lease: 'x'.repeat(24), targets: [TARGET] })).status).toBe(
      404,
    );
    expect((await h.pool('renew', { session: sessionId(1), lease: body.lease, targets: 'nope' })).status).toBe(400);
    h.clock.advance(59_000);
    const renewed = await h.pool('renew', { session: sessionId(1), lease: body.lease, targets: [TARGET] });
    expect(renewed.status).toBe(200);
    expect(renewed.body.numbers).toEqual(body.numbers);
    h.clock.advance(60_000);
    expect((await h.pool('renew', { session: sessionId(1), lease: body.lease })).status).toBe(404);
    await h.server.close();
  });

  it('releases only with the lease id and its session: a known session id alone frees nothing', async () => {
    const h = await open({ ...three, numbers: { [TARGET]: trackingNumbers(1) } });
    const { body } = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    expect((await h.pool('release', { session: sessionId(1), lease: 'y'.repeat(24) })).status).toBe(404);
    expect((await h.pool('release', { session: sessionId(9), lease: body.lease })).status).toBe(404);
    expect((await h.pool('assign', { session: sessionId(2), targets: [TARGET] })).body.status).toBe('exhausted');
    expect((await h.pool('release', { session: sessionId(1), lease: body.lease })).status).toBe(204);
    expect((await h.pool('release', { session: sessionId(1), lease: body.lease })).status).toBe(404);
    await h.server.close();
  });

  it('rests a released number in quarantine, then gives it to a waiting visitor at their renewal', async () => {
    const h = await open({ ...three, numbers: { [TARGET]: trackingNumbers(1) } });
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const b = await h.pool('assign', { session: sessionId(2), targets: [TARGET] });
    expect(b.body).toMatchObject({ numbers: {}, status: 'exhausted' });
    await h.pool('release', { session: sessionId(1), lease: a.body.lease });
    h.clock.advance(29_999);
    expect((await h.pool('renew', { session: sessionId(2), lease: b.body.lease, targets: [TARGET] })).body.status).toBe(
      'exhausted',
    );
    h.clock.advance(1);
    const later = await h.pool('renew', { session: sessionId(2), lease: b.body.lease, targets: [TARGET] });
    expect(later.body).toMatchObject({ numbers: { [TARGET]: trackingNumbers(1)[0] }, status: 'ok' });
    await h.server.close();
  });

  it("rests an expired lease's number from the moment the lease ended", async () => {
    const h = await open({ ...three, numbers: { [TARGET]: trackingNumbers(1) } });
    await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    h.clock.advance(60_000 + 29_999);
    expect((await h.pool('assign', { session: sessionId(2), targets: [TARGET] })).body.status).toBe('exhausted');
    h.clock.advance(1);
    expect((await h.pool('assign', { session: sessionId(3), targets: [TARGET] })).body.status).toBe('ok');
    await h.server.close();
  });

  it('frees each number at the end of its own rest, whichever rest was noted first', async () => {
    const h = await open({ ...three, numbers: { [TARGET]: trackingNumbers(2) } });
    const first = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    h.clock.advance(50_000);
    const second = await h.pool('assign', { session: sessionId(2), targets: [TARGET] });
    // The first lease ran out at 60 s (its number rests to 90 s); the second is released at 65 s
    // (its number rests to 95 s) before anything noticed the first had ended.
    h.clock.advance(15_000);
    expect((await h.pool('release', { session: sessionId(2), lease: second.body.lease })).status).toBe(204);
    h.clock.advance(26_000);
    const third = await h.pool('assign', { session: sessionId(3), targets: [TARGET] });
    expect([third.body.status, third.body.numbers[TARGET]]).toEqual(['ok', first.body.numbers[TARGET]]);
    await h.server.close();
  });

  it('hands out the overflow number when the pool is full and keeps it for the lease', async () => {
    const h = await open({
      numbers: { [TARGET]: trackingNumbers(1) },
      overflow: { [TARGET]: '+18009990000' },
      quarantine: 0,
    });
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const b = await h.pool('assign', { session: sessionId(2), targets: [TARGET] });
    expect(b.body).toMatchObject({ numbers: { [TARGET]: '+18009990000' }, status: 'overflow' });
    await h.pool('release', { session: sessionId(1), lease: a.body.lease });
    h.clock.advance(1000);
    const renewed = await h.pool('renew', { session: sessionId(2), lease: b.body.lease, targets: [TARGET] });
    expect(renewed.body).toMatchObject({ numbers: { [TARGET]: '+18009990000' }, status: 'overflow' });
    await h.server.close();
  });

  it('answers only the targets asked, and a renewal naming a new target fills it', async () => {
    const h = await open({ numbers: { [TARGET]: trackingNumbers(2), [OTHER_TARGET]: trackingNumbers(2, 100) } });
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    expect(Object.keys(a.body.numbers)).toEqual([TARGET]);
    const b = await h.pool('renew', { session: sessionId(1), lease: a.body.lease, targets: [OTHER_TARGET] });
    expect(Object.keys(b.body.numbers)).toEqual([OTHER_TARGET]);
    const c = await h.pool('renew', { session: sessionId(1), lease: a.body.lease, targets: [TARGET, OTHER_TARGET] });
    expect(c.body.numbers[TARGET]).toBe(a.body.numbers[TARGET]);
    expect(c.body.numbers[OTHER_TARGET]).toBe(b.body.numbers[OTHER_TARGET]);
    await h.server.close();
  });

  it('never leaves a number granted at a renewal or a second assign without a record, when the record write fails', async () => {
    for (const op of ['renew', 'assign'] as const) {
      const leases = await (stores[kind] as (p: PoolConfig) => Promise<LeaseStore>)({
        numbers: { [TARGET]: trackingNumbers(2), [OTHER_TARGET]: trackingNumbers(2, 100) },
      });
      const records = await createSqliteRecordStore({ file: ':memory:' });
      let down = false;
      const unavailable = () => Promise.reject(new RecordStoreUnavailable('down'));
      const h = createHarness({
        leases,
        records: {
          ...records,
          startPeriods: (periods) => (down ? unavailable() : records.startPeriods(periods)),
          endPeriods: (lease, to) => (down ? unavailable() : records.endPeriods(lease, to)),
        },
        token: 'pool-token',
      });
      const session = sessionId(1);
      const a = await h.pool('assign', { session, targets: [TARGET] });
      const both = { session, lease: a.body.lease, targets: [TARGET, OTHER_TARGET] };
      down = true;
      expect((await h.pool(op, both)).status).toBe(503);
      down = false;
      // As the SDK goes on, a moment later: its renewal, and on 404 an assign naming the lease.
      h.clock.advance(1000);
      let page = await h.pool('renew', { session, lease: a.body.lease });
      if (page.status === 404) page = await h.pool('assign', both);
      expect(page.status).toBe(200);
      for (const [target, number] of Object.entries(page.body.numbers as Record<string, string>)) {
        const at = new Date(h.clock.now()).toISOString();
        const found = await h.get(`/v1/attribution?number=${encodeURIComponent(number)}&at=${at}`, 'pool-token');
        expect([op, target, found.body.matches.length]).toEqual([op, target, 1]);
      }
      await h.server.close();
    }
  });

  it("refuses malformed bodies with 400 and bodies over 16 KB with 413; takes the SDK's largest assign (500 targets)", async () => {
    const h = await open(three);
    for (const body of [
      '{',
      '[]',
      { session: 1, targets: [TARGET] },
      { session: '<b>x</b>', targets: [TARGET] },
      { session: sessionId(1), targets: ['555'] },
      { session: sessionId(1), targets: [] },
    ]) {
      expect((await h.pool('assign', body)).status).toBe(400);
    }
    expect(
      (await h.pool('assign', { session: sessionId(1), targets: [TARGET], context: 'x'.repeat(17_000) })).status,
    ).toBe(413);
    const many = Array.from({ length: 500 }, (_, i) => `+1555${String(i).padStart(7, '0')}`);
    expect((await h.pool('assign', { session: sessionId(2), targets: [TARGET, ...many.slice(1)] })).status).toBe(200);
    expect((await h.pool('assign', { session: sessionId(3), targets: [TARGET, ...many] })).status).toBe(400);
    await h.server.close();
  });

  it('lists no state without the dev flag', async () => {
    const h = await open(three);
    await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    expect((await h.get('/v1/pool/state')).status).toBe(404);
    await h.server.close();
  });

  it('counts an IPv6 /64 as one client: new addresses in it do not get around the cap', async () => {
    const h = await open(
      { numbers: { [TARGET]: trackingNumbers(50) } },
      { limits: { perMinute: 600, burst: 1000, leases: 20 } },
    );
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        h.pool(
          'assign',
          { session: sessionId(`v6${i}`), targets: [TARGET] },
          `2001:db8:1:2:${i.toString(16)}::${i + 1}`,
        ),
      ),
    );
    expect(answers.filter((a) => a.status === 200 && a.body.status === 'ok').length).toBe(20);
    const neighbour = await h.pool('assign', { session: sessionId('v6other'), targets: [TARGET] }, '2001:db8:1:3::1');
    expect(neighbour.body.status).toBe('ok');
    await h.server.close();
  });

  it('keeps a flood of invented sessions from one client from emptying the pool', async () => {
    const h = await open(
      { numbers: { [TARGET]: trackingNumbers(50) } },
      { limits: { perMinute: 600, burst: 1000, leases: 20 } },
    );
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        h.pool('assign', { session: sessionId(`flood${i}`), targets: [TARGET] }, '198.51.100.66'),
      ),
    );
    const given = answers.filter((a) => a.status === 200 && a.body.status === 'ok');
    expect(given.length).toBe(20);
    expect(answers.filter((a) => a.status === 429).length).toBe(480);
    // Another visitor still gets a number of their own.
    const visitor = await h.pool('assign', { session: sessionId('real'), targets: [TARGET] }, '192.0.2.10');
    expect(visitor.body.status).toBe('ok');
    // The flooding client's own sessions still renew.
    const firstOwn = given[0]?.body;
    expect(
      (await h.pool('assign', { session: sessionId('flood0'), targets: [TARGET] }, '198.51.100.66')).status,
    ).not.toBe(500);
    expect(firstOwn.lease).toBeTruthy();
    await h.server.close();
  }, 60_000);

  it('rate-limits assign per client', async () => {
    const h = await open(three, { limits: { perMinute: 60, burst: 5, leases: 100 } });
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await h.pool('assign', { session: sessionId(i), targets: [TARGET] }, '198.51.100.1')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    h.clock.advance(1000);
    expect((await h.pool('assign', { session: sessionId(7), targets: [TARGET] }, '198.51.100.1')).status).toBe(200);
    await h.server.close();
  });

  it('rate-limits renew and release per client, from an allowance of their own', async () => {
    const h = await open(three, { limits: { perMinute: 60, burst: 3, leases: 100 } });
    const client = '198.51.100.2';
    const { body } = await h.pool('assign', { session: sessionId(1), targets: [TARGET] }, client);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await h.pool('renew', { session: sessionId(1), lease: 'x'.repeat(24) }, client)).status);
    statuses.push((await h.pool('renew', { session: sessionId(1), lease: body.lease }, client)).status);
    statuses.push((await h.pool('release', { session: sessionId(1), lease: body.lease }, client)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    // Assigns draw from the other allowance, and other clients from their own.
    expect((await h.pool('assign', { session: sessionId(2), targets: [TARGET] }, client)).status).toBe(200);
    expect((await h.pool('renew', { session: sessionId(1), lease: body.lease }, '192.0.2.50')).status).toBe(200);
    h.clock.advance(1000);
    expect((await h.pool('release', { session: sessionId(1), lease: body.lease }, client)).status).toBe(204);
    await h.server.close();
  });

  it('never refuses a withdrawal for the rate limit: the SDK sends it once', async () => {
    const h = await open(three);
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    // Pages behind the same address have used up the renewals' allowance.
    let status = 200;
    while (status === 200) status = (await h.pool('renew', { session: sessionId(1), lease: a.body.lease })).status;
    expect(status).toBe(429);
    expect((await h.pool('release', { session: sessionId(1), lease: a.body.lease })).status).toBe(429);
    const forget = { session: sessionId(1), lease: a.body.lease, forget: true };
    expect((await h.pool('release', forget)).status).toBe(204);
    expect((await h.pool('release', forget)).status).toBe(404);
    await h.server.close();
  });

  it('refuses the browser endpoints when the host passes no client address: no allowance is shared', async () => {
    const h = await open(
      { ...three, numbers: { [TARGET]: trackingNumbers(1) } },
      { limits: { perMinute: 60, burst: 1, leases: 100 } },
    );
    const { body } = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const post = async (path: string, value: unknown, info?: { address?: string }) =>
      (
        await h.server.fetch(
          new Request(`http://consentline.test${path}`, { method: 'POST', body: JSON.stringify(value) }),
          info,
        )
      ).status;
    for (const info of [undefined, {}, { address: '' }, { address: ' ' }]) {
      expect(await post('/v1/pool/assign', { session: sessionId(2), targets: [TARGET] }, info)).toBe(500);
      expect(await post('/v1/pool/renew', { session: sessionId(1), lease: body.lease }, info)).toBe(500);
      expect(await post('/v1/pool/release', { session: sessionId(1), lease: body.lease }, info)).toBe(500);
      expect(await post('/v1/receipts', {}, info)).toBe(500);
    }
    expect(h.logs.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('no client address') }),
    ]);
    // Nothing was taken or released: the holder still renews, and callers with an address each have their own allowance.
    expect((await h.pool('renew', { session: sessionId(1), lease: body.lease })).body.numbers).toEqual(body.numbers);
    expect((await h.pool('assign', { session: sessionId(3), targets: [TARGET] }, '192.0.2.60')).status).toBe(200);
    expect((await h.pool('assign', { session: sessionId(4), targets: [TARGET] }, '192.0.2.61')).status).toBe(200);
    expect((await h.server.fetch(new Request('http://consentline.test/healthz'))).status).toBe(200);
    await h.server.close();
  });

  it('with allowed origins, answers them by name and refuses others', async () => {
    const h = await open(three, { origins: ['https://shop.example'] });
    const allowed = await h.post(
      '/v1/pool/assign',
      { session: sessionId(1), targets: [TARGET] },
      { headers: { origin: 'https://shop.example' } },
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const refused = await h.post(
      '/v1/pool/assign',
      { session: sessionId(2), targets: [TARGET] },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(refused.status).toBe(403);
    await h.server.close();
  });

  it('logs one line per request with no address, session, lease or number', async () => {
    const h = await open(three);
    const { body } = await h.pool('assign', {
      session: sessionId(7),
      targets: [TARGET],
      context: { f: { t: 1, p: '/landing', q: { gclid: 'abc' } } },
    });
    await h.pool('release', { session: sessionId(7), lease: body.lease });
    const text = JSON.stringify(h.logs);
    for (const secret of [sessionId(7), body.lease, '203.0.113.7', body.numbers[TARGET], 'gclid', '/landing'])
      expect(text).not.toContain(secret);
    expect(h.logs.filter((l) => l.route)).toEqual([
      expect.objectContaining({ method: 'POST', route: '/v1/pool/assign', status: 200 }),
      expect.objectContaining({ method: 'POST', route: '/v1/pool/release', status: 204 }),
    ]);
    await h.server.close();
  });
});

describe('a spread-out flood on each lease store', () => {
  // 500 targets, as many as a body may name, all but one invented.
  const invented = Array.from({ length: 499 }, (_, i) => `+1999${String(i).padStart(7, '0')}`);

  it('keeps of each lease only the targets the pool serves, on the memory store', async () => {
    const leases = createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(1) } });
    const made = await leases.assign({
      session: sessionId(1),
      targets: [...invented, TARGET],
      id: 'L'.repeat(24),
      now: T0,
    });
    expect(made.kind === 'ok' && made.lease.asked).toEqual([TARGET]);
    const renewed = await leases.renew({ session: sessionId(1), lease: 'L'.repeat(24), targets: invented, now: T0 });
    expect(renewed.kind === 'ok' && renewed.lease.asked).toEqual([]);
    expect(await leases.inspect?.()).toMatchObject({ leases: [{ asked: [] }] });
  });

  it('keeps of each lease only the targets the pool serves, on Redis', async () => {
    const prefix = `t${randomBytes(6).toString('hex')}:`;
    const pool = { numbers: { [TARGET]: trackingNumbers(1) }, overflow: { [OTHER_TARGET]: '+18009990000' } };
    const leases = await connectRedisLeaseStore(redis.url, pool, prefix);
    const id = 'L'.repeat(24);
    await leases.assign({ session: sessionId(1), targets: [...invented, OTHER_TARGET, TARGET], id, now: T0 });
    const reader = new Redis(redis.url);
    expect(JSON.parse((await reader.hget(`${prefix}lease:${id}`, 'asked')) ?? '')).toEqual([OTHER_TARGET, TARGET]);
    await leases.renew({ session: sessionId(1), lease: id, targets: invented, now: T0 });
    expect(await reader.hget(`${prefix}lease:${id}`, 'asked')).toBe('{}');
    reader.disconnect();
    await leases.close();
  });

  it('holds at most clients × client leases, and the newcomers their one shared cap, in memory', async () => {
    const leases = createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } });
    const h = createHarness({
      leases,
      records: await createSqliteRecordStore({ file: ':memory:' }),
      limits: { clients: 40, leases: 3, perMinute: 1000, burst: 1000 },
    });
    let taken = 0;
    for (let client = 0; client < 200; client++) {
      for (let s = 0; s < 5; s++) {
        const address = `2001:db8:${client.toString(16)}::1`;
        const reply = await h.pool('assign', { session: sessionId(`f${client}x${s}`), targets: [TARGET] }, address);
        if (reply.status === 200) taken++;
      }
    }
    expect(taken).toBe(40 * 3 + 3);
    const state = (await leases.inspect?.()) as { leases: unknown[] } | undefined;
    expect(state?.leases).toHaveLength(40 * 3 + 3);
    await h.server.close();
  });
});

describe.each(Object.keys(stores))('a flood of sessions from many clients on the %s lease store', (kind) => {
  it("holds at most the pool's numbers plus its overflow leases, and takes new ones as they end", async () => {
    const pool = {
      numbers: { [TARGET]: trackingNumbers(2) },
      overflow: { [TARGET]: '+18009990000' },
      ttl: 60,
      quarantine: 30,
      overflowLeases: 5,
    };
    const leases = await (stores[kind] as (p: PoolConfig) => Promise<LeaseStore>)(pool);
    const h = createHarness({
      leases,
      records: await createSqliteRecordStore({ file: ':memory:' }),
      limits: { leases: 3, perMinute: 1000, burst: 1000 },
    });
    const flood = async (round: string) => {
      const answers: Record<number, number> = {};
      const kept: { session: string; lease: string; status: string }[] = [];
      for (let client = 0; client < 50; client++) {
        for (let s = 0; s < 3; s++) {
          const session = sessionId(`${round}${client}x${s}`);
          const address = `2001:db8:${client.toString(16)}::1`;
          const reply = await h.pool('assign', { session, targets: [TARGET] }, address);
          answers[reply.status] = (answers[reply.status] ?? 0) + 1;
          if (reply.status === 200) kept.push({ session, lease: reply.body.lease, status: reply.body.status });
        }
      }
      return { answers, kept };
    };
    const first = await flood('a');
    expect(first.answers).toEqual({ 200: 7, 429: 143 });
    expect(first.kept.map((k) => k.status).sort()).toEqual([
      'ok',
      'ok',
      'overflow',
      'overflow',
      'overflow',
      'overflow',
      'overflow',
    ]);
    // Every lease answered lives: its renewal keeps it.
    for (const { session, lease } of first.kept) expect((await h.pool('renew', { session, lease })).status).toBe(200);
    // One overflow lease ends: one place more, and no more than that.
    const shared = first.kept.find((k) => k.status === 'overflow');
    expect((await h.pool('release', { session: shared?.session, lease: shared?.lease })).status).toBe(204);
    expect((await flood('b')).answers).toEqual({ 200: 1, 429: 149 });
    // Once every lease ran out, and the numbers rested, the pool takes as many again.
    h.clock.advance(91_000);
    expect((await flood('c')).answers).toEqual({ 200: 7, 429: 143 });
    await h.server.close();
  });
});

describe('pool state for developers', () => {
  it('lists live leases at /v1/pool/state with the dev flag (memory store)', async () => {
    const h = createHarness({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(2) } }),
      records: await createSqliteRecordStore({ file: ':memory:' }),
      dev: true,
    });
    await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const state = await h.get('/v1/pool/state');
    expect(state.status).toBe(200);
    expect(state.body.leases).toHaveLength(1);
    await h.server.close();
  });
});
