import { afterEach, describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain ESM module without types
import { createPool } from '../../../demo/pool-server.mjs';
import { createPoolClient, parsePoolReply } from '../../../src/dni/pool';

const T = '+15551234567';
const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (s: number) => (t += s * 1000) };
};

describe('reference pool server', () => {
  it('leases with expiry, idempotent assign per session, quarantine before reuse, release', () => {
    const c = clock();
    const pool = createPool({
      numbers: { [T]: ['+18880000001', '+18880000002'] },
      ttl: 60,
      quarantine: 30,
      now: c.now,
    });
    const a = pool.assign({ session: 'sessiona1', targets: [T] });
    expect(a).toMatchObject({ numbers: { [T]: '+18880000001' }, ttl: 60, status: 'ok' });
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: a.lease })).toMatchObject({
      lease: a.lease,
      numbers: { [T]: '+18880000001' },
    });
    // The session id alone is not enough to get its live lease back.
    expect(pool.assign({ session: 'sessiona1', targets: [T] })).toBe('held');
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: 'f'.repeat(24) })).toBe('held');
    const b = pool.assign({ session: 'sessionb1', targets: [T] });
    expect(b.numbers[T]).toBe('+18880000002');
    expect(pool.assign({ session: 'sessionc1', targets: [T] })).toMatchObject({ numbers: {}, status: 'exhausted' });
    // a renews, b lets its lease expire: b's number rests 30 s before anyone gets it.
    c.advance(50);
    expect(pool.renew({ session: 'sessiona1', lease: a.lease })).toMatchObject({ lease: a.lease });
    expect(pool.renew({ session: 'intruder1', lease: a.lease })).toBeNull();
    c.advance(20);
    expect(pool.renew({ session: 'sessionb1', lease: b.lease })).toBeNull();
    expect(pool.assign({ session: 'sessiond1', targets: [T] }).status).toBe('exhausted');
    c.advance(31);
    expect(pool.assign({ session: 'sessione1', targets: [T] }).numbers[T]).toBe('+18880000002');
    expect(pool.release({ session: 'nobody123', lease: a.lease })).toBe(false);
    expect(pool.release({ session: 'sessiona1', lease: a.lease })).toBe(true);
    expect(pool.inspect().resting).toEqual(['+18880000001']);
    expect(pool.assign({ session: 'sessionf1', targets: [T] }).status).toBe('exhausted');
  });
  it('rests a number that ran out from the end of its lease, not from when the pool next looks', () => {
    const c = clock();
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, ttl: 60, quarantine: 30, now: c.now });
    const a = pool.assign({ session: 'sessiona1', targets: [T] });
    // The tab closed without a release; the next visitor comes ten minutes later.
    c.advance(600);
    expect(pool.assign({ session: 'sessionb1', targets: [T] })).toMatchObject({
      numbers: { [T]: '+18880000001' },
      status: 'ok',
    });
    expect(pool.release({ session: 'sessiona1', lease: a.lease })).toBe(false);
  });
  it('answers a release of a lease that ran out as unknown, and rests its number from its end', () => {
    const c = clock();
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, ttl: 60, quarantine: 30, now: c.now });
    const a = pool.assign({ session: 'sessiona1', targets: [T] });
    c.advance(80);
    expect(pool.release({ session: 'sessiona1', lease: a.lease })).toBe(false);
    c.advance(10);
    expect(pool.assign({ session: 'sessionb1', targets: [T] }).numbers[T]).toBe('+18880000001');
  });
  it('overflow number when full; malformed requests refused', () => {
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, overflow: { [T]: '+18880000009' } });
    pool.assign({ session: 'sessiona1', targets: [T] });
    expect(pool.assign({ session: 'sessionb1', targets: [T] })).toMatchObject({
      numbers: { [T]: '+18880000009' },
      status: 'overflow',
    });
    expect(pool.assign({ session: '<x>', targets: [T] })).toBeNull();
    expect(pool.assign({ session: 'sessionc1', targets: ['<b>'] })).toBeNull();
    expect(pool.assign(null)).toBeNull();
  });
});

