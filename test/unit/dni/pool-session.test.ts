// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startNumberInsertion } from '../../../src/entries/dni';
import { parseVisitContext, readVisitContext } from '../../../src/dni/context';
import { matchRule } from '../../../src/dni/source';
import { createPoolClient, parsePoolReply } from '../../../src/dni/pool';
// @ts-expect-error plain ESM module without types
import { createPool, createPoolHandler } from '../../../demo/pool-server.mjs';

const T = '+15551234567';
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};
afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
const page = (fetchImpl: (url: string, init: RequestInit) => Promise<Response>, extra = {}) => {
  document.body.innerHTML = '<p id="a">Call (555) 123-4567</p><div id="ticker"></div>';
  vi.stubGlobal('fetch', fetchImpl);
  const store = createConsentStore();
  const stop = startNumberInsertion(store, {
    targets: [T],
    rules: [{ pool: true, number: '+18889990000' }],
    pool: { url: '/pool/' },
    url: 'https://shop.example/',
    referrer: '',
    ...extra,
  });
  return { store, stop, a: () => document.getElementById('a')!.textContent };
};
const A = '+15551234567';
const B = '+15559990000';
const S = 'abcdefgh12345678';

describe('pool session and rules', () => {
  it('pool request must not carry the page URL (gclid, any query) in a Referer header', async () => {
    const fetch = vi.fn(
      async (_u: string, _i: RequestInit) => new Response(JSON.stringify({ numbers: {}, lease: 'L1', ttl: 60 })),
    );
    vi.stubGlobal('fetch', fetch);
    await createPoolClient({ url: '/pool/' }, [T]).call('assign', {});
    const init = fetch.mock.calls[0]![1];
    // Same-origin `/pool/` under the default policy gets the full page URL (with ?gclid=…&email=…).
    expect(init.referrerPolicy ?? init.referrer).toBeOneOf(['no-referrer', '']);
  });

  it('a `referrer: social|search` rule tests the referrer, not the utm_source', () => {
    const ctx = (url: string, referrer: string) => readVisitContext({ url, referrer, id: 'abcdefgh12345678', now: 1 });
    // A Meta ad with Meta's default dynamic UTM (utm_source={{site_source_name}} = fb), referrer m.facebook.com.
    const fb = ctx('https://shop.example/?utm_source=fb&utm_medium=paid', 'https://m.facebook.com/');
    expect(matchRule([{ referrer: 'social', number: '+18880000001' }], fb)?.number).toBe('+18880000001');
    // Came from Google search with a newsletter tag.
    const g = ctx('https://shop.example/?utm_source=newsletter', 'https://www.google.com/');
    expect(matchRule([{ referrer: 'search', number: '+18880000002' }], g)?.number).toBe('+18880000002');
  });

  it('clickId "*" counts the site\'s configured click ids (clickIds option)', async () => {
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    const store = createConsentStore();
    const stop = startNumberInsertion(store, {
      targets: [T],
      clickIds: ['yclid'],
      rules: [{ clickId: '*', number: '+18889990000' }],
      url: 'https://shop.example/?yclid=abc',
      referrer: '',
    });
    store.acceptAll();
    await settle();
    expect(JSON.parse(localStorage.getItem('consentline_dni')!).f.q).toEqual({ yclid: 'abc' });
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 999-0000');
    stop();
  });

  it('reference server: an overflow number survives renew and an idempotent assign (reload)', () => {
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, overflow: { [T]: '+18880000009' } });
    pool.assign({ session: 'sessiona1', targets: [T] });
    const b = pool.assign({ session: 'sessionb1', targets: [T] });
    expect(b.numbers).toEqual({ [T]: '+18880000009' });
    expect(pool.assign({ session: 'sessionb1', targets: [T], lease: b.lease }).numbers).toEqual({
      [T]: '+18880000009',
    });
    expect(pool.renew({ session: 'sessionb1', lease: b.lease }).numbers).toEqual({ [T]: '+18880000009' });
  });

  it('client: overflow number replaced by the fallback at the first renewal', async () => {
    vi.useFakeTimers();
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, overflow: { [T]: '+18880000009' }, ttl: 20 });
    pool.assign({ session: 'otherses1', targets: [T] });
    const { store, stop, a } = page(async (url, init) => {
      const out = pool[url.split('/').pop()!](JSON.parse(init.body as string));
      return out ? new Response(JSON.stringify(out)) : new Response('', { status: 404 });
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 000-0009');
    await vi.advanceTimersByTimeAsync(11_000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    // Same lease, renewed: the number must not change mid-visit.
    expect(a()).toBe('Call (888) 000-0009');
    stop();
  });

  it('reference server: an exhausted session gets a number once one is free again (reload / activity)', () => {
    let t = 1_000_000;
    const pool = createPool({ numbers: { [T]: ['+18880000001'] }, ttl: 60, quarantine: 30, now: () => t });
    const a = pool.assign({ session: 'sessiona1', targets: [T] });
    const b = pool.assign({ session: 'sessionb1', targets: [T] });
    expect(b.status).toBe('exhausted');
    pool.release({ session: 'sessiona1', lease: a.lease });
    t += 31_000;
    // b is still active (renews), reloads: number free for a second already.
    expect(pool.renew({ session: 'sessionb1', lease: b.lease }).status).not.toBe('exhausted');
    expect(pool.assign({ session: 'sessionb1', targets: [T], lease: b.lease }).numbers).toEqual({
      [T]: '+18880000001',
    });
  });

  it('a stored latest touch whose only mark was a click id is no longer a touch once click ids are dropped', () => {
    const raw = JSON.stringify({
      id: 'abcdefgh12345678',
      f: { t: 1, p: '/', q: { utm_source: 'google', utm_medium: 'cpc' } },
      l: { t: 2, p: '/', q: { gclid: 'GCLIDVAL' } },
    });
    const noClicks = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id'];
    const c = parseVisitContext(raw, noClicks)!;
    expect(JSON.stringify(c)).not.toContain('GCLIDVAL');
    // The "latest non-direct touch" is now an empty direct touch and overrides the paid first touch.
    expect(
      matchRule(
        [
          { direct: true, number: '+18880000009' },
          { medium: 'cpc', number: '+18880000001' },
        ],
        c,
      )?.number,
    ).toBe('+18880000001');
  });

  it('no pool number is taken for a page opened hidden (background tab / prerender) until it is seen', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify({ numbers: { [T]: '+18880000001' }, lease: 'L1', ttl: 60 }));
    });
    // On document's prototype, where the SDK reads it (past markup shadowing document's members).
    const hidden = vi.spyOn(Object.getPrototypeOf(document), 'visibilityState', 'get').mockReturnValue('hidden');
    const store = createConsentStore();
    const stop = startNumberInsertion(store, {
      targets: [T],
      rules: [{ pool: true }],
      pool: { url: '/pool/' },
      url: 'https://shop.example/',
      referrer: '',
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    hidden.mockRestore();
    expect(calls).toEqual([]);
    stop();
  });
});

