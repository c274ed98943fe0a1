// The two lease stores give the same answers to the same random sequence of assigns (naming leases
// and visits), renewals, releases (unused, withdrawn), recoveries (`rest`) and time steps, and
// neither hands a number to a second lease while one holds it, nor to another visit (or a withdrawn
// one) before its rest ends, however far a recovery moved that end.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLeaseStore, type AssignResult, type LeaseView, type PoolConfig } from '../../src/server/index';
import { connectRedisLeaseStore, OTHER_TARGET, T0, TARGET } from './support/harness';
import { startRedis, type RedisInstance } from './support/services';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

// One number per target, so that which free number a store picks is not a choice.
const POOL: PoolConfig = {
  numbers: { [TARGET]: ['+18885550001'], [OTHER_TARGET]: ['+18885550002'] },
  overflow: { [TARGET]: '+18885550009' },
  overflowLeases: 1,
  ttl: 60,
  quarantine: 30,
};
const TTL = 60_000;
const REST = 30_000;
const SESSIONS = ['s00000000001', 's00000000002', 's00000000003'];
// Each pool number with its target.
const NUMBERS = [
  { number: '+18885550001', target: TARGET },
  { number: '+18885550002', target: OTHER_TARGET },
];

type Op =
  | { op: 'assign'; session: number; targets: string[]; lease: number; visit: 'own' | 'named' | 'foreign' }
  | { op: 'renew'; session: number; lease: number; targets: string[] | undefined }
  | { op: 'release'; session: number; lease: number; unused: boolean; forget: boolean }
  | { op: 'holder'; session: number }
  | { op: 'rest'; number: number; target: 'its own' | 'another'; ms: number }
  | { op: 'wait'; ms: number };

const targets = fc.subarray([TARGET, OTHER_TARGET], { minLength: 1 });
const ops = fc.array(
  fc.oneof(
    fc.record({
      op: fc.constant('assign' as const),
      session: fc.nat(2),
      targets,
      lease: fc.integer({ min: -1, max: 8 }),
      visit: fc.constantFrom('own' as const, 'named' as const, 'foreign' as const),
    }),
    fc.record({
      op: fc.constant('renew' as const),
      session: fc.nat(2),
      lease: fc.nat(8),
      targets: fc.option(targets, { nil: undefined }),
    }),
    fc.record({
      op: fc.constant('release' as const),
      session: fc.nat(2),
      lease: fc.nat(8),
      unused: fc.boolean(),
      forget: fc.boolean(),
    }),
    fc.record({ op: fc.constant('holder' as const), session: fc.nat(2) }),
    // Twice as likely: a recovery matters when it meets a rest, which takes a lease ended before it.
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('rest' as const),
        number: fc.nat(1),
        target: fc.constantFrom('its own' as const, 'another' as const),
        ms: fc.constantFrom(-1, 0, 1, 10_000, 40_000, 90_000),
      }),
    },
    fc.record({ op: fc.constant('wait' as const), ms: fc.constantFrom(1, 5_000, 29_999, 30_000, 60_000, 61_000) }),
  ),
  { minLength: 1, maxLength: 40 },
);

const view = (v: LeaseView) => ({
  ...v,
  granted: [...v.granted].sort((a, b) => a.target.localeCompare(b.target)),
});

// What the answers say: the lease that last got each number, and how long it keeps it from others.
interface Holding {
  lease: string;
  session: string;
  visit: string;
  expires: number;
  /** The rest it took the number back from, if any. */
  inherited: number;
  /** Set once the lease ended: until when the number rests, and whether its visit may take it back. */
  ended?: { until: number; forget: boolean };
  /** The latest end a recovery gave its rest. */
  recovered?: number;
}

