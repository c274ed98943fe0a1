// Attribution, withdrawal, retention and consent receipts, on each record store (SQLite, and a
// real PostgreSQL), with the read APIs' token checks; the two engines' answers compared; and
// PostgreSQL restarted under a running server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createMemoryLeaseStore,
  createPostgresRecordStore,
  createSqliteRecordStore,
  type LeasePeriod,
  type RecordStore,
} from '../../src/server/index';
import {
  createHarness,
  OTHER_TARGET,
  sessionId,
  T0,
  TARGET,
  trackingNumbers,
  type Harness,
  recordStoreMakers,
} from './support/harness';
import { usePostgres } from './support/services';

const postgres = usePostgres();

const TOKEN = 'test-token-5f1c9a';
const stores = recordStoreMakers(postgres, 't');

const receipt = (id: string, extra: Record<string, unknown> = {}) => ({
  v: 1,
  id,
  time: new Date(T0 - 1000).toISOString(),
  revision: 2,
  grants: { analytics: true, advertising: false },
  method: 'banner',
  gpc: false,
  origin: 'https://shop.example',
  ...extra,
});

// A database as written before leases kept when their visit began: its leases table without the column.
const OLD_LEASES =
  'CREATE TABLE %s (lease text PRIMARY KEY, session text NOT NULL, visit text NOT NULL, ends bigint NOT NULL)';
const oldStores: Record<string, () => Promise<RecordStore>> = {
  sqlite: async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'consentline-old-')), 'records.db');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    db.exec(OLD_LEASES.replace('%s', 'leases'));
    db.prepare('INSERT INTO leases VALUES (?, ?, ?, ?)').run('h1', sessionId(7), 'h1', T0 + 60_000);
    db.close();
    return createSqliteRecordStore({ file });
  },
  postgres: async () => {
    const url = await postgres().createDatabase('old');
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(OLD_LEASES.replace('%s', 'consentline_leases'));
    await client.query('INSERT INTO consentline_leases VALUES ($1, $2, $3, $4)', [
      'h1',
      sessionId(7),
      'h1',
      T0 + 60_000,
    ]);
    await client.end();
    return createPostgresRecordStore({ url, timeout: 10_000 });
  },
};

