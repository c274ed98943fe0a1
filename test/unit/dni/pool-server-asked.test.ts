import { describe, expect, it } from 'vitest';
import { parsePoolReply } from '../../../src/dni/pool';
// @ts-expect-error plain ESM module without types
import { createPool } from '../../../demo/pool-server.mjs';

const A = '+15551234567';
const B = '+15559990000';
const S = 'abcdefgh12345678';

// ce930cf: reply() and the status answer `lease.asked`, the targets of the LAST assign of the
// session, and renew (body `{ session, lease }`) never says which page renews. Two pages of one
// visit (two tabs, or a page restored from the back/forward cache) with different targets: the
// first page's renewals are answered with the other page's targets.
describe('reference pool server: renew answers another page’s targets', () => {
  it('page 1 (targets [A]) renews after page 2 (targets [B]) assigned: its reply names A, never B', () => {
    const pool = createPool({ numbers: { [A]: ['+18880000001'], [B]: ['+18880000002'] } });
    const p1 = pool.assign({ session: S, targets: [A] });
    expect(p1.numbers).toEqual({ [A]: '+18880000001' });
    pool.assign({ session: S, targets: [B] });
    // (targets sent along too: the server ignores them today)
    const r = pool.renew({ session: S, lease: p1.lease, targets: [A] });
    expect(Object.keys(r.numbers)).toEqual([A]);
    // What page 1's client does with it: B is an unknown target → the whole reply is a failure
    // (counted toward the breaker; the lease then runs out and page 1 loses its number).
    expect(parsePoolReply(r, [A])).not.toBeNull();
  });

  it('status: page 1 asked [A, B] with B exhausted; after page 2 asks [A], page 1’s renewal still says exhausted', () => {
    const pool = createPool({ numbers: { [A]: ['+18880000001'], [B]: [] } });
    const p1 = pool.assign({ session: S, targets: [A, B] });
    expect(p1.status).toBe('exhausted');
    pool.assign({ session: S, targets: [A] });
    expect(pool.renew({ session: S, lease: p1.lease, targets: [A, B] }).status).toBe('exhausted');
  });

  // fill() still walks every target ever asked: a page that asks only B makes the lease take a
  // number for A (freed meanwhile) that no reply will ever show, holding it from other visitors
  // and then quarantining it.
  it('an assign for [B] does not take a number for A, a target it did not ask (and no reply shows)', () => {
    let t = 0;
    const pool = createPool({ numbers: { [A]: ['+18880000001'], [B]: ['+18880000002'] }, ttl: 60, quarantine: 30, now: () => t });
    pool.assign({ session: 'othersession1', targets: [A] }); // A's only number goes to another visitor
    const mine0 = pool.assign({ session: S, targets: [A] });
    expect(mine0.status).toBe('exhausted');
    t = 50_000;
    pool.renew({ session: S, lease: mine0.lease }); // this visit's lease: until 110 s
    t = 65_000;
    pool.renew({ session: S, lease: mine0.lease }); // until 125 s; the other visitor's (gone at 60 s) is swept: A rests until 95 s
    expect(pool.inspect().leases.map((l: { session: string }) => l.session)).toEqual([S]);
    t = 100_000;
    const r = pool.assign({ session: S, targets: [B] });
    expect(Object.keys(r.numbers)).toEqual([B]);
    const mine = pool.inspect().leases.find((l: { session: string }) => l.session === S);
    expect(mine.numbers[A]).toBeUndefined();
  });
});
