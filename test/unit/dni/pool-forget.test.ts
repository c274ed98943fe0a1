// @vitest-environment happy-dom
// Withdrawal asks the pool server to forget the visit: the release carries `forget: true` and names
// the visit's latest lease even after it ran out (the server deletes every lease period of the
// session with that proof). Any other close (the site stops number insertion, a late reply for a
// closed page) sends nothing: other tabs of the visit may share the lease, which runs out once no
// page renews it. The lease id is kept with the visit context (stored only after consent), so a
// withdrawal on a later page still names it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import type { ConsentStorage } from '../../../src/core/types';
import { startNumberInsertion } from '../../../src/entries/dni';
import { createPoolSession } from '../../../src/dni/pool';
import { createCookieStorage } from '../../../src/storage/cookie-storage';

const T = '+15551234567';

interface Call {
  op: string;
  body: Record<string, unknown>;
}

/**
 * A pool that answers every assign with a new lease (L1, L2, …), or only the first one (`assign:
 * 'once'`, 503 after it), and renewals per `renew`.
 */
const pool = (options: { ttl?: number; renew?: 'ok' | 'gone'; assign?: 'every' | 'once' } = {}) => {
  const calls: Call[] = [];
  let leases = 0;
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const op = url.split('/').pop() as string;
    const body = JSON.parse(init.body as string) as Record<string, unknown>;
    calls.push({ op, body });
    if (op === 'release') return new Response(null, { status: 204 });
    if (op === 'renew' && options.renew === 'gone') return new Response('{"error":"unknown lease"}', { status: 404 });
    if (op === 'assign' && options.assign === 'once' && leases) return new Response(null, { status: 503 });
    const lease = op === 'renew' ? (body['lease'] as string) : `L${++leases}`;
    return new Response(
      JSON.stringify({ numbers: { [T]: '+18885550101' }, lease, ttl: options.ttl ?? 60, status: 'ok' }),
    );
  });
  return { calls, releases: () => calls.filter((c) => c.op === 'release').map((c) => c.body) };
};

// The decision as the consent cookie keeps it across pages of the visit.
let saved: string | undefined;
const storage: ConsentStorage = {
  read: () => saved,
  write: (value) => {
    saved = value;
  },
  remove: () => {
    saved = undefined;
  },
};

const start = () => {
  document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
  const store = createConsentStore({ storage });
  const stop = startNumberInsertion(store, {
    targets: [T],
    rules: [{ pool: true, number: '+18889990000' }],
    pool: { url: '/pool/' },
    url: 'https://shop.example/',
    referrer: '',
  });
  return { store, stop, shown: () => document.getElementById('a')!.textContent };
};

// The visit's first page, granted, holding lease L1 from the pool `p`.
const grantedPage = async () => {
  vi.useFakeTimers();
  const p = pool();
  const first = start();
  first.store.acceptAll();
  await vi.advanceTimersByTimeAsync(10);
  return { ...first, p };
};

