// Withdrawal (`release` with `forget`) erases a visit's records for its own browser only: someone
// who knows a session id (it rides in form attribution tokens, CRM exports, attribution answers)
// and takes a lease under it after the visitor's ran out erases nothing but their own lease. On
// every pair of stores: memory and a real Redis for leases, SQLite and a real PostgreSQL for records.
import { describe, expect, it } from 'vitest';
import {
  LeaseStoreUnavailable,
  RecordStoreUnavailable,
  type LeaseStore,
  type PoolConfig,
  type RecordStore,
} from '../../src/server/index';
import { leaseHash } from '../../src/server/guard';
import { createHarness, sessionId, T0, TARGET, trackingNumbers, type Harness, useStorePairs } from './support/harness';

const TOKEN = 'test-token-forget';
const { leaseStores, recordStores, pairs } = useStorePairs('f');

const VISITOR = '198.51.100.20';
const STRANGER = '203.0.113.99';
const context = { f: { t: T0, p: '/landing', q: { utm_source: 'google' }, r: 'www.google.com' } };

describe.each(pairs)('forget on %s leases and %s records', (leaseKind, recordKind) => {
  const open = async (numbers = trackingNumbers(2), records?: RecordStore, leases?: LeaseStore): Promise<Harness> => {
    const h = createHarness({
      leases:
        leases ??
        (await (leaseStores[leaseKind] as (pool: PoolConfig) => Promise<LeaseStore>)({
          numbers: { [TARGET]: numbers },
          ttl: 60,
          quarantine: 30,
        })),
      records: records ?? (await (recordStores[recordKind] as () => Promise<RecordStore>)()),
      token: TOKEN,
    });
    // A Redis store serves once it has connected and loaded its numbers.
    for (let i = 0; i < 100 && (await h.get('/healthz')).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    return h;
  };
  const matches = async (h: Harness, number: string, at: number): Promise<string[]> => {
    const { body } = await h.get(
      `/v1/attribution?number=${encodeURIComponent(number)}&at=${new Date(at).toISOString()}`,
      TOKEN,
    );
    return body.matches.map((m: { session: string }) => m.session);
  };

  it("a stranger's lease under a known session id erases nothing of the visit, its own forget still does", async () => {
    const h = await open();
    const session = sessionId('victim1');
    const visit = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    expect(visit.status).toBe(200);
    const number = visit.body.numbers[TARGET] as string;
    // The visitor leaves: the lease is released (or runs out), the records stay for attribution.
    expect((await h.pool('release', { session, lease: visit.body.lease }, VISITOR)).status).toBe(204);
    h.clock.advance(61_000);

    // The stranger knows only the session id: whatever lease they get, withdrawal with it must
    // not reach the visitor's records.
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    if (stranger.status === 200)
      await h.pool('release', { session, lease: stranger.body.lease, forget: true }, STRANGER);
    expect(await matches(h, number, T0 + 1000)).toEqual([session]);

    // The visitor withdraws with the lease their browser kept: the visit's records go.
    expect((await h.pool('release', { session, lease: visit.body.lease, forget: true }, VISITOR)).status).toBe(204);
    expect(await matches(h, number, T0 + 1000)).toEqual([]);
    await h.server.close();
  });

  it('a stranger holding a lease under the session gives way when the visitor comes back naming its lease', async () => {
    const h = await open(trackingNumbers(3));
    const session = sessionId('taken1');
    const visit = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    expect(visit.status).toBe(200);
    // The visitor's lease runs out; a stranger who knows the session id takes one and keeps it.
    h.clock.advance(61_000);
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    h.clock.advance(20_000);
    expect((await h.pool('renew', { session, lease: stranger.body.lease }, STRANGER)).status).toBe(200);

    const back = await h.pool('assign', { session, targets: [TARGET], context, lease: visit.body.lease }, VISITOR);
    expect([back.status, back.body.status]).toEqual([200, 'ok']);
    expect(back.body.numbers[TARGET]).toMatch(/^\+1/);
    // The stranger's lease ended; neither it (a later visit) nor no lease gets the session back.
    expect((await h.pool('renew', { session, lease: stranger.body.lease }, STRANGER)).status).toBe(404);
    const again = { session, targets: [TARGET], lease: stranger.body.lease };
    expect((await h.pool('assign', again, STRANGER)).status).toBe(409);
    expect((await h.pool('assign', { session, targets: [TARGET] }, STRANGER)).status).toBe(409);
    expect((await h.pool('renew', { session, lease: back.body.lease }, VISITOR)).status).toBe(200);
    await h.server.close();
  });

  it('a page naming an earlier lease of the visit shares its live lease; a lease the records do not know gets 409', async () => {
    const h = await open(trackingNumbers(3));
    const session = sessionId('taken2');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    h.clock.advance(61_000);
    const second = await h.pool('assign', { session, targets: [TARGET], context, lease: first.body.lease }, VISITOR);
    expect(second.status).toBe(200);
    // Another tab of the same visit still naming the first lease (it was away while the lease ran
    // out and another tab took the next): it gets the visit's live lease, which stays as it is.
    const stale = { session, targets: [TARGET], context, lease: first.body.lease };
    const joined = await h.pool('assign', stale, VISITOR);
    expect([joined.status, joined.body.lease, joined.body.numbers]).toEqual([
      200,
      second.body.lease,
      second.body.numbers,
    ]);
    const invented = { session, targets: [TARGET], lease: 'A'.repeat(24) };
    expect((await h.pool('assign', invented, STRANGER)).status).toBe(409);
    expect((await h.pool('assign', { session, targets: [TARGET] }, STRANGER)).status).toBe(409);
    expect((await h.pool('renew', { session, lease: second.body.lease }, VISITOR)).status).toBe(200);
    // One lease, one number: the visit's records hold the two leases and nothing else.
    expect(await matches(h, second.body.numbers[TARGET], h.clock.now())).toEqual([session]);
    await h.server.close();
  });

  it("withdrawal with the visit's latest lease erases every lease the visit took before it", async () => {
    // One number: once its rest after the first lease is over, another visitor holds it, and the
    // visit's second lease holds none (exhausted).
    const h = await open(trackingNumbers(1));
    const session = sessionId('chain1');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    const number = first.body.numbers[TARGET] as string;
    // The first lease ran out at 60 s (an idle visitor); its number rested to 90 s.
    h.clock.advance(100_000);
    const other = await h.pool('assign', { session: sessionId('chain1b'), targets: [TARGET] }, STRANGER);
    expect(other.body.numbers[TARGET]).toBe(number);
    // The page asks again naming the first lease.
    const second = await h.pool('assign', { session, targets: [TARGET], context, lease: first.body.lease }, VISITOR);
    expect([second.status, second.body.status]).toEqual([200, 'exhausted']);
    expect(second.body.lease).not.toBe(first.body.lease);
    // Both ran out at 160 s; the number rests (the other visitor's) to 190 s.
    h.clock.advance(100_000);
    // A later page names the second lease, which never held a number: still the same visit.
    const third = await h.pool('assign', { session, targets: [TARGET], context, lease: second.body.lease }, VISITOR);
    expect([third.status, third.body.numbers[TARGET]]).toEqual([200, number]);
    expect(await matches(h, number, T0 + 1000)).toEqual([session]);
    expect(await matches(h, number, T0 + 201_000)).toEqual([session]);

    expect((await h.pool('release', { session, lease: second.body.lease, forget: true }, VISITOR)).status).toBe(204);
    expect(await matches(h, number, T0 + 1000)).toEqual([]);
    expect(await matches(h, number, T0 + 201_000)).toEqual([]);
    await h.server.close();
  });

  it("a stranger's own lease is theirs to forget, and an invented lease forgets nothing", async () => {
    const h = await open();
    const session = sessionId('victim2');
    const visit = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    const number = visit.body.numbers[TARGET] as string;
    h.clock.advance(61_000);
    expect((await h.pool('release', { session, lease: 'A'.repeat(24), forget: true }, STRANGER)).status).toBe(404);
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    const theirs = stranger.body.numbers[TARGET] as string;
    expect(await matches(h, theirs, T0 + 62_000)).toEqual([session]);
    expect((await h.pool('release', { session, lease: stranger.body.lease, forget: true }, STRANGER)).status).toBe(204);
    expect(await matches(h, theirs, T0 + 62_000)).toEqual([]);
    expect(await matches(h, number, T0 + 1000)).toEqual([session]);
    await h.server.close();
  });

  it('a withdrawal erases the visit while the lease store is down: its lease runs out by itself', async () => {
    const leases = await (leaseStores[leaseKind] as (pool: PoolConfig) => Promise<LeaseStore>)({
      numbers: { [TARGET]: trackingNumbers(2) },
    });
    let down = false;
    const h = await open(trackingNumbers(2), undefined, {
      ...leases,
      release: (input) => (down ? Promise.reject(new LeaseStoreUnavailable('down')) : leases.release(input)),
    });
    const session = sessionId('down1');
    const visit = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    const number = visit.body.numbers[TARGET] as string;
    down = true;
    const forget = { session, lease: visit.body.lease, forget: true };
    expect((await h.pool('release', forget, VISITOR)).status).toBe(204);
    expect(await matches(h, number, T0 + 1000)).toEqual([]);
    // Without forget, a release still needs the lease store.
    expect((await h.pool('release', { session, lease: visit.body.lease }, VISITOR)).status).toBe(503);
    await h.server.close();
  });

  it('a lease the withdrawal could not end (the lease store down) is not kept by a renewal once the store is back', async () => {
    const leases = await (leaseStores[leaseKind] as (pool: PoolConfig) => Promise<LeaseStore>)({
      numbers: { [TARGET]: trackingNumbers(2) },
    });
    let down = false;
    const fail = () => Promise.reject(new LeaseStoreUnavailable('down'));
    const h = await open(trackingNumbers(2), undefined, {
      ...leases,
      release: (input) => (down ? fail() : leases.release(input)),
      holder: (session, now) => (down ? fail() : leases.holder(session, now)),
    });
    const session = sessionId('downkept1');
    const visit = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    const number = visit.body.numbers[TARGET] as string;
    down = true;
    expect((await h.pool('release', { session, lease: visit.body.lease, forget: true }, VISITOR)).status).toBe(204);
    down = false;
    h.clock.advance(20_000);
    // A tab of the visit that had not seen the withdrawal renews the lease, still live in the store.
    const renewal = await h.pool('renew', { session, lease: visit.body.lease, targets: [TARGET] }, VISITOR);
    expect([renewal.status, renewal.body.numbers]).toEqual([410, undefined]);
    expect(await matches(h, number, h.clock.now())).toEqual([]);
    // The lease ended there: the session holds none, and the next renewal is refused as well.
    expect((await h.pool('assign', { session, targets: [TARGET] }, STRANGER)).status).toBe(200);
    expect((await h.pool('renew', { session, lease: visit.body.lease }, VISITOR)).status).toBe(410);
    await h.server.close();
  });

  it('a lease recorded before leases were (lease periods only) is a visit of its own', async () => {
    const records = await (recordStores[recordKind] as () => Promise<RecordStore>)();
    const session = sessionId('legacy1');
    const old = 'L'.repeat(24);
    const number = '+18889990000';
    await records.startPeriods([
      { lease: leaseHash(old), session, target: TARGET, number, kind: 'own', context, from: T0, to: T0 + 60_000 },
    ]);
    const h = await open(trackingNumbers(2), records);
    h.clock.advance(61_000);
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    await h.pool('release', { session, lease: stranger.body.lease, forget: true }, STRANGER);
    expect(await matches(h, number, T0 + 1000)).toEqual([session]);
    expect((await h.pool('release', { session, lease: old, forget: true }, VISITOR)).status).toBe(204);
    expect(await matches(h, number, T0 + 1000)).toEqual([]);
    await h.server.close();
  });

  it('a visit continued from a lease recorded before leases were keeps its place before a later visit', async () => {
    const records = await (recordStores[recordKind] as () => Promise<RecordStore>)();
    const session = sessionId('legacy2');
    const old = 'L'.repeat(24);
    await records.startPeriods([
      {
        lease: leaseHash(old),
        session,
        target: TARGET,
        number: '+18889990000',
        kind: 'own',
        context,
        from: T0,
        to: T0 + 60_000,
      },
    ]);
    const h = await open(trackingNumbers(3), records);
    // A stranger's visit after the visitor's first lease ended, and before the visitor came back.
    h.clock.advance(61_000);
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    h.clock.advance(1000);
    expect((await h.pool('release', { session, lease: stranger.body.lease }, STRANGER)).status).toBe(204);
    h.clock.advance(40_000);
    const back = await h.pool('assign', { session, targets: [TARGET], context, lease: old }, VISITOR);
    expect(back.status).toBe(200);
    // The stranger's visit began after the visitor's: naming its lease takes nothing.
    const again = { session, targets: [TARGET], lease: stranger.body.lease };
    expect((await h.pool('assign', again, STRANGER)).status).toBe(409);
    expect((await h.pool('renew', { session, lease: back.body.lease }, VISITOR)).status).toBe(200);
    await h.server.close();
  });

  it("a visit keeps its place before a stranger's once retention has purged its first lease", async () => {
    const h = await open(trackingNumbers(3));
    const session = sessionId('purge1');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    // A stranger's visit begins after the visitor's first lease ran out, and keeps going two hours.
    h.clock.advance(61_000);
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    for (let i = 0; i < 2 * 60 * 2; i++) {
      h.clock.advance(30_000);
      await h.pool('renew', { session, lease: stranger.body.lease }, STRANGER);
    }
    // The visitor comes back (the session is kept 90 days) and takes the session back.
    const back = await h.pool('assign', { session, targets: [TARGET], context, lease: first.body.lease }, VISITOR);
    expect(back.status).toBe(200);
    // Retention ends for the first lease, not yet for the stranger's.
    h.clock.set(T0 + 60_000 + 30 * 86_400_000 + 1);
    await h.server.purge();
    const again = await h.pool('assign', { session, targets: [TARGET], lease: stranger.body.lease }, STRANGER);
    expect(again.status).toBe(200);
    const visitor = await h.pool('assign', { session, targets: [TARGET], context, lease: back.body.lease }, VISITOR);
    expect(visitor.status).toBe(200);
    expect((await h.pool('renew', { session, lease: again.body.lease }, STRANGER)).status).toBe(404);
    await h.server.close();
  });

  it("a visit keeps its place before a stranger's when the lease store restarts empty under live leases", async () => {
    const records = await (recordStores[recordKind] as () => Promise<RecordStore>)();
    const session = sessionId('restart1');
    const before = await open(trackingNumbers(3), records);
    const visit = await before.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    expect(visit.status).toBe(200);
    // A memory store after a deploy, or a Redis without persistence: the records still give the
    // visitor's lease its end, a minute ahead. A stranger takes a lease and gives it back at once.
    const h = await open(trackingNumbers(3), records);
    h.clock.advance(1000);
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    h.clock.advance(1000);
    expect((await h.pool('release', { session, lease: stranger.body.lease }, STRANGER)).status).toBe(204);
    expect((await h.pool('renew', { session, lease: visit.body.lease }, VISITOR)).status).toBe(404);
    const back = await h.pool('assign', { session, targets: [TARGET], context, lease: visit.body.lease }, VISITOR);
    expect(back.status).toBe(200);
    const take = await h.pool('assign', { session, targets: [TARGET], lease: stranger.body.lease }, STRANGER);
    const kept = await h.pool('assign', { session, targets: [TARGET], context, lease: back.body.lease }, VISITOR);
    expect([take.status, kept.status]).toEqual([409, 200]);
    await h.server.close();
    await before.server.close();
  });

  it('a lease is kept as long as its periods: renewed with them, purged with them', async () => {
    const records = await (recordStores[recordKind] as () => Promise<RecordStore>)();
    const h = await open(trackingNumbers(2), records);
    const session = sessionId('kept1');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    h.clock.advance(70_000);
    const second = await h.pool('assign', { session, targets: [TARGET], context, lease: first.body.lease }, VISITOR);
    h.clock.advance(40_000);
    expect((await h.pool('renew', { session, lease: second.body.lease }, VISITOR)).status).toBe(200);
    // Once the first lease is purged, the visit still knows when it began.
    const visit = { kind: 'found', visit: leaseHash(first.body.lease), began: T0 };
    // The second lease, renewed at T0 + 110 s, ends at T0 + 170 s: kept 30 days from then.
    h.clock.set(T0 + 170_000 + 30 * 86_400_000 - 1);
    expect((await h.server.purge()).periods).toBe(1);
    expect(await records.findVisit(session, leaseHash(second.body.lease))).toEqual(visit);
    h.clock.advance(2);
    expect((await h.server.purge()).periods).toBe(1);
    expect(await records.findVisit(session, leaseHash(second.body.lease))).toEqual({ kind: 'missing' });
    await h.server.close();
  });
});

/** A point a call waits at until the test opens it; `reached` resolves once a call waits there. */
interface Gate {
  reached: Promise<void>;
  open(): void;
  wait(): Promise<void>;
}
const createGate = (): Gate => {
  let arrive = () => {};
  let open = () => {};
  const reached = new Promise<void>((done) => {
    arrive = done;
  });
  const opened = new Promise<void>((done) => {
    open = done;
  });
  return {
    reached,
    open: () => open(),
    wait: () => {
      arrive();
      return opened;
    },
  };
};

/**
 * Gates the next call of a record store's method, before it runs or after it has written; and
 * looking up visits fails as with the database down, while `down` says so.
 */
const withGates = (records: RecordStore) => {
  const gates: { findVisit?: Gate; startLeaseBefore?: Gate; startLeaseAfter?: Gate; startPeriods?: Gate } = {};
  let down = false;
  const take = (name: keyof typeof gates): Gate | undefined => {
    const gate = gates[name];
    delete gates[name];
    return gate;
  };
  const store: RecordStore = {
    ...records,
    findVisit: async (session, lease) => {
      await take('findVisit')?.wait();
      if (down) throw new RecordStoreUnavailable('the database is down');
      return records.findVisit(session, lease);
    },
    startLease: async (lease, periods) => {
      await take('startLeaseBefore')?.wait();
      const result = await records.startLease(lease, periods);
      await take('startLeaseAfter')?.wait();
      return result;
    },
    startPeriods: async (periods) => {
      await take('startPeriods')?.wait();
      return records.startPeriods(periods);
    },
  };
  return {
    store,
    arm: (name: keyof typeof gates): Gate => {
      const gate = createGate();
      gates[name] = gate;
      return gate;
    },
    down: (value: boolean) => {
      down = value;
    },
  };
};

describe.each(pairs)('a withdrawal racing an assign on %s leases and %s records', (leaseKind, recordKind) => {
  const open = async () => {
    const records = withGates(await (recordStores[recordKind] as () => Promise<RecordStore>)());
    const leases = await (leaseStores[leaseKind] as (pool: PoolConfig) => Promise<LeaseStore>)({
      numbers: { [TARGET]: trackingNumbers(2) },
      ttl: 60,
      quarantine: 30,
    });
    const h = createHarness({ leases, records: records.store, token: TOKEN });
    for (let i = 0; i < 100 && (await h.get('/healthz')).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    return { h, arm: records.arm, down: records.down };
  };
  const sessionsOf = async (h: Harness, at: number): Promise<string[]> => {
    const found: string[] = [];
    for (const number of trackingNumbers(2)) {
      const { body } = await h.get(
        `/v1/attribution?number=${encodeURIComponent(number)}&at=${new Date(at).toISOString()}`,
        TOKEN,
      );
      found.push(...body.matches.map((m: { session: string }) => m.session));
    }
    return found;
  };
  // No live lease under the session: an assign naming none gets one (a live lease would answer 409).
  const holdsNoLease = async (h: Harness, session: string) =>
    (await h.pool('assign', { session, targets: [TARGET] }, VISITOR)).status === 200;

  // The visit's first lease ran out (an idle visitor); the next page asks again naming it.
  const visitWithLapsedLease = async (h: Harness, name: string) => {
    const session = sessionId(name);
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    expect(first.status).toBe(200);
    h.clock.advance(61_000);
    return { session, lease: first.body.lease as string };
  };

  for (const [point, name, why] of [
    ['findVisit', 'racelookup', 'before it looks up the visit of the lease it names'],
    ['startLeaseBefore', 'racewrite', 'after it found the visit, before it writes its lease'],
  ] as const) {
    it(`an assign that the withdrawal overtakes ${why} is refused, and leaves no lease and no record`, async () => {
      const { h, arm } = await open();
      const { session, lease } = await visitWithLapsedLease(h, name);
      const gate = arm(point);
      const assign = h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
      await gate.reached;
      expect((await h.pool('release', { session, lease, forget: true }, VISITOR)).status).toBe(204);
      gate.open();
      const answered = await assign;
      expect([answered.status, answered.body.lease]).toEqual([410, undefined]);
      expect(await sessionsOf(h, h.clock.now())).toEqual([]);
      expect(await sessionsOf(h, T0 + 1000)).toEqual([]);
      expect(await holdsNoLease(h, session)).toBe(true);
      await h.server.close();
    });
  }

  it('a lease written just before the withdrawal ends with it, and its assign answers 410, not the ended lease', async () => {
    const { h, arm } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'racewritten');
    const gate = arm('startLeaseAfter');
    const assign = h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
    await gate.reached;
    expect((await h.pool('release', { session, lease, forget: true }, VISITOR)).status).toBe(204);
    gate.open();
    const answered = await assign;
    // The assign answers what is true when it answers: the lease it wrote is gone with the visit.
    expect([answered.status, answered.body.lease]).toEqual([410, undefined]);
    expect(await sessionsOf(h, h.clock.now())).toEqual([]);
    expect(await holdsNoLease(h, session)).toBe(true);
    await h.server.close();
  });

  it('two tabs naming the lapsed lease of their visit at once share the lease the first made, before it is recorded', async () => {
    const { h, arm } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'racetabs');
    // Tabs restored together: the first one's new lease is in the lease store, not yet recorded.
    const gate = arm('startLeaseBefore');
    const first = h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
    await gate.reached;
    const second = await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
    gate.open();
    const one = await first;
    expect(one.status).toBe(200);
    expect([second.status, second.body.lease, second.body.numbers]).toEqual([200, one.body.lease, one.body.numbers]);
    expect(await sessionsOf(h, h.clock.now())).toEqual([session]);
    await h.server.close();
  });

  it('an assign whose lease the visitor takes back before it answers gets 409, not the ended lease', async () => {
    const { h, arm } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'raceretaken');
    // Someone who knows the session id asks while the visitor is away; their lease is written and
    // recorded, and before their answer leaves, the visitor comes back naming its earlier lease.
    const gate = arm('startLeaseAfter');
    const stranger = h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    await gate.reached;
    const back = await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
    expect(back.status).toBe(200);
    gate.open();
    const answered = await stranger;
    expect([answered.status, answered.body.lease]).toEqual([409, undefined]);
    expect((await h.pool('renew', { session, lease: back.body.lease }, VISITOR)).status).toBe(200);
    await h.server.close();
  });

  // A renewal the lease store has answered, overtaken before it answers: it tells what holds then.
  const renewalOvertaken = async (h: Harness, arm: (name: 'startPeriods') => Gate, session: string, lease: string) => {
    const gate = arm('startPeriods');
    const renewal = h.pool('renew', { session, lease }, VISITOR);
    await gate.reached;
    return {
      answer: async () => {
        gate.open();
        return renewal;
      },
    };
  };

  it('a renewal that the withdrawal overtakes answers 410, not the ended lease, and writes nothing', async () => {
    const { h, arm } = await open();
    const session = sessionId('renewforget');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    expect(first.status).toBe(200);
    h.clock.advance(30_000);
    const renewal = await renewalOvertaken(h, arm, session, first.body.lease);
    expect((await h.pool('release', { session, lease: first.body.lease, forget: true }, VISITOR)).status).toBe(204);
    const answered = await renewal.answer();
    expect([answered.status, answered.body.lease, answered.body.numbers]).toEqual([410, undefined, undefined]);
    expect(await sessionsOf(h, h.clock.now())).toEqual([]);
    expect(await sessionsOf(h, T0 + 1000)).toEqual([]);
    expect(await holdsNoLease(h, session)).toBe(true);
    // And asked again, it says the same: the visit is gone, not only the lease.
    expect((await h.pool('renew', { session, lease: first.body.lease }, VISITOR)).status).toBe(410);
    await h.server.close();
  });

  it('a renewal whose lease is released before it answers gets 404, not the ended lease', async () => {
    const { h, arm } = await open();
    const session = sessionId('renewrelease');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    h.clock.advance(30_000);
    const renewal = await renewalOvertaken(h, arm, session, first.body.lease);
    expect((await h.pool('release', { session, lease: first.body.lease }, VISITOR)).status).toBe(204);
    const answered = await renewal.answer();
    expect([answered.status, answered.body.lease]).toEqual([404, undefined]);
    // The visit stays (a release is no withdrawal): its page asks again naming the lease.
    const again = await h.pool('assign', { session, targets: [TARGET], context, lease: first.body.lease }, VISITOR);
    expect(again.status).toBe(200);
    await h.server.close();
  });

  it("a stranger's renewal overtaken by the visitor taking the session back gets 404, not the ended lease", async () => {
    const { h, arm } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'renewretaken');
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    h.clock.advance(30_000);
    const renewal = await renewalOvertaken(h, arm, session, stranger.body.lease);
    const back = await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
    expect(back.status).toBe(200);
    const answered = await renewal.answer();
    expect([answered.status, answered.body.lease]).toEqual([404, undefined]);
    expect((await h.pool('renew', { session, lease: back.body.lease }, VISITOR)).status).toBe(200);
    await h.server.close();
  });

  it('a renewal naming a lease no visit has (forged) gets 404, never 410', async () => {
    const { h } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'renewforged');
    expect((await h.pool('release', { session, lease, forget: true }, VISITOR)).status).toBe(204);
    expect((await h.pool('renew', { session, lease: 'A'.repeat(24) }, STRANGER)).status).toBe(404);
    await h.server.close();
  });

  it("a withdrawal naming an earlier lease of the visit ends the visit's live lease too", async () => {
    const { h } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'racelater');
    const later = await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
    expect(later.status).toBe(200);
    // A withdrawal kept by the browser from the earlier page, sent now.
    expect((await h.pool('release', { session, lease, forget: true }, VISITOR)).status).toBe(204);
    expect((await h.pool('renew', { session, lease: later.body.lease }, VISITOR)).status).toBe(410);
    expect(await sessionsOf(h, h.clock.now())).toEqual([]);
    // The page naming the withdrawn visit's lease gets nothing back either.
    const again = await h.pool('assign', { session, targets: [TARGET], context, lease: later.body.lease }, VISITOR);
    expect(again.status).toBe(410);
    expect(await sessionsOf(h, h.clock.now())).toEqual([]);
    expect(await holdsNoLease(h, session)).toBe(true);
    await h.server.close();
  });

  it("a stranger's live lease under the session is not the visit's: a withdrawal leaves it", async () => {
    const { h } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'racestranger');
    const stranger = await h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    expect(stranger.status).toBe(200);
    expect((await h.pool('release', { session, lease, forget: true }, VISITOR)).status).toBe(204);
    expect((await h.pool('renew', { session, lease: stranger.body.lease }, STRANGER)).status).toBe(200);
    await h.server.close();
  });

  // Whether a lease that has ended was withdrawn is the records' to say: while they cannot, the
  // answer is 503 (ask again), never the 404 or 409 of a lease merely ended.
  const unavailable = (answer: { status: number; headers: Headers }) => [
    answer.status,
    answer.headers.get('retry-after'),
  ];

  it('a renewal of a lease that ran out while the database is down gets 503, then 404 once it is back', async () => {
    const { h, down } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'renewlapsedown');
    down(true);
    expect(unavailable(await h.pool('renew', { session, lease }, VISITOR))).toEqual([503, '5']);
    down(false);
    expect((await h.pool('renew', { session, lease }, VISITOR)).status).toBe(404);
    await h.server.close();
  });

  it('a renewal of a withdrawn visit while the database is down gets 503, never 404, then 410', async () => {
    const { h, down } = await open();
    const session = sessionId('renewgonedown');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    expect((await h.pool('release', { session, lease: first.body.lease, forget: true }, VISITOR)).status).toBe(204);
    down(true);
    expect(unavailable(await h.pool('renew', { session, lease: first.body.lease }, VISITOR))).toEqual([503, '5']);
    down(false);
    expect((await h.pool('renew', { session, lease: first.body.lease }, VISITOR)).status).toBe(410);
    await h.server.close();
  });

  it('a renewal whose lease ends before it answers, the database going down meanwhile, gets 503', async () => {
    const { h, arm, down } = await open();
    const session = sessionId('renewenddown');
    const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
    h.clock.advance(30_000);
    const renewal = await renewalOvertaken(h, arm, session, first.body.lease);
    expect((await h.pool('release', { session, lease: first.body.lease }, VISITOR)).status).toBe(204);
    down(true);
    expect(unavailable(await renewal.answer())).toEqual([503, '5']);
    await h.server.close();
  });

  it('an assign whose lease ends before it answers, the database going down meanwhile, gets 503', async () => {
    const { h, arm, down } = await open();
    const { session, lease } = await visitWithLapsedLease(h, 'assignenddown');
    const gate = arm('startLeaseAfter');
    const stranger = h.pool('assign', { session, targets: [TARGET] }, STRANGER);
    await gate.reached;
    expect((await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR)).status).toBe(200);
    down(true);
    gate.open();
    expect(unavailable(await stranger)).toEqual([503, '5']);
    await h.server.close();
  });
});