describe.each(Object.keys(stores))('records on %s', (kind) => {
  const open = async (
    extra: {
      token?: string | undefined;
      retentionDays?: number;
      receiptRetentionDays?: number;
      overflow?: Record<string, string>;
    } = { token: TOKEN },
  ): Promise<Harness> =>
    createHarness({
      leases: createMemoryLeaseStore({
        numbers: { [TARGET]: trackingNumbers(1) },
        overflow: extra.overflow ?? {},
        ttl: 60,
        quarantine: 30,
      }),
      records: await (stores[kind] as () => Promise<RecordStore>)(),
      token: 'token' in extra ? extra.token : TOKEN,
      ...(extra.retentionDays ? { retentionDays: extra.retentionDays } : {}),
      ...(extra.receiptRetentionDays ? { receiptRetentionDays: extra.receiptRetentionDays } : {}),
    });
  const attribution = (h: Harness, number: string, at: number, token = TOKEN) =>
    h.get(`/v1/attribution?number=${encodeURIComponent(number)}&at=${new Date(at).toISOString()}`, token);
  const context = {
    id: sessionId(1),
    f: { t: T0, p: '/landing', q: { utm_source: 'google', utm_medium: 'cpc' }, r: 'www.google.com' },
    ip: '203.0.113.7',
    ua: 'Mozilla',
  };

  it('attributes a call inside a lease, at its end and to the end of its rest, and not after', async () => {
    const h = await open();
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET], context });
    const number = a.body.numbers[TARGET];
    h.clock.advance(20_000);
    await h.pool('renew', { session: sessionId(1), lease: a.body.lease, targets: [TARGET] });
    const end = T0 + 20_000 + 60_000;
    const inside = await attribution(h, number, T0 + 10_000);
    expect(inside.status).toBe(200);
    expect(inside.body.matches).toEqual([
      {
        session: sessionId(1),
        target: TARGET,
        from: new Date(T0).toISOString(),
        to: new Date(end).toISOString(),
        // Only the touch fields the SDK sends: an ip or ua a client adds is never stored.
        context: { f: { t: T0, p: '/landing', q: { utm_source: 'google', utm_medium: 'cpc' }, r: 'www.google.com' } },
        confidence: 'exact',
      },
    ]);
    expect((await attribution(h, number, T0 - 1)).body.matches).toEqual([]);
    expect((await attribution(h, number, end)).body.matches).toHaveLength(1);
    expect((await attribution(h, number, end + 29_999)).body.matches).toHaveLength(1);
    expect((await attribution(h, number, end + 30_000)).body.matches).toEqual([]);
    await h.server.close();
  });

  it('keeps a visit context whose text was cut inside a character, without the half character', async () => {
    const h = await open();
    // Text is capped by UTF-16 units, by the SDK as here: a cap can fall inside an emoji.
    const long = `${'a'.repeat(99)}\u{1F600}`;
    const cut = { f: { t: T0, p: `/${'b'.repeat(198)}\u{1F600}`, q: { utm_campaign: long }, r: 'www.google.com' } };
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET], context: cut });
    expect(a.status).toBe(200);
    const { body } = await attribution(h, a.body.numbers[TARGET], T0 + 1000);
    expect(body.matches.map((m: { context: unknown }) => m.context)).toEqual([
      { f: { t: T0, p: `/${'b'.repeat(198)}`, q: { utm_campaign: 'a'.repeat(99) }, r: 'www.google.com' } },
    ]);
    await h.server.close();
  });

  it("ends a released lease's period at the release, and names the next holder alone after the rest", async () => {
    const h = await open();
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const number = a.body.numbers[TARGET];
    h.clock.advance(5_000);
    await h.pool('release', { session: sessionId(1), lease: a.body.lease });
    h.clock.advance(30_000);
    const b = await h.pool('assign', { session: sessionId(2), targets: [TARGET] });
    expect(b.body.numbers[TARGET]).toBe(number);
    const sessions = async (at: number) =>
      (await attribution(h, number, at)).body.matches.map((m: { session: string; confidence: string }) => [
        m.session,
        m.confidence,
      ]);
    // The number passes at the very millisecond its rest ends: from then on the next holder alone.
    expect(await sessions(T0 + 35_000 - 1)).toEqual([[sessionId(1), 'exact']]);
    expect(await sessions(T0 + 35_000)).toEqual([[sessionId(2), 'exact']]);
    expect((await attribution(h, number, T0 + 6_000)).body.matches.map((m: { to: string }) => m.to)).toEqual([
      new Date(T0 + 5_000).toISOString(),
    ]);
    await h.server.close();
  });

  // A record store whose next write of a lease's periods (their start or end) waits for the test.
  const gated = (records: RecordStore) => {
    let gate: { wait: Promise<void>; open: () => void } | undefined;
    const pass = async () => {
      const held = gate;
      gate = undefined;
      if (held) await held.wait;
    };
    const store: RecordStore = {
      ...records,
      startPeriods: async (...args) => {
        await pass();
        return records.startPeriods(...args);
      },
      endPeriods: async (...args) => {
        await pass();
        return records.endPeriods(...args);
      },
    };
    const arm = () => {
      let open = () => {};
      const wait = new Promise<void>((r) => {
        open = r;
      });
      gate = { wait, open };
      return gate;
    };
    return { store, arm };
  };

  // A lease whose renewal, answered by the lease store 10 s in, waits before its records are
  // written, until `open`; the clock is then a second later.
  const renewalHeldBack = async () => {
    const { store, arm } = gated(await (stores[kind] as () => Promise<RecordStore>)());
    const h = createHarness({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(1) }, ttl: 60, quarantine: 30 }),
      records: store,
      token: TOKEN,
    });
    const session = sessionId(1);
    const a = await h.pool('assign', { session, targets: [TARGET] });
    h.clock.advance(10_000);
    const held = arm();
    const renewal = h.pool('renew', { session, lease: a.body.lease });
    await new Promise((r) => setTimeout(r, 50));
    h.clock.advance(1_000);
    const lease = a.body.lease as string;
    return { h, session, lease, number: a.body.numbers[TARGET] as string, renewal, open: () => held.open() };
  };

  it('ends a lease at its release when a renewal answered before the release is recorded after it', async () => {
    const { h, session, lease, number, renewal, open } = await renewalHeldBack();
    expect((await h.pool('release', { session, lease })).status).toBe(204);
    open();
    // Answered after the release, it says what holds then: no lease.
    expect((await renewal).status).toBe(404);
    const { body } = await attribution(h, number, T0 + 1_000);
    expect(body.matches.map((m: { to: string }) => m.to)).toEqual([new Date(T0 + 11_000).toISOString()]);
    // After its rest the number is the next visitor's alone.
    h.clock.advance(30_000);
    await h.pool('assign', { session: sessionId(2), targets: [TARGET] });
    const later = await attribution(h, number, T0 + 11_000 + 30_000 + 5_000);
    expect(later.body.matches.map((m: { session: string }) => m.session)).toEqual([sessionId(2)]);
    await h.server.close();
  });

  it("keeps a lease's latest end when two renewals' records land in the other order", async () => {
    // Two tabs renew a second apart; the first one's record write is the slower.
    const { h, session, lease, number, renewal, open } = await renewalHeldBack();
    expect((await h.pool('renew', { session, lease })).status).toBe(200);
    open();
    expect((await renewal).status).toBe(200);
    // The lease ends at 71 s (the later renewal) and its number rests until 101 s: a call then is its.
    const end = T0 + 11_000 + 60_000;
    const { body } = await attribution(h, number, end + 29_500);
    expect(body.matches.map((m: { session: string; to: string }) => [m.session, m.to])).toEqual([
      [session, new Date(end).toISOString()],
    ]);
    await h.server.close();
  });

  it('ends at the release a number granted by a renewal recorded after the release', async () => {
    const { store, arm } = gated(await (stores[kind] as () => Promise<RecordStore>)());
    const h = createHarness({
      leases: createMemoryLeaseStore({
        numbers: { [TARGET]: trackingNumbers(1), [OTHER_TARGET]: trackingNumbers(1, 100) },
        ttl: 60,
        quarantine: 30,
      }),
      records: store,
      token: TOKEN,
    });
    const session = sessionId(1);
    const a = await h.pool('assign', { session, targets: [TARGET] });
    h.clock.advance(10_000);
    const held = arm();
    // The page now shows a second number: its renewal is given one, then the page goes.
    const renewal = h.pool('renew', { session, lease: a.body.lease, targets: [TARGET, OTHER_TARGET] });
    await new Promise((r) => setTimeout(r, 50));
    h.clock.advance(1_000);
    expect((await h.pool('release', { session, lease: a.body.lease })).status).toBe(204);
    held.open();
    expect((await renewal).status).toBe(404);
    const other = trackingNumbers(1, 100)[0] as string;
    const { body } = await attribution(h, other, T0 + 10_500);
    expect(body.matches.map((m: { to: string }) => m.to)).toEqual([new Date(T0 + 11_000).toISOString()]);
    await h.server.close();
  });

  it('answers every holder of an overflow number as shared', async () => {
    const h = await open({ token: TOKEN, overflow: { [TARGET]: '+18009990000' } });
    await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    await h.pool('assign', { session: sessionId(2), targets: [TARGET] });
    await h.pool('assign', { session: sessionId(3), targets: [TARGET] });
    const { body } = await attribution(h, '+18009990000', T0 + 1000);
    expect(body.matches.map((m: { session: string; confidence: string }) => [m.session, m.confidence])).toEqual([
      [sessionId(2), 'shared'],
      [sessionId(3), 'shared'],
    ]);
    await h.server.close();
  });

  it('gives no number a page may still show to another visitor after a restart that forgot the leases', async () => {
    const records = await (stores[kind] as () => Promise<RecordStore>)();
    const pool = { numbers: { [TARGET]: trackingNumbers(2) }, ttl: 60, quarantine: 30 };
    const before = createHarness({ leases: createMemoryLeaseStore(pool), records });
    const released = await before.pool('assign', { session: sessionId(1), targets: [TARGET] });
    await before.pool('release', { session: sessionId(1), lease: released.body.lease });
    const shown = await before.pool('assign', { session: sessionId(2), targets: [TARGET] });
    const number = shown.body.numbers[TARGET];
    before.clock.advance(31_000);
    // The process ends without a word; a new one starts on the same records, its leases empty.
    const after = createHarness({ leases: createMemoryLeaseStore(pool), records, clock: before.clock });
    const free = await after.pool('assign', { session: sessionId(3), targets: [TARGET] });
    expect([free.status, free.body.status, free.body.numbers[TARGET]]).toEqual([
      200,
      'ok',
      released.body.numbers[TARGET],
    ]);
    const during = await after.pool('assign', { session: sessionId(4), targets: [TARGET] });
    expect([during.status, during.body.status]).toEqual([200, 'exhausted']);
    // The page's lease ended at T0 + 60 s unless renewed, then its number rests 30 s.
    after.clock.set(T0 + 89_999);
    expect((await after.pool('assign', { session: sessionId(5), targets: [TARGET] })).body.status).toBe('exhausted');
    after.clock.set(T0 + 90_000);
    const later = await after.pool('assign', { session: sessionId(6), targets: [TARGET] });
    expect([later.body.status, later.body.numbers[TARGET]]).toEqual(['ok', number]);
    await after.server.close();
    await before.server.close();
  });

  it("deletes a session's records when the visitor withdraws (release with forget), even after the lease ran out", async () => {
    const h = await open();
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    const number = a.body.numbers[TARGET];
    expect((await h.pool('release', { session: sessionId(1), lease: 'z'.repeat(24), forget: true })).status).toBe(404);
    expect((await attribution(h, number, T0)).body.matches).toHaveLength(1);
    expect((await h.pool('release', { session: sessionId(1), lease: a.body.lease, forget: true })).status).toBe(204);
    expect((await attribution(h, number, T0)).body.matches).toEqual([]);

    h.clock.advance(30_000);
    const b = await h.pool('assign', { session: sessionId(2), targets: [TARGET] });
    expect(b.body.status).toBe('ok');
    h.clock.advance(10 * 60_000);
    expect((await h.pool('release', { session: sessionId(2), lease: b.body.lease })).status).toBe(404);
    expect((await h.pool('release', { session: sessionId(2), lease: b.body.lease, forget: 'yes' })).status).toBe(400);
    expect((await h.pool('release', { session: sessionId(2), lease: b.body.lease, forget: true })).status).toBe(204);
    expect((await attribution(h, b.body.numbers[TARGET], T0 + 60_000)).body.matches).toEqual([]);
    await h.server.close();
  });

  it('deletes lease periods after the retention days and receipts after theirs', async () => {
    const h = await open({ token: TOKEN, retentionDays: 2, receiptRetentionDays: 5 });
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET] });
    expect((await h.post('/v1/receipts', receipt('aaaaaaaa11'))).status).toBe(201);
    h.clock.advance(2 * 86_400_000 + 60_000);
    expect(await h.server.purge()).toEqual({ periods: 0, receipts: 0 });
    h.clock.advance(1);
    expect(await h.server.purge()).toEqual({ periods: 1, receipts: 0 });
    expect((await attribution(h, a.body.numbers[TARGET], T0)).body.matches).toEqual([]);
    h.clock.advance(3 * 86_400_000);
    expect(await h.server.purge()).toEqual({ periods: 0, receipts: 1 });
    expect((await h.get('/v1/receipts/aaaaaaaa11', TOKEN)).status).toBe(404);
    await h.server.close();
  });

  it('stores receipts append-only: a retry is accepted, another body under the same id is refused', async () => {
    const h = await open();
    const first = await h.post('/v1/receipts', receipt('k3j9x0a7qz2m1b4f'));
    expect(first).toMatchObject({
      status: 201,
      body: { id: 'k3j9x0a7qz2m1b4f', received: new Date(T0).toISOString() },
    });
    h.clock.advance(5000);
    expect((await h.post('/v1/receipts', receipt('k3j9x0a7qz2m1b4f'))).body).toEqual(first.body);
    expect((await h.post('/v1/receipts', receipt('k3j9x0a7qz2m1b4f', { gpc: true }))).status).toBe(409);
    const stored = await h.get('/v1/receipts/k3j9x0a7qz2m1b4f', TOKEN);
    expect(stored.body).toEqual({ ...receipt('k3j9x0a7qz2m1b4f'), received: new Date(T0).toISOString() });
    await h.server.close();
  });

  it('keeps the regime a receipt names, and takes one that names none', async () => {
    const h = await open();
    for (const [id, extra] of [
      ['cccccccc01', { regime: 'opt-out', method: 'opt-out' }],
      ['cccccccc02', { regime: 'opt-in' }],
      ['cccccccc03', {}],
    ] as const) {
      expect((await h.post('/v1/receipts', receipt(id, extra))).status).toBe(201);
      expect((await h.get(`/v1/receipts/${id}`, TOKEN)).body).toEqual({
        ...receipt(id, extra),
        received: new Date(T0).toISOString(),
      });
    }
    await h.server.close();
  });

  it("refuses a receipt that is not exactly the SDK's shape", async () => {
    const h = await open();
    const bad = [
      receipt('bbbbbbbb01', { ip: '203.0.113.7' }),
      receipt('bbbbbbbb02', { v: 2 }),
      receipt('<script>'),
      receipt('bbbbbbbb03', { time: 'yesterday' }),
      receipt('bbbbbbbb04', { time: new Date(T0 + 3_600_000).toISOString() }),
      receipt('bbbbbbbb05', { grants: { analytics: 'yes' } }),
      receipt('bbbbbbbb06', { grants: { '<b>': true } }),
      receipt('bbbbbbbb07', { method: 'forced' }),
      receipt('bbbbbbbb08', { origin: 'javascript:alert(1)' }),
      receipt('bbbbbbbb09', { origin: 'https://shop.example/path' }),
      receipt('bbbbbbbb10', { revision: 1.5 }),
      receipt('bbbbbbbb11', { gpc: 'false' }),
      receipt('bbbbbbbb13', { regime: 'opt-maybe' }),
      receipt('bbbbbbbb14', { regime: null }),
      receipt('bbbbbbbb15', { time: '2029-02-31T10:00:00Z' }),
      receipt('bbbbbbbb16', { time: '2029-12-31T24:00:00Z' }),
      [receipt('bbbbbbbb12')],
    ];
    for (const body of bad) expect((await h.post('/v1/receipts', body)).status, JSON.stringify(body)).toBe(400);
    await h.server.close();
  });

  it('exports receipts as NDJSON between two times, across pages', async () => {
    const h = await open();
    for (let i = 0; i < 1203; i++) {
      await h.post('/v1/receipts', receipt(`r${String(i).padStart(9, '0')}`), { address: `10.0.${i >> 8}.${i & 255}` });
      if (i % 100 === 99) h.clock.advance(1000);
    }
    const all = await h.get('/v1/receipts', TOKEN);
    expect(all.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = all.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines).toHaveLength(1203);
    expect(new Set(lines.map((l) => l.id)).size).toBe(1203);
    const window = await h.get(
      `/v1/receipts?from=${new Date(T0 + 1000).toISOString()}&to=${new Date(T0 + 3000).toISOString()}`,
      TOKEN,
    );
    expect(window.text.trim().split('\n')).toHaveLength(200);
    expect((await h.get('/v1/receipts?from=soon', TOKEN)).status).toBe(400);
    await h.server.close();
  }, 60_000);

  it("reads query times only with their zone, so the answer never depends on the server's time zone", async () => {
    const h = await open();
    const a = await h.pool('assign', { session: sessionId(1), targets: [TARGET], context });
    const number = encodeURIComponent(a.body.numbers[TARGET]);
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // 10:00:30 UTC is inside the lease; 10:00:30 in New York is hours after its rest.
      expect((await h.get(`/v1/attribution?number=${number}&at=2030-01-15T10:00:30`, TOKEN)).status).toBe(400);
      expect((await h.get(`/v1/receipts?from=2030-01-15T10:00:00&to=2030-01-16`, TOKEN)).status).toBe(400);
      expect((await h.get(`/v1/receipts?from=2030-01-15&to=2030-01-16T00:00:00`, TOKEN)).status).toBe(400);
      const utc = await h.get(`/v1/attribution?number=${number}&at=2030-01-15T10:00:30Z`, TOKEN);
      const offset = await h.get(`/v1/attribution?number=${number}&at=2030-01-15T05:00:30-05:00`, TOKEN);
      expect(utc.body.matches).toHaveLength(1);
      expect(offset.body).toEqual(utc.body);
      // A `+` written into a query string unencoded.
      expect((await h.get(`/v1/attribution?number=${number}&at=2030-01-15T15:00:30+05:00`, TOKEN)).body).toEqual(
        utc.body,
      );
      expect((await h.get(`/v1/receipts?from=2030-01-15&to=2030-01-16`, TOKEN)).status).toBe(200);
      for (const at of ['2030-02-31T10:00:00Z', '2030-01-15T10:61:00Z', '1', 'Tue, 15 Jan 2030 10:00:30 GMT'])
        expect((await h.get(`/v1/attribution?number=${number}&at=${encodeURIComponent(at)}`, TOKEN)).status, at).toBe(
          400,
        );
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    await h.server.close();
  });

  it('dates a receipt when it is stored, so an export up to a time never misses one received before it', async () => {
    const h = await open();
    // A client that sends its body slowly: the receipt is stored only once it has arrived.
    const post = h.slow('/v1/receipts', receipt('slowslow01'));
    h.clock.advance(5_000);
    const upTo = new Date(T0 + 5_000).toISOString();
    expect((await h.get(`/v1/receipts?to=${upTo}`, TOKEN)).text).toBe('');
    post.arrive();
    expect((await post.done).status).toBe(201);
    // The next export, from where the last one ended, finds it.
    const next = await h.get(`/v1/receipts?from=${upTo}`, TOKEN);
    expect(
      next.text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual(['slowslow01']);
    await h.server.close();
  });

  it('opens a database written before leases kept when their visit began, and continues its visits', async () => {
    const records = await (oldStores[kind] as () => Promise<RecordStore>)();
    const session = sessionId(7);
    // Without a record of when the visit began, the end of its earliest lease stands in for it.
    const first = await records.findVisit(session, 'h1');
    expect(first).toEqual({ kind: 'found', visit: 'h1', began: T0 + 60_000 });
    await records.startLease({ lease: 'h2', session, visit: 'h1', began: T0 + 60_000, to: T0 + 200_000 }, []);
    await records.purge(T0 + 60_001, 0);
    expect(await records.findVisit(session, 'h2')).toEqual({ kind: 'found', visit: 'h1', began: T0 + 60_000 });
    await records.close();
  });

  it('answers a receipt path that does not decode with 404 after the token check, not with an error', async () => {
    const h = await open();
    expect((await h.get('/v1/receipts/%E0%A4%A')).status).toBe(401);
    expect((await h.get('/v1/receipts/%E0%A4%A', TOKEN)).status).toBe(404);
    expect(h.logs.filter((e) => e.level === 'error')).toEqual([]);
    await h.server.close();
  });

  it('answers 404 to a receipt id no receipt can have (a NUL, a long one) on every store, not 503', async () => {
    const h = await open();
    for (const id of ['%00', 'a%00bbbbbbbbb', 'x'.repeat(5000), '%C3%A9t%C3%A9aaaaaa', 'AAAAAAAAAA'])
      expect((await h.get(`/v1/receipts/${id}`, TOKEN)).status, id.slice(0, 20)).toBe(404);
    expect(h.logs.filter((e) => e.level !== 'info')).toEqual([]);
    await h.server.close();
    // Text the engine refuses is a bug to log, never an outage to retry.
    const records = await (stores[kind] as () => Promise<RecordStore>)();
    const found = await records.findReceipt('a\u0000b').then(
      (r) => r.kind,
      (error: Error) => error.name,
    );
    expect(found).not.toBe('RecordStoreUnavailable');
    await records.close();
  });

  it('answers the read APIs only to the bearer token, and not at all without one configured', async () => {
    const h = await open();
    await h.post('/v1/receipts', receipt('cccccccc01'));
    for (const path of [
      '/v1/receipts/cccccccc01',
      '/v1/receipts',
      `/v1/attribution?number=%2B18885000000&at=${new Date(T0).toISOString()}`,
    ]) {
      expect((await h.get(path)).status).toBe(401);
      expect((await h.get(path, 'wrong')).status).toBe(401);
      expect((await h.get(path, TOKEN)).status).toBe(200);
      expect((await h.get(path, TOKEN)).headers.get('access-control-allow-origin')).toBeNull();
    }
    await h.server.close();
    const open2 = await open({ token: undefined });
    expect((await open2.get('/v1/receipts', TOKEN)).status).toBe(403);
    await open2.server.close();
  });

  it('reads the authentication scheme in any case (RFC 9110), and nothing but the token after it', async () => {
    const h = await open();
    const status = async (authorization: string) =>
      (await h.server.fetch(new Request('http://consentline.test/v1/receipts', { headers: { authorization } }))).status;
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect(await status(`${scheme} ${TOKEN}`)).toBe(200);
    for (const wrong of [`Basic ${TOKEN}`, `Bearer${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer x${TOKEN}`, 'Bearer '])
      expect(await status(wrong)).toBe(401);
    await h.server.close();
  });
});