afterEach(() => {
  saved = undefined;
  document.body.innerHTML = '';
  localStorage.clear();
  sessionStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('release on withdrawal carries forget: true', () => {
  it('a live lease: released with { session, lease, forget: true }', async () => {
    vi.useFakeTimers();
    const p = pool();
    const { store, stop, shown } = start();
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(shown()).toBe('Call (888) 555-0101');
    const session = p.calls[0]!.body['session'];
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session, lease: 'L1', forget: true }]);
    stop();
    expect(p.releases()).toHaveLength(1);
  });

  it('a lease that ran out unrenewed (an idle visitor): the last lease id is still sent, with forget', async () => {
    vi.useFakeTimers();
    const p = pool({ ttl: 10 });
    const { store, stop, shown } = start();
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(11_000);
    // The number is no longer shown: the lease is over for the page, not for the server's records.
    expect(shown()).toBe('Call (888) 999-0000');
    const session = p.calls[0]!.body['session'];
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session, lease: 'L1', forget: true }]);
    stop();
  });

  it('a lease the server dropped (renewal answered 404): the gone lease id is sent, with forget', async () => {
    vi.useFakeTimers();
    const p = pool({ ttl: 20, renew: 'gone', assign: 'once' });
    const { store, stop, shown } = start();
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(11_000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    // The assign that follows the gone lease at once fails: L1 stays the visit's latest lease.
    expect(p.calls.map((c) => [c.op, c.body['lease']])).toEqual([
      ['assign', undefined],
      ['renew', 'L1'],
      ['assign', 'L1'],
    ]);
    expect(shown()).toBe('Call (888) 999-0000');
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session: p.calls[0]!.body['session'], lease: 'L1', forget: true }]);
    stop();
  });

  it('a later lease of the visit replaces the kept one: the latest is named', async () => {
    vi.useFakeTimers();
    const p = pool({ ttl: 10 });
    const { store, stop } = start();
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(11_000);
    // Activity after the lease ran out: a new assign, a new lease.
    document.dispatchEvent(new Event('pointerdown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(p.calls.map((c) => c.op)).toEqual(['assign', 'assign']);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session: p.calls[0]!.body['session'], lease: 'L2', forget: true }]);
    stop();
  });

  it("an assign names the visit's latest lease: a server gives a live lease back only to its holder", async () => {
    vi.useFakeTimers();
    const p = pool({ ttl: 10 });
    const { store, stop } = start();
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(11_000);
    document.dispatchEvent(new Event('pointerdown'));
    await vi.advanceTimersByTimeAsync(10);
    const assigns = p.calls.filter((c) => c.op === 'assign').map((c) => c.body['lease']);
    expect(assigns).toEqual([undefined, 'L1']);
    stop();
  });

  it('the lease id is stored only with the visit context, after consent, and deleted with it on withdrawal', async () => {
    vi.useFakeTimers();
    pool({ ttl: 10 });
    const { store, stop } = start();
    const everything = () =>
      [
        ...Object.keys(localStorage).map((k) => localStorage.getItem(k)),
        ...Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)),
        document.cookie,
      ].join('\n');
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(11_000);
    expect(localStorage.getItem('consentline_dni')).toContain('L1');
    expect(everything().split('L1')).toHaveLength(2);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(everything()).not.toContain('L1');
    stop();
  });

  it('a withdrawal on a later page, before that page has a lease, forgets the visit with the stored lease', async () => {
    const first = await grantedPage();
    expect(first.shown()).toBe('Call (888) 555-0101');
    // The visitor moves on: the first page is gone (the stop stands for its unload) and the next
    // page's assign fails, so this page never gets a lease of its own.
    first.stop();
    const calls: Call[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const op = url.split('/').pop() as string;
      calls.push({ op, body: JSON.parse(init.body as string) as Record<string, unknown> });
      return new Response(null, { status: op === 'release' ? 204 : 503 });
    });
    const next = start();
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.map((c) => [c.op, c.body['lease']])).toEqual([['assign', 'L1']]);
    expect(next.shown()).toBe('Call (888) 999-0000');
    next.store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.filter((c) => c.op === 'release').map((c) => c.body)).toEqual([
      { session: calls[0]!.body['session'], lease: 'L1', forget: true },
    ]);
    next.stop();
  });

  it('a withdrawal on a later page that never asked the pool still forgets the visit', async () => {
    const first = await grantedPage();
    first.stop();
    const p = pool();
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    const store = createConsentStore({ storage });
    // This page's landing matches a rule with a plain number: no pool session is opened here.
    const stop = startNumberInsertion(store, {
      targets: [T],
      rules: [
        { utm_source: 'news', number: '+18887770000' },
        { pool: true, number: '+18889990000' },
      ],
      pool: { url: '/pool/' },
      url: 'https://shop.example/?utm_source=news',
      referrer: '',
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.calls).toEqual([]);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session: expect.stringMatching(/^[a-z0-9]{8,32}$/), lease: 'L1', forget: true }]);
    stop();
  });
});

