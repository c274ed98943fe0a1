// A visit whose lease ran out while the visitor was away (a tab in the background past the lease)
// gets its number back at its next assign while the number rests in quarantine, ahead of the pool
// order: the visitor may have noted it, and another tab of the visit may still show it. The rest
// keeps the number from other visitors only; a stranger under the session, a forged lease id or a
// withdrawn visit takes nothing out of it. On every pair of stores: memory and a real Redis for
// leases, SQLite and a real PostgreSQL for records.
import { describe, expect, it } from 'vitest';
import { RecordStoreUnavailable, type LeaseStore, type PoolConfig, type RecordStore } from '../../src/server/index';
import { createHarness, useStorePairs, sessionId, T0, TARGET, trackingNumbers, type Harness } from './support/harness';

const TOKEN = 'test-token-lapse';
const { leaseStores, recordStores, pairs } = useStorePairs('l');

const VISITOR = '198.51.100.30';
const STRANGER = '203.0.113.98';
const context = { f: { t: T0, p: '/landing', q: { utm_source: 'google' }, r: 'www.google.com' } };

describe.each(pairs)('a lapsed visit on %s leases and %s records', (leaseKind, recordKind) => {
  const open = async (count: number, wrap = (records: RecordStore) => records): Promise<Harness> => {
    const leases = await (leaseStores[leaseKind] as (pool: PoolConfig) => Promise<LeaseStore>)({
      numbers: { [TARGET]: trackingNumbers(count) },
      ttl: 60,
      quarantine: 30,
    });
    const records = wrap(await (recordStores[recordKind] as () => Promise<RecordStore>)());
    const h = createHarness({ leases, records, token: TOKEN });
    // A Redis store serves once it has connected and loaded its numbers.
    for (let i = 0; i < 100 && (await h.get('/healthz')).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    return h;
  };
  const attribution = async (h: Harness, number: string, at: number) => {
    const { body } = await h.get(
      `/v1/attribution?number=${encodeURIComponent(number)}&at=${new Date(at).toISOString()}`,
      TOKEN,
    );
    return body.matches.map((m: { session: string; confidence: string; from: string }) => [
      m.session,
      m.confidence,
      m.from,
    ]);
  };
  const assign = (h: Harness, session: string, lease?: string, address = VISITOR) =>
    h.pool('assign', { session, targets: [TARGET], context, ...(lease && { lease }) }, address);

  it('gives the visit its resting number back at the assign naming the lease that ran out, ahead of the free ones', async () => {
    const h = await open(3);
    const session = sessionId('lapse1');
    const first = await assign(h, session);
    const number = first.body.numbers[TARGET] as string;
    // The tab sat in the background past the lease: the lease ran out, the number rests to 90 s.
    h.clock.advance(70_000);
    const back = await assign(h, session, first.body.lease);
    expect([back.status, back.body.status, back.body.numbers[TARGET]]).toEqual([200, 'ok', number]);
    expect(back.body.lease).not.toBe(first.body.lease);
    // The number is the new lease's own: renewed, it stays; no other visitor gets it.
    h.clock.advance(40_000);
    const renewed = await h.pool('renew', { session, lease: back.body.lease }, VISITOR);
    expect(renewed.body.numbers[TARGET]).toBe(number);
    const other = await assign(h, sessionId('lapse1b'), undefined, STRANGER);
    expect(other.body.numbers[TARGET]).not.toBe(number);
    await h.server.close();
  });

  it('answers a call to the number given back with the visit alone, exact, in the rest it was taken from too', async () => {
    const h = await open(3);
    const session = sessionId('lapse2');
    const first = await assign(h, session);
    const number = first.body.numbers[TARGET] as string;
    h.clock.advance(70_000);
    expect((await assign(h, session, first.body.lease)).body.numbers[TARGET]).toBe(number);
    const since = new Date(T0).toISOString();
    const taken = new Date(T0 + 70_000).toISOString();
    // Before the number came back, during its rest: the first lease's.
    expect(await attribution(h, number, T0 + 65_000)).toEqual([[session, 'exact', since]]);
    // After: the second lease's, once, though the first lease's rest runs to 90 s.
    expect(await attribution(h, number, T0 + 80_000)).toEqual([[session, 'exact', taken]]);
    await h.server.close();
  });

  it("gives it back to another tab naming the visit's first lease after the second one also ran out", async () => {
    const h = await open(3);
    const session = sessionId('lapse3');
    const first = await assign(h, session);
    const number = first.body.numbers[TARGET] as string;
    h.clock.advance(70_000);
    const second = await assign(h, session, first.body.lease);
    expect(second.body.numbers[TARGET]).toBe(number);
    // Both tabs away past the second lease; the tab that knows only the first lease comes back first.
    h.clock.advance(70_000);
    const third = await assign(h, session, first.body.lease);
    expect([third.status, third.body.numbers[TARGET]]).toEqual([200, number]);
    // And the tab that knows the second, after the third ran out too.
    h.clock.advance(70_000);
    const fourth = await assign(h, session, second.body.lease);
    expect([fourth.status, fourth.body.numbers[TARGET]]).toEqual([200, number]);
    await h.server.close();
  });

  it('takes nothing out of quarantine for a stranger under the session, a forged lease, or the lease under another session', async () => {
    const h = await open(1);
    const session = sessionId('lapse4');
    const first = await assign(h, session);
    const number = first.body.numbers[TARGET] as string;
    h.clock.advance(61_000);
    const forged = await assign(h, session, 'A'.repeat(24), STRANGER);
    expect([forged.status, forged.body.status]).toEqual([200, 'exhausted']);
    expect((await h.pool('release', { session, lease: forged.body.lease }, STRANGER)).status).toBe(204);
    const elsewhere = await assign(h, sessionId('lapse4b'), first.body.lease, STRANGER);
    expect([elsewhere.status, elsewhere.body.status]).toEqual([200, 'exhausted']);
    const stranger = await assign(h, session, undefined, STRANGER);
    expect([stranger.status, stranger.body.status]).toEqual([200, 'exhausted']);
    // The visitor comes back naming its lease: the session is theirs again, and so is the number.
    const back = await assign(h, session, first.body.lease);
    expect([back.status, back.body.numbers[TARGET]]).toEqual([200, number]);
    await h.server.close();
  });

  it("gives a withdrawn visit's number to no one, the visit included, until its rest ends", async () => {
    const h = await open(1);
    const session = sessionId('lapse5');
    const first = await assign(h, session);
    h.clock.advance(10_000);
    expect((await h.pool('release', { session, lease: first.body.lease, forget: true }, VISITOR)).status).toBe(204);
    expect((await assign(h, session, first.body.lease)).status).toBe(410);
    h.clock.advance(29_999);
    expect((await assign(h, sessionId('lapse5b'), undefined, STRANGER)).body.status).toBe('exhausted');
    h.clock.advance(1);
    expect((await assign(h, sessionId('lapse5c'), undefined, STRANGER)).body.status).toBe('ok');
    await h.server.close();
  });

  it('gives the number of a visit withdrawn after its lease ran out to no one, the visit included, until its rest ends', async () => {
    const h = await open(1);
    const session = sessionId('lapse8');
    const first = await assign(h, session);
    // The lease ran out at 60 s (resting to 90 s); the withdrawal comes after, naming it.
    h.clock.advance(65_000);
    expect((await h.pool('release', { session, lease: first.body.lease, forget: true }, VISITOR)).status).toBe(204);
    expect((await assign(h, session, first.body.lease)).status).toBe(410);
    const stranger = await assign(h, session, undefined, STRANGER);
    expect([stranger.status, stranger.body.status]).toEqual([200, 'exhausted']);
    expect((await h.pool('release', { session, lease: stranger.body.lease }, STRANGER)).status).toBe(204);
    h.clock.advance(24_999);
    expect((await assign(h, sessionId('lapse8b'), undefined, STRANGER)).body.status).toBe('exhausted');
    h.clock.advance(1);
    expect((await assign(h, sessionId('lapse8c'), undefined, STRANGER)).body.status).toBe('ok');
    await h.server.close();
  });

  it("names each of two visits alone on either side of the instant the first one's rest ends", async () => {
    const h = await open(1);
    const first = await assign(h, sessionId('lapse9'));
    const number = first.body.numbers[TARGET] as string;
    h.clock.advance(10_000);
    await h.pool('release', { session: sessionId('lapse9'), lease: first.body.lease }, VISITOR);
    h.clock.advance(30_000);
    const next = await assign(h, sessionId('lapse9b'), undefined, STRANGER);
    expect(next.body.numbers[TARGET]).toBe(number);
    expect(await attribution(h, number, T0 + 39_999)).toEqual([
      [sessionId('lapse9'), 'exact', new Date(T0).toISOString()],
    ]);
    expect(await attribution(h, number, T0 + 40_000)).toEqual([
      [sessionId('lapse9b'), 'exact', new Date(T0 + 40_000).toISOString()],
    ]);
    await h.server.close();
  });

  it("names the number's next holder alone, after a release whose end could not be written", async () => {
    let fail = false;
    const h = await open(1, (records) => ({
      ...records,
      endPeriods: (lease, to, released) =>
        fail ? Promise.reject(new RecordStoreUnavailable('down')) : records.endPeriods(lease, to, released),
    }));
    const session = sessionId('lapse7');
    const first = await assign(h, session);
    const number = first.body.numbers[TARGET] as string;
    h.clock.advance(5000);
    // Released in the lease store; the records still say the lease holds the number to 60 s.
    fail = true;
    expect((await h.pool('release', { session, lease: first.body.lease }, VISITOR)).status).toBe(503);
    fail = false;
    h.clock.advance(35_000);
    const next = await assign(h, sessionId('lapse7b'), undefined, STRANGER);
    expect(next.body.numbers[TARGET]).toBe(number);
    expect(await attribution(h, number, T0 + 1000)).toEqual([[session, 'exact', new Date(T0).toISOString()]]);
    expect(await attribution(h, number, T0 + 50_000)).toEqual([
      [sessionId('lapse7b'), 'exact', new Date(T0 + 40_000).toISOString()],
    ]);
    await h.server.close();
  });

  it('rests a number given back whose lease could not be recorded, and gives it to the visit at its next try', async () => {
    let fail = false;
    const h = await open(1, (records) => ({
      ...records,
      startLease: (lease, periods) =>
        fail ? Promise.reject(new RecordStoreUnavailable('down')) : records.startLease(lease, periods),
    }));
    const session = sessionId('lapse6');
    const first = await assign(h, session);
    const number = first.body.numbers[TARGET] as string;
    h.clock.advance(61_000);
    fail = true;
    expect((await assign(h, session, first.body.lease)).status).toBe(503);
    fail = false;
    // Still resting (to 90 s): not free for another visitor.
    h.clock.advance(1000);
    const other = await assign(h, sessionId('lapse6b'), undefined, STRANGER);
    expect(other.body.status).toBe('exhausted');
    expect((await h.pool('release', { session: sessionId('lapse6b'), lease: other.body.lease }, STRANGER)).status).toBe(
      204,
    );
    const back = await assign(h, session, first.body.lease);
    expect([back.status, back.body.numbers[TARGET]]).toEqual([200, number]);
    await h.server.close();
  });
});
