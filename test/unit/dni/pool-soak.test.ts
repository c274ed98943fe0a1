// @vitest-environment happy-dom
// The visit's pool lease over a working day of simulated time, against the reference pool server
// on the same fake clock: an active visitor keeps one lease by renewals, nothing piles up (pending
// timers, activity listeners), an idle hour lets the lease run out and the next activity assigns
// again. `bench/soak.mjs` runs this file and reads its figures from CONSENTLINE_SOAK_REPORT.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPoolSession, type PoolReply } from '../../../src/dni/pool';
import { readVisitContext } from '../../../src/dni/context';
// @ts-expect-error plain ESM module without types
import { createPool } from '../../../demo/pool-server.mjs';

const T = '+15551234567';
const TTL = 60;
const HOURS = 8;
const ACTIVITY_EVERY = 20_000;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('pool lease over 8 hours of simulated time', () => {
  it('renewals keep one lease, timers and listeners stay constant, an expired lease is assigned again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    const pool = createPool({
      numbers: { [T]: ['+18885550101', '+18885550102'] },
      ttl: TTL,
      quarantine: 30,
      now: () => Date.now(),
    });
    const calls = { assign: 0, renew: 0, release: 0 } as Record<string, number>;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const op = url.split('/').pop()!;
      calls[op]!++;
      const out = pool[op](JSON.parse(init.body as string));
      return out ? new Response(JSON.stringify(out)) : new Response('{"error":"unknown lease"}', { status: 404 });
    });
    // Activity listeners held by the session: added minus removed.
    let listeners = 0;
    const add = globalThis.addEventListener.bind(globalThis);
    const remove = globalThis.removeEventListener.bind(globalThis);
    vi.stubGlobal('addEventListener', (...a: Parameters<typeof add>) => {
      listeners++;
      add(...a);
    });
    vi.stubGlobal('removeEventListener', (...a: Parameters<typeof remove>) => {
      listeners--;
      remove(...a);
    });

    const context = readVisitContext({ url: 'https://shop.example/', referrer: '', params: [] });
    const replies: Array<PoolReply | null> = [];
    const session = createPoolSession({ url: '/pool/' }, [T]);
    session.open(
      () => context,
      (reply) => replies.push(reply),
    );
    const activity = () => document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(replies).toHaveLength(1);
    const first = replies[0]!;

    let timersEarly = 0;
    let listenersEarly = 0;
    for (let t = 0; t < HOURS * 3600_000; t += ACTIVITY_EVERY) {
      activity();
      await vi.advanceTimersByTimeAsync(ACTIVITY_EVERY);
      if (t === 3600_000) {
        timersEarly = vi.getTimerCount();
        listenersEarly = listeners;
      }
    }
    const timersLate = vi.getTimerCount();
    const listenersLate = listeners;
    const whileActive = replies.slice();
    const leasesWhileActive = new Set(whileActive.map((r) => r?.lease)).size;

    // An idle hour: the lease runs out on both sides, the number is no longer shown.
    await vi.advanceTimersByTimeAsync(3600_000);
    const afterIdle = replies.at(-1);
    expect(pool.inspect().leases.every((l: { expires: number }) => l.expires <= Date.now())).toBe(true);
    // The visitor is back: a new lease, numbers shown again.
    activity();
    await vi.advanceTimersByTimeAsync(10);
    const back = replies.at(-1);
    session.close();
    await vi.advanceTimersByTimeAsync(10);

    const figures = {
      hours: HOURS,
      ttl: TTL,
      activityEverySeconds: ACTIVITY_EVERY / 1000,
      assigns: calls['assign'],
      renewals: calls['renew'],
      releases: calls['release'],
      leasesWhileActive,
      timersEarly,
      timersLate,
      listenersEarly,
      listenersLate,
      afterIdle: afterIdle === null ? 'none (fallback)' : JSON.stringify(afterIdle?.numbers),
      reassigned: back ? `yes, ${back.numbers[T]}` : 'no',
    };
    const report = process.env['CONSENTLINE_SOAK_REPORT'];
    if (report) writeFileSync(report, JSON.stringify(figures));

    // One lease for the whole active day, renewed about every half lease (activity permitting).
    expect(leasesWhileActive).toBe(1);
    expect(whileActive.every((r) => r?.numbers[T] === first.numbers[T])).toBe(true);
    expect(calls['renew']).toBeGreaterThan((HOURS * 3600) / TTL);
    // Nothing piles up: one expiry timer, four activity listeners, at hour 1 as at hour 8.
    expect(timersEarly).toBe(1);
    expect(timersLate).toBe(timersEarly);
    expect(listenersEarly).toBe(4);
    expect(listenersLate).toBe(listenersEarly);
    // Expired while idle, assigned again (another lease) on the visitor's return.
    expect(afterIdle).toBeNull();
    expect(back?.lease).toBeTruthy();
    expect(back?.lease).not.toBe(first.lease);
    expect(calls['assign']).toBe(2);
    // Closed: nothing sent (another tab of the visit may share the lease), no timer and no
    // listener left; the lease runs out by itself.
    expect(calls['release']).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners).toBe(0);
    await vi.advanceTimersByTimeAsync(TTL * 1000 + 1);
    expect(pool.inspect().leases.every((l: { expires: number }) => l.expires <= Date.now())).toBe(true);
  });
});