describe('any other close sends nothing: the lease runs out once no page of the visit renews it', () => {
  it('the site stops number insertion: no release, since another tab of the visit may show its number', async () => {
    const { p, stop } = await grantedPage();
    stop();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(p.calls.map((c) => c.op)).toEqual(['assign']);
  });

  it('the site stops after the lease ran out: nothing to release, nothing sent', async () => {
    vi.useFakeTimers();
    const p = pool({ ttl: 10 });
    const { store, stop } = start();
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(11_000);
    stop();
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([]);
  });

  it('a session closed without forget while an assign is in flight: the late lease is left to run out', async () => {
    vi.useFakeTimers();
    const p = pool();
    document.documentElement.removeAttribute('data-consentline-dni-pending');
    const session = createPoolSession({ url: '/pool/' }, [T]);
    session.open(
      () => ({ session: 'abcdefgh12345678', first: { time: 1, path: '/', params: {} } }),
      () => {},
    );
    session.close();
    await vi.advanceTimersByTimeAsync(10);
    expect(p.calls.map((c) => c.op)).toEqual(['assign']);
  });

  it('a session closed with forget while an assign is in flight: the late lease is forgotten', async () => {
    vi.useFakeTimers();
    const p = pool();
    const session = createPoolSession({ url: '/pool/' }, [T]);
    session.open(
      () => ({ session: 'abcdefgh12345678', first: { time: 1, path: '/', params: {} } }),
      () => {},
    );
    session.close(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session: 'abcdefgh12345678', lease: 'L1', forget: true }]);
  });

  it('a withdrawal of the next visit does not name the previous visit’s lease', async () => {
    vi.useFakeTimers();
    const p = pool({ ttl: 10 });
    const { store, stop } = start();
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    // Granted again: a new visit id. Withdrawn before its assign is answered, with no lease yet.
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      p.calls.push({ op: url.split('/').pop() as string, body: JSON.parse(init.body as string) });
      return new Promise<Response>(() => {});
    });
    store.set({ analytics: true });
    await vi.advanceTimersByTimeAsync(10);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session: p.calls[0]!.body['session'], lease: 'L1', forget: true }]);
    stop();
  });
});

describe('a withdrawal made where call tracking did not run', () => {
  it('the next page forgets the visit with the stored lease as it deletes the stored context', async () => {
    const first = await grantedPage();
    const session = (JSON.parse(localStorage.getItem('consentline_dni')!) as { id: string }).id;
    // The visitor moves on to a page without call tracking (or whose add-on has not arrived yet)
    // and withdraws there: the stored context, and its lease, stay behind.
    first.stop();
    createConsentStore({ storage }).set({ analytics: false });
    expect(localStorage.getItem('consentline_dni')).toContain('L1');
    const p = pool();
    const next = start();
    await vi.advanceTimersByTimeAsync(10);
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    expect(p.calls.map((c) => c.op)).toEqual(['release']);
    expect(p.releases()).toEqual([{ session, lease: 'L1', forget: true }]);
    next.stop();
  });

  it('an undecided page deletes a stored context without asking the pool anything', async () => {
    const first = await grantedPage();
    first.stop();
    // The decision is gone (a new policy revision, say): nothing is sent before the visitor decides.
    saved = undefined;
    const p = pool();
    const next = start();
    await vi.advanceTimersByTimeAsync(10);
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    expect(p.calls).toEqual([]);
    next.stop();
  });
});