// One script of record-store operations run on SQLite and on PostgreSQL: every answer must be the
// same, byte for byte once serialised, whatever the engine.
const openPostgres = async (): Promise<RecordStore> =>
  createPostgresRecordStore({ url: await postgres().createDatabase('conf'), timeout: 10_000 });

/** Runs `script` on both engines and returns what each answered, serialised. */
const onBoth = async (script: (records: RecordStore) => Promise<unknown[]>): Promise<[string, string]> => {
  const sqlite = await createSqliteRecordStore({ file: ':memory:' });
  const pg = await openPostgres();
  try {
    return [JSON.stringify(await script(sqlite)), JSON.stringify(await script(pg))];
  } finally {
    await Promise.all([sqlite.close(), pg.close()]);
  }
};

const period = (lease: string, extra: Partial<LeasePeriod> = {}): LeasePeriod => ({
  lease,
  session: sessionId(1),
  target: TARGET,
  number: '+18885550101',
  kind: 'own',
  context: {},
  from: T0,
  to: T0 + 60_000,
  ...extra,
});

describe('SQLite and PostgreSQL record stores', () => {
  it('answer a visit context in one order, its text whole', async () => {
    const context = {
      f: {
        t: T0,
        p: '/landing/日本語/עברית/e\u0301',
        q: { utm_source: 'google', gclid: 'Cj0KCQ', utm_medium: 'cpc', a: '😀 x', z: '' },
        r: 'www.google.com',
      },
      l: { t: T0 + 1, p: '/', q: {} },
    };
    const [sqlite, pg] = await onBoth(async (records) => {
      await records.startLease({ lease: 'h1', session: sessionId(1), visit: 'h1', began: T0, to: T0 + 60_000 }, [
        period('h1', { context }),
      ]);
      return [await records.findPeriods('+18885550101', T0 + 1000, 0)];
    });
    expect(pg).toBe(sqlite);
    // The parameters by name, every character kept.
    const q = { a: '😀 x', gclid: 'Cj0KCQ', utm_medium: 'cpc', utm_source: 'google', z: '' };
    expect(sqlite).toContain(JSON.stringify({ f: { ...context.f, q }, l: context.l }));
  });

  it('answer every read the same after one script of writes', async () => {
    const receipt = (id: string, origin = 'https://shop.example') => ({
      v: 1 as const,
      id,
      time: new Date(T0 - 1000).toISOString(),
      revision: 2,
      grants: { analytics: true, constructor: false },
      method: 'banner' as const,
      gpc: false,
      origin,
    });
    const [sqlite, pg] = await onBoth(async (records) => {
      const answers: unknown[] = [];
      const other = sessionId(2);
      await records.startLease({ lease: 'h1', session: sessionId(1), visit: 'h1', began: T0, to: T0 + 60_000 }, [
        period('h1'),
      ]);
      await records.startLease({ lease: 'h2', session: sessionId(1), visit: 'h1', began: T0, to: T0 + 120_000 }, [
        period('h2', { from: T0 + 60_000, to: T0 + 120_000, number: '+18885550102' }),
      ]);
      await records.startLease({ lease: 'h3', session: other, visit: 'h3', began: T0 + 5, to: T0 + 60_000 }, [
        period('h3', { session: other, kind: 'shared', number: '+18009990000' }),
        period('h3', { session: other, target: '+15557654321', kind: 'shared', number: '+18009990000' }),
      ]);
      await records.endPeriods('h3', T0 + 30_000, true);
      await records.endPeriods('h3', T0 + 90_000);
      answers.push(await records.findPeriods('+18885550101', T0 + 60_000, 0));
      answers.push(await records.findPeriods('+18885550101', T0 + 60_000 + 29_999, 30_000));
      answers.push(await records.findPeriods('+18009990000', T0 + 20_000, 0));
      answers.push(await records.findPeriods('+18009990000', T0 + 50_000, 0));
      answers.push(await records.findVisit(sessionId(1), 'h2'), await records.findVisit(other, 'h2'));
      for (const id of ['aaaaaaaa01', 'aaaaaaaa03', 'aaaaaaaa02', 'zzzzzzzz01', '0000000001'])
        answers.push(await records.addReceipt(receipt(id), T0 + 1000));
      answers.push(await records.addReceipt(receipt('aaaaaaaa01'), T0 + 2000));
      answers.push(await records.addReceipt(receipt('aaaaaaaa01', `https://${'a'.repeat(280)}.example`), T0 + 2000));
      answers.push(await records.listReceipts({ from: T0, to: T0 + 1001, limit: 2 }));
      answers.push(
        await records.listReceipts({
          from: T0,
          to: T0 + 1001,
          after: { received: T0 + 1000, id: 'aaaaaaaa02' },
          limit: 10,
        }),
      );
      answers.push(await records.findReceipt('aaaaaaaa03'), await records.findReceipt("x' OR '1'='1"));
      answers.push(await records.forgetVisit(other, 'h1'), await records.forgetVisit(sessionId(1), 'h2'));
      answers.push(await records.findPeriods('+18885550101', T0 + 1000, 0));
      answers.push(await records.purge(T0 + 60_001, T0 + 1001));
      answers.push(await records.listReceipts({ from: 0, to: T0 + 10_000, limit: 10 }));
      return answers;
    });
    expect(pg).toBe(sqlite);
  });
});