describe('pool session: activity, lease gone, breaker', () => {
  it('a script-driven scroll (carousel/chat widget) or a synthetic event is not visitor activity: no renewal', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const { store, stop } = page(async (url) => {
      calls.push(url);
      return new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 20 }));
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(11_000);
    // A ticker scrolled by site code every few seconds; the visitor does nothing.
    for (let i = 0; i < 5; i++) {
      document.getElementById('ticker')!.dispatchEvent(new Event('scroll'));
      await vi.advanceTimersByTimeAsync(11_000);
    }
    expect(calls).toEqual(['/pool/assign']);
    stop();
  });

  it('a renewal answered 404 (the lease gone: a server restart, released elsewhere) drops the number at once and asks again at once, naming the lease', async () => {
    vi.useFakeTimers();
    let gone = false;
    let answer: (r: Response) => void = () => {};
    const sent: Array<{ op: string; lease?: string }> = [];
    const { store, stop, a } = page(async (url, init) => {
      const op = url.split('/').pop()!;
      sent.push({ op, lease: JSON.parse(init.body as string).lease });
      if (gone && op === 'renew') return new Response('{"error":"unknown lease"}', { status: 404 });
      if (gone) return new Promise<Response>((resolve) => (answer = resolve));
      return new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 60 }));
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 555-0101');
    // E.g. the pool server restarted: +18885550101 is free and may go to the next visitor now.
    gone = true;
    await vi.advanceTimersByTimeAsync(31_000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    // No further activity: the assign went out with the renewal's answer.
    expect(sent).toEqual([
      { op: 'assign', lease: undefined },
      { op: 'renew', lease: 'L1' },
      { op: 'assign', lease: 'L1' },
    ]);
    expect(a()).toBe('Call (888) 999-0000');
    answer(new Response(JSON.stringify({ numbers: { [T]: '+18885550102' }, lease: 'L2', ttl: 60 })));
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 555-0102');
    stop();
  });

  it('a renewal answered 410 (the visit was withdrawn elsewhere) drops the number at once and asks nothing more', async () => {
    vi.useFakeTimers();
    let withdrawn = false;
    const ops: string[] = [];
    const { store, stop, a } = page(async (url) => {
      ops.push(url.split('/').pop() as string);
      return withdrawn
        ? new Response('{"error":"the visit of this lease was withdrawn"}', { status: 410 })
        : new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 60 }));
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 555-0101');
    withdrawn = true;
    await vi.advanceTimersByTimeAsync(31_000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 999-0000');
    // Neither a renewal nor an assign naming the withdrawn visit's lease follows, however active.
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(31_000);
      document.dispatchEvent(new Event('pointerdown'));
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(ops).toEqual(['assign', 'renew']);
    expect(a()).toBe('Call (888) 999-0000');
    stop();
  });

  it('an assign answered 410 shows the fallback and asks nothing more', async () => {
    vi.useFakeTimers();
    const ops: string[] = [];
    const { store, stop, a } = page(async (url) => {
      ops.push(url.split('/').pop() as string);
      return new Response('{"error":"the visit of this lease was withdrawn"}', { status: 410 });
    });
    localStorage.setItem(
      'consentline_dni',
      JSON.stringify({ id: S, f: { t: Date.now(), p: '/', q: {} }, lease: 'L0' }),
    );
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(31_000);
      document.dispatchEvent(new Event('pointerdown'));
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(ops).toEqual(['assign']);
    expect(a()).toBe('Call (888) 999-0000');
    stop();
  });

  it('the lease is released on withdrawal even after the breaker opened on failed renewals', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    let fail = false;
    const { store, stop } = page(async (url) => {
      calls.push(url);
      return fail
        ? new Response('', { status: 503 })
        : new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 600 }));
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    fail = true;
    await vi.advanceTimersByTimeAsync(301_000);
    for (let i = 0; i < 3; i++) {
      document.dispatchEvent(new Event('keydown'));
      await vi.advanceTimersByTimeAsync(10_010);
    }
    fail = false;
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.at(-1)).toBe('/pool/release');
    stop();
  });

  it('a session whose lease is held elsewhere (409) gets a number once that lease has run out: 409 is no server failure', async () => {
    vi.useFakeTimers();
    // The visitor accepted and left before the assign was answered: the server holds a lease that
    // no page knows, so this page's assigns are answered 409 until it runs out (60 s).
    const pool = createPool({ numbers: { [T]: ['+18885550101', '+18885550102'] }, ttl: 60, now: () => Date.now() });
    pool.assign({ session: S, targets: [T] });
    const ops: string[] = [];
    const { store, stop, a } = page(async (url, init) => {
      const op = url.split('/').pop() as string;
      const out = pool[op](JSON.parse(init.body as string));
      ops.push(`${op} ${out === 'held' ? 409 : 200}`);
      return out === 'held'
        ? new Response('{"error":"lease held"}', { status: 409 })
        : new Response(JSON.stringify(out));
    });
    // The visit's context, stored by that page (its session named, its lease not).
    localStorage.setItem('consentline_dni', JSON.stringify({ id: S, f: { t: Date.now(), p: '/', q: {} } }));
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 999-0000');
    for (let i = 0; i < 7; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      document.dispatchEvent(new Event('pointerdown'));
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(ops.at(-1)).toBe('assign 200');
    expect(a()).toMatch(/^Call \(888\) 555-010[12]$/);
    stop();
  });

  it('clickId and path conditions compare case-insensitively, as documented', () => {
    const c = { session: 'abcdefgh12345678', first: { time: 1, path: '/promo/spring', params: { gclid: 'x' } } };
    expect(matchRule([{ clickId: 'GCLID', number: '+18880000001' }], c)?.number).toBe('+18880000001');
    expect(matchRule([{ path: '/Promo', number: '+18880000002' }], c)?.number).toBe('+18880000002');
  });
});