describe.each(pairs)(
  'an assign naming a lease of a withdrawn visit on %s leases and %s records',
  (leaseKind, recordKind) => {
    // The lease store, with the assigns it was asked.
    const open = async (pool: PoolConfig) => {
      const leases = await (leaseStores[leaseKind] as (pool: PoolConfig) => Promise<LeaseStore>)(pool);
      const asked: string[] = [];
      const spied: LeaseStore = {
        ...leases,
        assign: (input) => {
          asked.push(input.session);
          return leases.assign(input);
        },
      };
      const records = await (recordStores[recordKind] as () => Promise<RecordStore>)();
      const h = createHarness({ leases: spied, records, token: TOKEN });
      for (let i = 0; i < 100 && (await h.get('/healthz')).status !== 200; i++)
        await new Promise((r) => setTimeout(r, 50));
      return { h, asked };
    };
    const withdrawn = async (h: Harness, name: string) => {
      const session = sessionId(name);
      const first = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
      expect(first.status).toBe(200);
      expect((await h.pool('release', { session, lease: first.body.lease, forget: true }, VISITOR)).status).toBe(204);
      return { session, lease: first.body.lease as string };
    };

    it('gets 410 and no lease, and the lease store is not asked', async () => {
      const { h, asked } = await open({ numbers: { [TARGET]: trackingNumbers(2) } });
      const { session, lease } = await withdrawn(h, 'gonefree');
      asked.length = 0;
      const again = await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
      expect([again.status, again.body.lease, asked]).toEqual([410, undefined, []]);
      await h.server.close();
    });

    it('gets 410, not 409, when the session holds a live lease of a later visit, which stays', async () => {
      const { h, asked } = await open({ numbers: { [TARGET]: trackingNumbers(2) } });
      const { session, lease } = await withdrawn(h, 'goneheld');
      const later = await h.pool('assign', { session, targets: [TARGET], context }, VISITOR);
      expect(later.status).toBe(200);
      asked.length = 0;
      const again = await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
      expect([again.status, again.body.lease, asked]).toEqual([410, undefined, []]);
      expect((await h.pool('renew', { session, lease: later.body.lease }, VISITOR)).status).toBe(200);
      await h.server.close();
    });

    it('gets 410, not 429, when the pool keeps all the leases it may', async () => {
      const { h, asked } = await open({ numbers: { [TARGET]: trackingNumbers(1) }, overflowLeases: 0 });
      const { session, lease } = await withdrawn(h, 'gonefull');
      // The one number rests after the withdrawal: a new lease would hold none, past the cap.
      const other = await h.pool('assign', { session: sessionId('gonefull2'), targets: [TARGET] }, STRANGER);
      expect(other.status).toBe(429);
      asked.length = 0;
      const again = await h.pool('assign', { session, targets: [TARGET], context, lease }, VISITOR);
      expect([again.status, again.body.lease, asked]).toEqual([410, undefined, []]);
      await h.server.close();
    });
  },
);