describe('PostgreSQL shared by instances starting together', () => {
  it('makes the tables once: instances opening a new database at the same moment all serve', async () => {
    const failures: string[] = [];
    for (let round = 0; round < 5; round++) {
      const url = await postgres().createDatabase('together');
      const instances = await Promise.all(
        Array.from({ length: 4 }, () => createPostgresRecordStore({ url, timeout: 10_000 })),
      );
      const first = await Promise.allSettled(instances.map((records) => records.findReceipt('aaaaaaaa01')));
      for (const result of first) if (result.status === 'rejected') failures.push(String(result.reason));
      await Promise.all(instances.map((records) => records.close()));
    }
    expect(failures).toEqual([]);
  }, 60_000);
});

describe('PostgreSQL shared by instances: a new lease and a withdrawal of its visit', () => {
  it('take turns: the withdrawal erases the lease written before it, or the lease finds the withdrawal', async () => {
    const url = await postgres().createDatabase('turns');
    // Two instances: each its own pool of connections.
    const [one, two] = await Promise.all([1, 2].map(() => createPostgresRecordStore({ url, timeout: 10_000 })));
    if (!one || !two) throw new Error('two record stores expected');
    const left: string[] = [];
    for (let round = 0; round < 40; round++) {
      const session = sessionId(`turns${round}`);
      const first = { lease: `a${round}`, session, visit: `a${round}`, began: T0, to: T0 + 60_000 };
      await one.startLease(first, [period(first.lease, { session })]);
      const next = { ...first, lease: `b${round}`, named: first.lease, to: T0 + 120_000 };
      const [started, forgotten] = await Promise.all([
        two.startLease(next, [period(next.lease, { session, from: T0 + 61_000, to: T0 + 120_000 })]),
        one.forgetVisit(session, first.lease),
      ]);
      expect(forgotten.kind).toBe('forgotten');
      const visit = await one.findVisit(session, next.lease);
      const periods = await one.findPeriods('+18885550101', T0 + 61_000, 0);
      // Written before the withdrawal: erased with its visit. Written after: refused.
      if (visit.kind !== (started.kind === 'started' ? 'withdrawn' : 'missing') || periods.length)
        left.push(`${round}: ${started.kind}, then ${visit.kind} with ${periods.length} periods`);
      await one.purge(T0 + 1_000_000, 0);
    }
    expect(left).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  }, 60_000);
});