describe('reference pool server: visits, as consentline/server keeps them', () => {
  const numbers = { [T]: ['+18880000001', '+18880000002', '+18880000003'] };
  it("gives a tab naming an earlier lease of the visit the visit's live lease; a forged or another session's lease gets held", () => {
    const c = clock();
    const pool = createPool({ numbers, ttl: 60, quarantine: 30, now: c.now });
    const first = pool.assign({ session: 'sessiona1', targets: [T] });
    // Both tabs away past the lease; one comes back and takes the visit's next lease.
    c.advance(70);
    const second = pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease });
    expect(second.lease).not.toBe(first.lease);
    // The other tab, which knows only the first lease, joins it.
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease })).toMatchObject({
      lease: second.lease,
      numbers: second.numbers,
    });
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: 'f'.repeat(24) })).toBe('held');
    expect(pool.assign({ session: 'sessiona1', targets: [T] })).toBe('held');
    const other = pool.assign({ session: 'sessionb1', targets: [T] });
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: other.lease })).toBe('held');
  });
  it('gives a lapsed visit its resting number back, and no one else', () => {
    const c = clock();
    const pool = createPool({ numbers, ttl: 60, quarantine: 30, now: c.now });
    const first = pool.assign({ session: 'sessiona1', targets: [T] });
    c.advance(70);
    expect(pool.assign({ session: 'sessionb1', targets: [T], lease: first.lease }).numbers[T]).not.toBe(
      first.numbers[T],
    );
    expect(pool.assign({ session: 'sessiona1', targets: [T] })).toMatchObject({ numbers: { [T]: '+18880000003' } });
  });
  it('gives the lapsed visit its number back ahead of the free ones', () => {
    const c = clock();
    const pool = createPool({ numbers, ttl: 60, quarantine: 30, now: c.now });
    const first = pool.assign({ session: 'sessiona1', targets: [T] });
    c.advance(70);
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease })).toMatchObject({
      numbers: first.numbers,
      status: 'ok',
    });
  });
  it('lets the visitor take the session back from a later visit under it', () => {
    const c = clock();
    const pool = createPool({ numbers, ttl: 60, quarantine: 30, now: c.now });
    const first = pool.assign({ session: 'sessiona1', targets: [T] });
    c.advance(70);
    const stranger = pool.assign({ session: 'sessiona1', targets: [T] });
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease })).toMatchObject({ status: 'ok' });
    expect(pool.renew({ session: 'sessiona1', lease: stranger.lease })).toBeNull();
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: stranger.lease })).toBe('held');
  });
  it('forgets a withdrawn visit: its lease joins nothing and takes no number out of a rest', () => {
    const c = clock();
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, ttl: 60, quarantine: 30, now: c.now });
    const first = pool.assign({ session: 'sessiona1', targets: [T] });
    c.advance(70);
    const second = pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease });
    expect(pool.release({ session: 'sessiona1', lease: first.lease, forget: true })).toBe(true);
    expect(pool.renew({ session: 'sessiona1', lease: second.lease })).toBeNull();
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: second.lease })).toMatchObject({
      status: 'exhausted',
    });
  });
});

describe('reference pool server: how long it keeps visits', () => {
  const numbers = { [T]: ['+18880000001', '+18880000002', '+18880000003'] };
  it('keeps the visits of at most maxVisits ended leases, forgetting those that ended first', () => {
    const c = clock();
    const pool = createPool({ numbers, ttl: 60, quarantine: 30, maxVisits: 2, now: c.now });
    const sessions = ['sessiona1', 'sessionb1', 'sessionc1'];
    const leases = sessions.map((session) => pool.assign({ session, targets: [T] }));
    sessions.forEach((session, i) => {
      c.advance(1);
      expect(pool.release({ session, lease: leases[i].lease })).toBe(true);
    });
    // Every number rests. The visit of the lease that ended last gets its own back; the first
    // one's visit is forgotten, so its lease names no visit and takes nothing out of a rest.
    expect(pool.assign({ session: 'sessionc1', targets: [T], lease: leases[2].lease })).toMatchObject({
      numbers: leases[2].numbers,
    });
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: leases[0].lease })).toMatchObject({
      numbers: {},
      status: 'exhausted',
    });
  });
  it('holds no more visit records than maxVisits plus the live leases, however many leases end', () => {
    const c = clock();
    const pool = createPool({ numbers, ttl: 60, quarantine: 0, maxVisits: 10, now: c.now });
    for (let i = 0; i < 1000; i++) {
      const session = `session${String(i).padStart(4, '0')}`;
      const lease = pool.assign({ session, targets: [T] });
      if (i % 2) pool.release({ session, lease: lease.lease });
      else c.advance(61);
    }
    expect(pool.inspect().visits).toBeLessThanOrEqual(10 + pool.inspect().leases.length);
  });
  it("forgets a lease's visit `retention` seconds after the lease ended, not before", () => {
    const c = clock();
    const pool = createPool({ numbers, ttl: 60, quarantine: 30, retention: 100, now: c.now });
    const first = pool.assign({ session: 'sessiona1', targets: [T] });
    c.advance(70);
    const second = pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease });
    // The first lease ended at 60 s: a tab naming it joins the visit's live lease until 160 s.
    c.advance(50);
    pool.renew({ session: 'sessiona1', lease: second.lease });
    c.advance(39);
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease })).toMatchObject({
      lease: second.lease,
    });
    c.advance(1);
    expect(pool.assign({ session: 'sessiona1', targets: [T], lease: first.lease })).toBe('held');
  });
});