describe('reference server input, anti-flicker cap', () => {
  it('reference server refuses a non-string session / nested targets', () => {
    const pool = createPool({ numbers: { [T]: ['+18880000001', '+18880000002'] } });
    expect(pool.assign({ session: ['abcdefgh1'], targets: [T] })).toBeNull();
    expect(pool.assign({ session: 'abcdefgh2', targets: [[T]] })).toBeNull();
  });

  it('hidden never past the cap with a 10 s server, fallback shown, markup reply rejected', async () => {
    vi.useFakeTimers();
    let mode = 'slow';
    const calls: string[] = [];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push(url);
      if (mode === 'markup')
        return Promise.resolve(
          new Response(JSON.stringify({ numbers: { [T]: '<b>+18885550101</b>' }, lease: 'L1', ttl: 60 })),
        );
      return new Promise((done, fail) => {
        const t = setTimeout(
          () => done(new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 60 }))),
          10_000,
        );
        init.signal!.addEventListener('abort', () => {
          clearTimeout(t);
          fail(new Error('abort'));
        });
      });
    });
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    const store = createConsentStore();
    const stop = startNumberInsertion(store, {
      targets: [T],
      rules: [{ pool: true, number: '+18889990000' }],
      pool: { url: '/pool/', hide: 5000 },
      url: 'https://shop.example/',
      referrer: '',
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(5);
    expect(document.documentElement.hasAttribute('data-consentline-dni-pending')).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.documentElement.hasAttribute('data-consentline-dni-pending')).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 999-0000');
    mode = 'markup';
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10_010);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 999-0000');
    expect(document.body.innerHTML).not.toContain('<b>');
    stop();
  });
});