const run = async (sequence: Op[]) => {
  const memory = createMemoryLeaseStore(POOL);
  const stored = await connectRedisLeaseStore(redis.url, POOL, `agree${randomBytes(4).toString('hex')}:`);
  let now = T0;
  let made = 0;
  // Every lease made, with its session and visit, in order.
  const leases: { id: string; session: string; visit: string }[] = [];
  const holdings = new Map<string, Holding>();
  const leaseOf = (n: number) => leases[n % Math.max(1, leases.length)];
  const restEnd = (h: Holding) =>
    Math.max(h.ended?.until ?? h.expires + Math.max(REST, h.inherited - h.expires), h.recovered ?? 0);
  // A number a live lease holds is left alone; a resting one rests on until `until` at least, still
  // its visit's to take back; a free one rests from everyone.
  const recover = (number: string, until: number) => {
    const h = holdings.get(number);
    if (h && !h.ended && h.expires > now) return;
    if (h && restEnd(h) > now) {
      h.recovered = Math.max(h.recovered ?? 0, until);
      return;
    }
    holdings.set(number, {
      lease: '',
      session: '',
      visit: '',
      expires: now,
      inherited: 0,
      ended: { until, forget: true },
    });
  };
  const endAt = (h: Holding, at: number, ms: number, forget: boolean) => {
    h.ended = { until: Math.max(at + ms, h.inherited), forget };
  };
  const check = (v: LeaseView, visit: string) => {
    for (const g of v.granted) {
      if (g.kind !== 'own') continue;
      const last = holdings.get(g.number);
      if (last && last.lease !== v.id) {
        const over = last.ended ? true : last.expires <= now;
        expect(over, `${g.number} given to ${v.id} while ${last.lease} holds it`).toBe(true);
        const mine = last.session === v.session && last.visit === visit && !last.ended?.forget;
        if (!mine)
          expect(now, `${g.number} given to ${v.id} in the rest after ${last.lease}`).toBeGreaterThanOrEqual(
            restEnd(last),
          );
      }
      const inherited = last && last.lease !== v.id && restEnd(last) > now ? restEnd(last) : 0;
      holdings.set(g.number, { lease: v.id, session: v.session, visit, expires: v.expires, inherited });
    }
    for (const h of holdings.values()) if (h.lease === v.id) h.expires = v.expires;
  };
  try {
    for (const step of sequence) {
      if (step.op === 'wait') {
        now += step.ms;
        continue;
      }
      if (step.op === 'rest') {
        const { number, target: own } = NUMBERS[step.number] as (typeof NUMBERS)[number];
        const target = step.target === 'its own' ? own : own === TARGET ? OTHER_TARGET : TARGET;
        const rested = [{ target, number, until: now + step.ms }];
        await memory.rest?.(rested, now);
        await stored.rest?.(rested, now);
        if (target === own && step.ms > 0) recover(number, now + step.ms);
        continue;
      }
      const session = SESSIONS[step.session] as string;
      if (step.op === 'holder') {
        expect(await stored.holder(session, now)).toEqual(await memory.holder(session, now));
        continue;
      }
      if (step.op === 'assign') {
        const id = `L${String(made++).padStart(23, '0')}`;
        const named = step.lease < 0 ? undefined : leaseOf(step.lease);
        const ofSession = leases.filter((l) => l.session === session);
        const own = ofSession[step.lease % Math.max(1, ofSession.length)];
        const visit = step.visit === 'named' && own ? own.visit : step.visit === 'foreign' && named ? named.visit : id;
        const input = { session, targets: step.targets, id, lease: named?.id, visit, now };
        const [a, b] = [await memory.assign(input), await stored.assign(input)];
        const norm = (r: typeof a) => (r.kind === 'ok' ? { kind: r.kind, lease: view(r.lease) } : r);
        expect(norm(b), JSON.stringify(step)).toEqual(norm(a));
        if (a.kind === 'ok') {
          if (a.lease.created) leases.push({ id, session, visit });
          const leaseVisit = leases.find((l) => l.id === a.lease.id)?.visit ?? visit;
          check(a.lease, leaseVisit);
        }
        continue;
      }
      const lease = leaseOf(step.lease);
      if (!lease) continue;
      if (step.op === 'renew') {
        const input = { session, lease: lease.id, targets: step.targets, now };
        const [a, b] = [await memory.renew(input), await stored.renew(input)];
        const norm = (r: typeof a) => (r.kind === 'ok' ? { kind: r.kind, lease: view(r.lease) } : r);
        expect(norm(b), JSON.stringify(step)).toEqual(norm(a));
        if (a.kind === 'ok') check(a.lease, lease.visit);
        continue;
      }
      const input = { session, lease: lease.id, now, unused: step.unused, forget: step.forget };
      const [a, b] = [await memory.release(input), await stored.release(input)];
      expect(b, JSON.stringify(step)).toEqual(a);
      if (a.kind === 'released')
        for (const h of holdings.values())
          if (h.lease === lease.id && !h.ended) endAt(h, now, step.unused ? 0 : REST, step.forget);
    }
  } finally {
    await stored.close();
  }
};

it('memory and Redis lease stores agree on random sequences, and rests keep numbers from other visits', async () => {
  await fc.assert(fc.asyncProperty(ops, run), { numRuns: 500 });
}, 120_000);

it.each(['memory', 'redis'])(
  'rests the numbers of a lease that ran out though its release says they were never shown, on %s leases',
  async (kind) => {
    const pool = { numbers: { [TARGET]: ['+18885550001'] }, ttl: 60, quarantine: 30 };
    const store =
      kind === 'memory'
        ? createMemoryLeaseStore(pool)
        : await connectRedisLeaseStore(redis.url, pool, `unused${randomBytes(4).toString('hex')}:`);
    const first = await store.assign({
      session: SESSIONS[0] as string,
      targets: [TARGET],
      id: 'a'.repeat(24),
      now: T0,
    });
    expect(first.kind === 'ok' && first.lease.own[TARGET]).toBe('+18885550001');
    // The lease ran out at T0 + 60 s, shown until then: an unused release after that changes nothing.
    const late = { session: SESSIONS[0] as string, lease: 'a'.repeat(24), now: T0 + TTL, unused: true };
    expect(await store.release(late)).toEqual({ kind: 'gone' });
    const other = { session: SESSIONS[1] as string, targets: [TARGET], id: 'b'.repeat(24) };
    const during = await store.assign({ ...other, now: T0 + TTL + REST - 1 });
    expect(during.kind === 'ok' && during.lease.own[TARGET] !== undefined).toBe(false);
    await store.close();
  },
);