describe('a withdrawal the page has not heard of yet', () => {
  it('the visitor coming back to the page sends the pool nothing but the forget', async () => {
    vi.useFakeTimers();
    const p = pool({ ttl: 10 });
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    // The consent cookie, re-read when the page is seen again (as the script tag's storage does).
    const store = createConsentStore({ storage: createCookieStorage() });
    const stop = startNumberInsertion(store, {
      targets: [T],
      rules: [{ pool: true, number: '+18889990000' }],
      pool: { url: '/pool/' },
      url: 'https://shop.example/?utm_source=news',
      referrer: '',
    });
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(p.calls.map((c) => c.op)).toEqual(['assign']);
    // The visitor leaves the tab (its lease runs out meanwhile) and withdraws on another host of
    // the site, which shares the consent cookie but not this origin's channel.
    // On document's prototype, where the SDK reads it (past markup shadowing document's members).
    const hidden = vi.spyOn(Object.getPrototypeOf(document), 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(11_000);
    createConsentStore({ storage: { ...createCookieStorage(), notify: () => {} } }).set({ analytics: false });
    hidden.mockRestore();
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(10);
    expect(store.get().grants['analytics']).toBe(false);
    expect(p.calls.map((c) => c.op)).toEqual(['assign', 'release']);
    expect(p.releases()).toEqual([{ session: p.calls[0]!.body['session'], lease: 'L1', forget: true }]);
    expect(document.getElementById('a')!.textContent).toBe('Call (555) 123-4567');
    stop();
    store.destroy();
  });
});

describe('advertising withdrawn while call tracking stays granted', () => {
  // The pool server was sent the landing's click ids (advertising was granted): its records of the
  // visit hold them, and they must not outlive the withdrawal there either.
  const landing = (store: ReturnType<typeof createConsentStore>) => {
    document.body.innerHTML = '<p id="a">Call (555) 123-4567</p>';
    return startNumberInsertion(store, {
      targets: [T],
      rules: [{ pool: true, number: '+18889990000' }],
      pool: { url: '/pool/' },
      url: 'https://shop.example/?utm_source=google&gclid=SECRETCLICK',
      referrer: '',
    });
  };
  const sentClicks = (calls: Call[]) => calls.filter((c) => JSON.stringify(c.body).includes('SECRETCLICK')).length;

  it('the visit is forgotten, and a new lease is taken with a context without them', async () => {
    vi.useFakeTimers();
    const p = pool();
    const store = createConsentStore({ storage });
    const stop = landing(store);
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(sentClicks(p.calls)).toBe(1);
    const session = p.calls[0]!.body['session'];
    store.set({ advertising: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.calls.map((c) => c.op)).toEqual(['assign', 'release', 'assign']);
    expect(p.releases()).toEqual([{ session, lease: 'L1', forget: true }]);
    const again = p.calls[2]!.body;
    expect([again['session'], again['lease'], sentClicks([p.calls[2]!])]).toEqual([session, undefined, 0]);
    expect(again['context']).toMatchObject({ f: { q: { utm_source: 'google' } } });
    expect(localStorage.getItem('consentline_dni')).not.toContain('SECRETCLICK');
    expect(document.getElementById('a')!.textContent).toBe('Call (888) 555-0101');
    stop();
  });

  it('on a later page, when the withdrawal was made where call tracking did not run', async () => {
    vi.useFakeTimers();
    const p = pool();
    const first = createConsentStore({ storage });
    const stopFirst = landing(first);
    first.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    stopFirst();
    first.set({ advertising: false });
    expect(localStorage.getItem('consentline_dni')).toContain('SECRETCLICK');
    p.calls.length = 0;
    // The next page: the stored context still holds the click id and the lease that carried it.
    const store = createConsentStore({ storage });
    const stop = landing(store);
    await vi.advanceTimersByTimeAsync(10);
    expect(p.calls.map((c) => c.op)).toEqual(['release', 'assign']);
    expect(p.releases()).toEqual([expect.objectContaining({ lease: 'L1', forget: true })]);
    expect(sentClicks(p.calls)).toBe(0);
    expect(p.calls[1]!.body['lease']).toBeUndefined();
    stop();
  });

  it('click ids never sent to the pool: nothing is forgotten', async () => {
    vi.useFakeTimers();
    const p = pool();
    const store = createConsentStore({ storage });
    const stop = landing(store);
    store.set({ analytics: true });
    await vi.advanceTimersByTimeAsync(10);
    store.set({ analytics: true, social: true });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.calls.map((c) => c.op)).toEqual(['assign']);
    expect(sentClicks(p.calls)).toBe(0);
    stop();
  });
});

describe('a withdrawal the pool server could not take', () => {
  // The next `times` releases are answered with `status` (recorded as the pool records them);
  // the rest as the pool answers.
  const answerReleases = (p: ReturnType<typeof pool>, status: number, times = Number.POSITIVE_INFINITY) => {
    const answer = globalThis.fetch;
    let left = times;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      if (!url.endsWith('release') || left-- <= 0) return answer(url, init);
      p.calls.push({ op: 'release', body: JSON.parse(init.body as string) });
      return new Response(null, { status });
    });
  };

  it('is sent again while the page is open, until the server answers it', async () => {
    const { p, store, stop } = await grantedPage();
    // The server's database is down: the forget answers 503 twice, then is taken.
    answerReleases(p, 503, 2);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(60_000);
    const forget = { session: p.calls[0]!.body['session'], lease: 'L1', forget: true };
    expect(p.releases()).toEqual([forget, forget, forget]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(p.releases()).toHaveLength(3);
    stop();
  });

  it('goes on being sent every two minutes for as long as the server is down', async () => {
    const { p, store, stop } = await grantedPage();
    answerReleases(p, 503, 7);
    store.set({ analytics: false });
    // 1, 5, 30 and 120 s after the first four failures, then every 120 s.
    await vi.advanceTimersByTimeAsync(156_000);
    expect(p.releases()).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(p.releases()).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(240_000);
    expect(p.releases()).toHaveLength(8);
    await vi.advanceTimersByTimeAsync(1_200_000);
    expect(p.releases()).toHaveLength(8);
    stop();
  });

  it('is sent at once when the page is hidden, and not again once taken', async () => {
    const { p, store, stop } = await grantedPage();
    answerReleases(p, 503, 1);
    const sent: RequestInit[] = [];
    const answer = globalThis.fetch;
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      sent.push(init);
      return answer(url, init);
    });
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toHaveLength(1);
    // The visitor leaves before the retry is due: the page's last chance, as a request that
    // outlives it.
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toHaveLength(2);
    expect(sent.at(-1)).toMatchObject({ keepalive: true });
    await vi.advanceTimersByTimeAsync(600_000);
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toHaveLength(2);
    stop();
  });

  it('still unanswered when the page is hidden: kept for a later page and sent once more as the page goes', async () => {
    const { p, store, stop } = await grantedPage();
    const session = p.calls[0]!.body['session'];
    // The forget is on its way (the server is slow, or down and its answer late) as the visitor leaves.
    const answer = globalThis.fetch;
    const sent: RequestInit[] = [];
    let hold = true;
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      if (url.endsWith('release')) sent.push(init);
      if (url.endsWith('release') && hold) {
        p.calls.push({ op: 'release', body: JSON.parse(init.body as string) });
        return new Promise<Response>(() => {});
      }
      return answer(url, init);
    });
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toHaveLength(1);
    hold = false;
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(JSON.parse(localStorage.getItem('consentline_dni_forget')!)).toEqual([{ session, lease: 'L1' }]);
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([
      { session, lease: 'L1', forget: true },
      { session, lease: 'L1', forget: true },
    ]);
    expect(sent.at(-1)).toMatchObject({ keepalive: true });
    stop();
  });

  const kept = () => localStorage.getItem('consentline_dni_forget');

  it('is kept past the page until a later page gets it taken, with only the session and its lease', async () => {
    const { p, ...first } = await grantedPage();
    const session = p.calls[0]!.body['session'];
    // The server is down for as long as the visitor stays.
    answerReleases(p, 503);
    first.store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    expect(JSON.parse(kept()!)).toEqual([{ session, lease: 'L1' }]);
    first.stop();

    // The next page, the server back: the withdrawal is sent, then nothing is kept.
    vi.unstubAllGlobals();
    const q = pool();
    const next = start();
    await vi.advanceTimersByTimeAsync(10);
    expect(q.releases()).toEqual([{ session, lease: 'L1', forget: true }]);
    expect(kept()).toBeNull();
    // Once per page, whatever the visitor does next.
    next.store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(q.releases()).toHaveLength(1);
    expect(q.calls.map((c) => c.op)).toEqual(['release', 'assign']);
    next.stop();
  });

  it('a withdrawal the server takes at once writes nothing', async () => {
    const { store, stop } = await grantedPage();
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(setItem).not.toHaveBeenCalled();
    expect(kept()).toBeNull();
    setItem.mockRestore();
    stop();
  });

  it('a kept withdrawal is not sent by a page where the visitor has not decided again', async () => {
    vi.useFakeTimers();
    localStorage.setItem('consentline_dni_forget', JSON.stringify([{ session: 'abcdefgh12', lease: 'L9' }]));
    const p = pool();
    const { store, stop } = start();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(p.calls).toEqual([]);
    store.rejectAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(p.releases()).toEqual([{ session: 'abcdefgh12', lease: 'L9', forget: true }]);
    expect(kept()).toBeNull();
    stop();
  });

  it('a kept list that is not ours is read as nothing kept, and each entry is checked', async () => {
    vi.useFakeTimers();
    const p = pool();
    const first = start();
    first.store.rejectAll();
    first.stop();
    const next = async (raw: string) => {
      localStorage.setItem('consentline_dni_forget', raw);
      const { stop } = start();
      await vi.advanceTimersByTimeAsync(10);
      stop();
    };
    for (const raw of ['{', '{"session":"abcdefgh12","lease":"L9"}', '"L9"', '[null,1,"L9"]']) await next(raw);
    expect(p.calls).toEqual([]);
    await next(
      '[null,{"session":"<b>x</b>","lease":"L9"},{"session":"abcdefgh12","lease":"L 9"},{"session":"abcdefgh12","lease":"L9","x":1}]',
    );
    expect(p.releases()).toEqual([{ session: 'abcdefgh12', lease: 'L9', forget: true }]);
  });

  it('an answer that the lease is unknown (404) is not asked again', async () => {
    const { p, store, stop } = await grantedPage();
    answerReleases(p, 404);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(p.releases()).toHaveLength(1);
    stop();
  });
});