describe('pool client', () => {
  it('parsePoolReply accepts the documented shape only', () => {
    expect(parsePoolReply({ numbers: { [T]: '+18880000001' }, lease: 'abc', ttl: 60, status: 'ok' }, [T])).toEqual({
      numbers: { [T]: '+18880000001' },
      lease: 'abc',
      ttl: 60,
      status: 'ok',
    });
    expect(parsePoolReply({ numbers: {}, lease: 'abc', ttl: 60, status: 'exhausted' }, [T])).toMatchObject({
      status: 'exhausted',
    });
    for (const bad of [
      null,
      '<b>hi</b>',
      { numbers: { [T]: '<b>+18880000001</b>' }, lease: 'a', ttl: 60 },
      { numbers: { [T]: '555' }, lease: 'a', ttl: 60 },
      { numbers: { '+19990000000': '+18880000001' }, lease: 'a', ttl: 60 },
      { numbers: { [T]: '+18880000001' }, lease: '<x>', ttl: 60 },
      { numbers: { [T]: '+18880000001' }, lease: 'a', ttl: 'x' },
      { numbers: { [T]: '+18880000001' }, lease: 'a', ttl: 60, status: 'weird' },
      { numbers: 'x', lease: 'a', ttl: 60 },
    ])
      expect(parsePoolReply(bad, [T])).toBeNull();
  });
  it('answers a tagged result: ok with the reply, gone for a renewal answered 404, released, failed', async () => {
    const reply = { numbers: { [T]: '+18880000001' }, lease: 'L1', ttl: 60, status: 'ok' };
    const answers: Record<string, Response> = {};
    vi.stubGlobal('fetch', async (url: string) => answers[url] ?? new Response('{}', { status: 500 }));
    try {
      const client = createPoolClient({ url: '/pool/', failures: 10 }, [T]);
      answers['/pool/assign'] = new Response(JSON.stringify(reply));
      expect(await client.call('assign', {})).toEqual({ kind: 'ok', reply });
      answers['/pool/renew'] = new Response('{"error":"unknown lease"}', { status: 404 });
      expect(await client.call('renew', {})).toEqual({ kind: 'gone' });
      answers['/pool/release'] = new Response(null, { status: 204 });
      expect(await client.call('release', {})).toEqual({ kind: 'released' });
      answers['/pool/assign'] = new Response('{"error":"unknown lease"}', { status: 404 });
      expect(await client.call('assign', {})).toEqual({ kind: 'failed' });
      answers['/pool/assign'] = new Response(JSON.stringify({ ...reply, lease: '<b>' }));
      expect(await client.call('assign', {})).toEqual({ kind: 'failed' });
      answers['/pool/assign'] = new Response('<html>');
      expect(await client.call('assign', {})).toEqual({ kind: 'failed' });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('times out after 1.5 s at most and opens the breaker after repeated failures', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(
      (_u: string, init: RequestInit) =>
        new Promise<Response>((_, reject) => init.signal!.addEventListener('abort', () => reject(new Error('abort')))),
    );
    vi.stubGlobal('fetch', fetch);
    try {
      const client = createPoolClient({ url: '/pool/', timeout: 10_000 }, [T]);
      for (let i = 0; i < 3; i++) {
        const p = client.call('assign', {});
        await vi.advanceTimersByTimeAsync(1500);
        expect(await p).toEqual({ kind: 'failed' });
      }
      expect(await client.call('assign', {})).toEqual({ kind: 'failed' });
      expect(fetch).toHaveBeenCalledTimes(3);
      const init = fetch.mock.calls[0]![1];
      expect(init).toMatchObject({ method: 'POST', credentials: 'omit', body: '{}' });
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });
});

describe('pool replies too big to be a reply', () => {
  const reply = { numbers: { [T]: '+18880000001' }, lease: 'L1', ttl: 60 };
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('a body past 64 KiB is a failure, read or not: a well-formed reply padded with spaces, or one that says its length', async () => {
    const padded = JSON.stringify(reply) + ' '.repeat(70_000);
    const text = vi.fn();
    vi.stubGlobal('fetch', async (url: string) => {
      if (url.endsWith('assign')) return new Response(padded);
      // Says it is too long: never read.
      const res = new Response(JSON.stringify(reply), { headers: { 'content-length': '5000000' } });
      res.text = text;
      res.json = text;
      return res;
    });
    const client = createPoolClient({ url: '/pool/' }, [T]);
    expect(await client.call('assign', {})).toEqual({ kind: 'failed' });
    expect(await client.call('renew', {})).toEqual({ kind: 'failed' });
    expect(text).not.toHaveBeenCalled();
  });

  it('control: the same reply within the limit is taken', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(reply) + ' '.repeat(1000)));
    expect(await createPoolClient({ url: '/pool/' }, [T]).call('assign', {})).toMatchObject({ kind: 'ok' });
  });
});