describe.each(['memory', 'redis'])('recovery (rest) on %s leases', (kind) => {
  const NUMBER = '+18885550001';
  const open = async () => {
    const pool = { numbers: { [TARGET]: [NUMBER] }, ttl: 60, quarantine: 30 };
    return kind === 'memory'
      ? createMemoryLeaseStore(pool)
      : await connectRedisLeaseStore(redis.url, pool, `recover${randomBytes(4).toString('hex')}:`);
  };
  const [visitor, other] = SESSIONS as [string, string];
  const first = { session: visitor, targets: [TARGET], id: 'a'.repeat(24), now: T0 };
  const numberOf = (r: AssignResult) => (r.kind === 'ok' ? r.lease.own[TARGET] : r.kind);

  it('lengthens the rest of a resting number and keeps it for its visit, which gets it back', async () => {
    const store = await open();
    expect(numberOf(await store.assign(first))).toBe(NUMBER);
    expect(await store.release({ session: visitor, lease: first.id, now: T0 + 10_000 })).toEqual({
      kind: 'released',
      ended: T0 + 10_000,
    });
    // Resting until T0 + 40 s; the records say a page may show it until T0 + 100 s.
    await store.rest?.([{ target: TARGET, number: NUMBER, until: T0 + 100_000 }], T0 + 20_000);
    const stranger = { session: other, targets: [TARGET], id: 'b'.repeat(24) };
    expect(numberOf(await store.assign({ ...stranger, now: T0 + 50_000 }))).toBeUndefined();
    const back = { session: visitor, targets: [TARGET], id: 'c'.repeat(24), lease: first.id, visit: first.id };
    expect(numberOf(await store.assign({ ...back, now: T0 + 60_000 }))).toBe(NUMBER);
    // Released again at once, it rests until the end recovery gave it, from everyone else.
    await store.release({ session: visitor, lease: back.id, now: T0 + 61_000 });
    const later = { session: SESSIONS[2] as string, targets: [TARGET], id: 'd'.repeat(24) };
    expect(numberOf(await store.assign({ ...later, now: T0 + 99_999 }))).toBeUndefined();
    await store.release({ session: SESSIONS[2] as string, lease: later.id, now: T0 + 99_999, unused: true });
    expect(numberOf(await store.assign({ ...later, id: 'e'.repeat(24), now: T0 + 100_000 }))).toBe(NUMBER);
    await store.close();
  });

  it('rests the number of a lease that ran out unnoticed until the end recovery gives, but for its visit', async () => {
    const store = await open();
    expect(numberOf(await store.assign(first))).toBe(NUMBER);
    // The lease ran out at T0 + 60 s and no operation has swept it yet.
    await store.rest?.([{ target: TARGET, number: NUMBER, until: T0 + 200_000 }], T0 + 70_000);
    const stranger = { session: other, targets: [TARGET], id: 'b'.repeat(24) };
    expect(numberOf(await store.assign({ ...stranger, now: T0 + 150_000 }))).toBeUndefined();
    const back = { session: visitor, targets: [TARGET], id: 'c'.repeat(24), lease: first.id, visit: first.id };
    expect(numberOf(await store.assign({ ...back, now: T0 + 160_000 }))).toBe(NUMBER);
    await store.close();
  });

  it('leaves a number a live lease holds, and rests a free one from everyone', async () => {
    const pool = { numbers: { [TARGET]: [NUMBER, '+18885550002'] }, ttl: 60, quarantine: 30 };
    const store =
      kind === 'memory'
        ? createMemoryLeaseStore(pool)
        : await connectRedisLeaseStore(redis.url, pool, `recover${randomBytes(4).toString('hex')}:`);
    const held = await store.assign(first);
    const list = [NUMBER, '+18885550002'].map((number) => ({ target: TARGET, number, until: T0 + 100_000 }));
    await store.rest?.(list, T0 + 1000);
    // The live lease renews as ever, then ends: its number rests 30 s from then, not until 100 s.
    await store.release({ session: visitor, lease: first.id, now: T0 + 2000 });
    const stranger = { session: other, targets: [TARGET], id: 'b'.repeat(24) };
    expect(numberOf(await store.assign({ ...stranger, now: T0 + 31_999 }))).toBeUndefined();
    await store.release({ session: other, lease: stranger.id, now: T0 + 31_999, unused: true });
    expect(numberOf(await store.assign({ ...stranger, id: 'c'.repeat(24), now: T0 + 32_000 }))).toBe(numberOf(held));
    await store.close();
  });
});