// Two pages of one visit (two tabs, or a page restored from the back/forward cache) with different
// targets: each call names its page's targets, and each reply answers those only.
describe('reference pool server: renew answers another page’s targets', () => {
  it('page 1 (targets [A]) renews after page 2 (targets [B]) assigned: its reply names A, never B', () => {
    const pool = createPool({ numbers: { [A]: ['+18880000001'], [B]: ['+18880000002'] } });
    const p1 = pool.assign({ session: S, targets: [A] });
    expect(p1.numbers).toEqual({ [A]: '+18880000001' });
    pool.assign({ session: S, targets: [B], lease: p1.lease });
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
    pool.assign({ session: S, targets: [A], lease: p1.lease });
    expect(pool.renew({ session: S, lease: p1.lease, targets: [A, B] }).status).toBe('exhausted');
  });

  // fill() still walks every target ever asked: a page that asks only B makes the lease take a
  // number for A (freed meanwhile) that no reply will ever show, holding it from other visitors
  // and then quarantining it.
  it('an assign for [B] does not take a number for A, a target it did not ask (and no reply shows)', () => {
    let t = 0;
    const pool = createPool({
      numbers: { [A]: ['+18880000001'], [B]: ['+18880000002'] },
      ttl: 60,
      quarantine: 30,
      now: () => t,
    });
    pool.assign({ session: 'othersession1', targets: [A] }); // A's only number goes to another visitor
    const mine0 = pool.assign({ session: S, targets: [A] });
    expect(mine0.status).toBe('exhausted');
    t = 50_000;
    pool.renew({ session: S, lease: mine0.lease }); // this visit's lease: until 110 s
    t = 65_000;
    pool.renew({ session: S, lease: mine0.lease }); // until 125 s; the other visitor's (gone at 60 s) is swept: A rests until 95 s
    expect(pool.inspect().leases.map((l: { session: string }) => l.session)).toEqual([S]);
    t = 100_000;
    const r = pool.assign({ session: S, targets: [B], lease: mine0.lease });
    expect(Object.keys(r.numbers)).toEqual([B]);
    const mine = pool.inspect().leases.find((l: { session: string }) => l.session === S);
    expect(mine.numbers[A]).toBeUndefined();
  });
});