describe('PostgreSQL restarted under a running server', () => {
  it('answers 503 at once while it is down and serves again when it is back, without a restart', async () => {
    const records = await createPostgresRecordStore({ url: postgres().url, timeout: 1000 });
    const h = createHarness({
      leases: createMemoryLeaseStore({ numbers: { [TARGET]: trackingNumbers(5) } }),
      records,
      token: TOKEN,
    });
    expect((await h.post('/v1/receipts', receipt('dddddddd01'))).status).toBe(201);
    await postgres().halt();
    const started = Date.now();
    const down = await h.post('/v1/receipts', receipt('dddddddd02'));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect((await h.pool('assign', { session: sessionId(1), targets: [TARGET] })).status).toBe(503);
    expect((await h.get('/healthz')).body).toEqual({ status: 'unavailable', leases: 'up', records: 'down' });
    expect(Date.now() - started).toBeLessThan(3000);
    await postgres().start();
    let status = 0;
    for (let i = 0; i < 50 && status !== 201; i++) {
      status = (await h.post('/v1/receipts', receipt('dddddddd02'))).status;
      if (status !== 201) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(201);
    expect((await h.get('/healthz')).status).toBe(200);
    // The number handed out while the record failed went straight back to the pool, with no rest.
    const got = await Promise.all(
      Array.from({ length: 5 }, (_, i) => h.pool('assign', { session: sessionId(10 + i), targets: [TARGET] })),
    );
    expect(got.map((g) => g.body.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    await h.server.close();
  }, 60_000);
});

describe('PostgreSQL retention with a backlog', () => {
  it('deletes a backlog (retention shortened) a part at a time, each statement bounded', async () => {
    const url = await postgres().createDatabase('backlog');
    const records = await createPostgresRecordStore({ url, timeout: 10_000 });
    await records.ping();
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    try {
      // One statement deleting a whole backlog outlasts the query time (1 s by default) once it is
      // large; this database stands for that by refusing any statement deleting over 10,000 rows.
      await client.query(`CREATE FUNCTION refuse_big_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT count(*) FROM gone) > 10000 THEN RAISE EXCEPTION 'canceling statement due to statement timeout' USING ERRCODE = '57014'; END IF;
          RETURN NULL;
        END $$`);
      for (const table of ['consentline_receipts', 'consentline_lease_periods', 'consentline_leases'])
        await client.query(
          `CREATE TRIGGER ${table}_bounded AFTER DELETE ON ${table} REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION refuse_big_delete()`,
        );
      // A year of receipts and lease periods past their retention, as after retention is shortened.
      const old = `${T0} - 400 * 86400000::bigint + i`;
      await client.query(
        `INSERT INTO consentline_receipts (id, body, received) SELECT 'r' || i, '{}', ${old} FROM generate_series(1, 30000) i`,
      );
      await client.query(
        `INSERT INTO consentline_lease_periods (lease, session, target, number, kind, context, starts, ends)
         SELECT 'l' || i, 's' || i, '${TARGET}', '+18885550101', 'own', '{}', ${old}, ${old} + 60000
         FROM generate_series(1, 30000) i`,
      );
      await client.query(
        `INSERT INTO consentline_leases (lease, session, visit, ends, began)
         SELECT 'l' || i, 's' || i, 'l' || i, ${old} + 60000, 0 FROM generate_series(1, 30000) i`,
      );
      const removed = await records.purge(T0 - 30 * 86_400_000, T0 - 365 * 86_400_000);
      expect(removed).toEqual({ periods: 30_000, receipts: 30_000 });
      const left = await client.query(
        `SELECT (SELECT count(*) FROM consentline_receipts)::int AS receipts,
          (SELECT count(*) FROM consentline_lease_periods)::int AS periods,
          (SELECT count(*) FROM consentline_leases)::int AS leases`,
      );
      expect(left.rows[0]).toEqual({ receipts: 0, periods: 0, leases: 0 });
    } finally {
      await client.end();
      await records.close();
    }
  }, 60_000);
});