describe('reference pool server fill()', () => {
  const A = '+15551234567';
  const B = '+15559990000';
  // fill() uses the lease's first targets, not the request's: a second page of the same visit
  // (same session id, within the ttl) with another target gets none, status 'ok', although the
  // pool has free numbers; a page with only B gets {A: …}, which parsePoolReply rejects (unknown
  // target) and counts as a failure toward the breaker.
  it('a repeat assign with another target fills that target too', () => {
    const pool = createPool({ numbers: { [A]: ['+18880000001'], [B]: ['+18880000002'] } });
    const first = pool.assign({ session: 'abcdefgh12345678', targets: [A] });
    const r = pool.assign({ session: 'abcdefgh12345678', targets: [A, B], lease: first.lease });
    expect(r.numbers[B]).toBe('+18880000002');
    const only = pool.assign({ session: 'abcdefgh12345678', targets: [B], lease: first.lease });
    expect(Object.keys(only.numbers)).toEqual([B]);
  });
});

// Calls the reference server's HTTP handler without a socket: its status and body.
const httpCall = (h: (...a: unknown[]) => unknown, op: string, body: unknown) => {
  const out: { status?: number; body?: string } = {};
  const res = { writeHead: (s: number) => (out.status = s), end: (b: string) => (out.body = b) };
  h({ method: 'POST' }, res, JSON.stringify(body), new URL('http://x/pool/' + op));
  return out;
};

describe('reference server: renew with malformed targets is refused with 400 (docs/protocols.md)', () => {
  it.each([
    ['not an array', 'x'],
    ['null', null],
    ['a non-E.164 target', ['<b>1</b>']],
    ['501 targets', Array(501).fill(A)],
  ])('%s: 400, not 404 "unknown lease" for a live lease', (_, targets) => {
    const h = createPoolHandler({ numbers: { [A]: ['+18880000001'] } });
    const a = JSON.parse(httpCall(h, 'assign', { session: S, targets: [A] }).body!);
    const r = httpCall(h, 'renew', { session: S, lease: a.lease, targets });
    expect(h.pool.inspect().leases).toHaveLength(1); // the lease is alive
    expect(r.status).toBe(400);
  });
});

describe('reference server: a live lease is disclosed only to whoever names it', () => {
  it('a re-assign without the lease id is 409 and neither reveals nor changes the lease', () => {
    const h = createPoolHandler({ numbers: { [A]: ['+18880000001'] } });
    const a = JSON.parse(httpCall(h, 'assign', { session: S, targets: [A] }).body!);
    const before = JSON.stringify(h.pool.inspect());
    const r = httpCall(h, 'assign', { session: S, targets: [A] });
    expect(r.status).toBe(409);
    expect(r.body).not.toContain(a.lease);
    expect(JSON.stringify(h.pool.inspect())).toBe(before);
    const again = httpCall(h, 'assign', { session: S, targets: [A], lease: a.lease });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body!)).toMatchObject({ lease: a.lease, numbers: { [A]: '+18880000001' } });
  });
});
