// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startNumberInsertion, subscribeNumber } from '../../../src/entries/dni';

const PAGE = `
<p id="a">Call (555) 123-4567 now</p>
<a id="tel" href="tel:+15551234567">+1 555 123 4567</a>
<script id="s">var n = "555-123-4567";</script>
<textarea id="ta">555-123-4567</textarea>
<div contenteditable id="ce">555-123-4567</div>
<div data-no-swap><span id="ns">555-123-4567</span></div>
<span id="mark" data-dni></span>
<form id="f" data-consentline-form><input name="email" value="secret@example.com"></form>
<p id="other">Order 5551234567890, ISBN 978-555-123-4567</p>`;

const setup = (url = 'https://shop.example/?utm_source=google&utm_medium=cpc', extra = {}) => {
  document.body.innerHTML = PAGE;
  localStorage.clear();
  const store = createConsentStore();
  const log = vi.fn();
  const stop = startNumberInsertion(store, {
    targets: ['+15551234567'],
    rules: [{ source: 'google', medium: 'cpc', number: '+18889990000' }],
    url,
    referrer: '',
    log,
    ...extra,
  });
  return { store, stop, log };
};
const $ = (id: string) => document.getElementById(id)!;
// A grant is handled in tasks queued right after the consent call (the context and numbers, then
// the page): wait for them.
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};
const snapshot = () => document.body.innerHTML;

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('startNumberInsertion (happy-dom)', () => {
  it('nothing before consent; swaps where allowed on consent; restores exactly on withdrawal', async () => {
    const { store, stop, log } = setup();
    const before = snapshot();
    expect(localStorage.length).toBe(0);
    expect(stop.getNumber()).toBeUndefined();
    store.set({ analytics: true });
    // The grant is handled in the tasks right after the consent call.
    await settle();
    expect(localStorage.getItem('consentline_dni')).toContain('google');
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect($('tel').getAttribute('href')).toBe('tel:+18889990000');
    expect($('tel').textContent).toBe('+1 888 999 0000');
    expect($('mark').textContent).toBe('888 999 0000');
    for (const id of ['s', 'ta', 'ce', 'ns']) expect($(id).textContent).toContain('555-123-4567');
    expect($('other').textContent).toBe('Order 5551234567890, ISBN 978-555-123-4567');
    const token = $('f').querySelector<HTMLInputElement>('input[name=consentline_token]')!;
    expect(token.type).toBe('hidden');
    expect(token.value).toMatch(/^cl1\.[a-z0-9]{16}$/);
    expect(localStorage.getItem('consentline_dni')).not.toContain('secret');
    expect(stop.getNumber()).toBe('+18889990000');
    // Debug: each target found, where, and what was done with it.
    expect(log).toHaveBeenCalledWith('+15551234567', '(555) 123-4567', $('a'), '+18889990000');
    expect(log).toHaveBeenCalledWith('var n = "555-123-4567";', 'kept: inside', $('s'));
    expect(log).toHaveBeenCalledWith('555-123-4567', 'kept: inside', $('ns').parentElement);

    // Later content: one batch, only what changed.
    const p = document.createElement('p');
    p.textContent = 'Also 555.123.4567';
    document.body.append(p);
    await new Promise((r) => setTimeout(r, 0));
    expect(p.textContent).toBe('Also 888.999.0000');

    store.set({ analytics: false });
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    p.remove();
    expect(snapshot()).toBe(before);
    stop();
  });

  it('a copy the page makes of a marked form (a popup cloning it) loses its token on withdrawal too', async () => {
    const { store, stop } = setup();
    store.set({ analytics: true });
    await settle();
    const tokens = () =>
      [...document.querySelectorAll<HTMLInputElement>('[name=consentline_token]')].map((field) => field.value);
    const [first] = tokens();
    expect(first).toMatch(/^cl1\./);
    const copy = $('f').cloneNode(true) as HTMLFormElement;
    copy.id = 'copy';
    document.body.append(copy);
    await settle();
    expect(tokens()).toEqual([first, first]);
    store.set({ analytics: false });
    expect(tokens()).toEqual([]);
    // Granted again, a new visit: every form carries the new token, none the old one.
    store.set({ analytics: true });
    await settle();
    const [second] = tokens();
    expect(second).not.toBe(first);
    expect(tokens()).toEqual([second, second]);
    stop();
  });

  it("a copy of <body> cloned while granted (Turbo Drive's cache) and put back after the withdrawal shows the originals and carries no token; put back after a new grant, the new visit's", async () => {
    const { store, stop } = setup();
    const before = snapshot();
    store.set({ analytics: true });
    await settle();
    const first = $('f').querySelector<HTMLInputElement>('[name=consentline_token]')!.value;
    const cached = document.body.cloneNode(true) as HTMLElement;
    store.set({ analytics: false });
    document.body.replaceWith(cached.cloneNode(true));
    await settle();
    expect(snapshot()).toBe(before);
    store.set({ analytics: true });
    await settle();
    const second = $('f').querySelector<HTMLInputElement>('[name=consentline_token]')!.value;
    expect(second).not.toBe(first);
    document.body.replaceWith(cached.cloneNode(true));
    await settle();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect([...document.querySelectorAll<HTMLInputElement>('[name=consentline_token]')].map((f) => f.value)).toEqual([
      second,
    ]);
    store.set({ analytics: false });
    expect(snapshot()).toBe(before);
    stop();
  });

  it('an app that rewrites a swapped node is followed, and restore never clobbers app text', async () => {
    const { store, stop } = setup();
    store.set({ analytics: true });
    await settle();
    const text = $('a').firstChild as Text;
    text.data = 'New text 555-123-4567';
    await new Promise((r) => setTimeout(r, 0));
    expect(text.data).toBe('New text 888-999-0000');
    text.data = 'App owns this';
    await new Promise((r) => setTimeout(r, 0));
    store.set({ analytics: false });
    expect(text.data).toBe('App owns this');
    stop();
  });

  it('while granted, the stored context is rewritten only when the click-id rule changes', async () => {
    const { store, stop } = setup('https://shop.example/?utm_source=google&utm_medium=cpc&gclid=G1');
    store.set({ analytics: true, advertising: true });
    await settle();
    expect(localStorage.getItem('consentline_dni')).toContain('G1');
    const get = vi.spyOn(localStorage, 'getItem');
    const put = vi.spyOn(localStorage, 'setItem');
    try {
      store.set({ analytics: true, advertising: true, social: true });
      await settle();
      expect([get.mock.calls.length, put.mock.calls.length]).toEqual([0, 0]);
      // Advertising withdrawn: the click id leaves storage; the number stays.
      store.set({ analytics: true, advertising: false, social: true });
      await settle();
      expect(put).toHaveBeenCalledTimes(1);
      expect(localStorage.getItem('consentline_dni')).not.toContain('G1');
      expect(stop.getNumber()).toBe('+18889990000');
    } finally {
      get.mockRestore();
      put.mockRestore();
      stop();
    }
  });

  it('advertising granted or withdrawn on the page: a click-id rule applies at once, and no longer', async () => {
    const { store, stop } = setup('https://shop.example/?gclid=G1', {
      rules: [{ clickId: 'gclid', number: '+18889990000' }, { number: '+17770001111' }],
    });
    store.set({ analytics: true });
    await settle();
    expect($('a').textContent).toBe('Call (777) 000-1111 now');
    store.set({ analytics: true, advertising: true });
    await settle();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect(localStorage.getItem('consentline_dni')).toContain('G1');
    store.set({ analytics: true, advertising: false });
    await settle();
    expect($('a').textContent).toBe('Call (777) 000-1111 now');
    expect(localStorage.getItem('consentline_dni')).not.toContain('G1');
    stop();
  });

  it('site code that throws (a listener, onEvent) stops neither the swap nor the withdrawal', async () => {
    const onEvent = vi.fn(() => {
      throw new Error('site bug');
    });
    const { store, stop, log } = setup(undefined, { onEvent });
    stop.subscribe(() => {
      throw new Error('site bug');
    });
    const seen: unknown[] = [];
    stop.subscribe((n) => seen.push({ ...n }));
    store.set({ analytics: true });
    await settle();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect(seen).toEqual([{ '+15551234567': '+18889990000' }]);
    expect(localStorage.getItem('consentline_dni')).not.toBeNull();
    store.set({ analytics: false });
    expect(localStorage.getItem('consentline_dni')).toBeNull();
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
    expect(seen).toEqual([{ '+15551234567': '+18889990000' }, {}]);
    expect(log.mock.calls.filter(([e]) => e instanceof Error)).toHaveLength(4);
    stop();
  });

  it('subscribeNumber gives the number now and on change; stop restores', async () => {
    const { store, stop } = setup();
    const seen: Array<string | undefined> = [];
    const off = subscribeNumber(stop, (n) => seen.push(n));
    store.set({ analytics: true });
    await settle();
    store.set({ analytics: false });
    off();
    store.set({ analytics: true });
    await settle();
    expect(seen).toEqual([undefined, '+18889990000', undefined]);
    stop();
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
  });

  it('an expired or tampered stored context is replaced', async () => {
    localStorage.setItem('consentline_dni', '{"id":"<script>","f":1}');
    const { store, stop } = setup('https://shop.example/');
    store.set({ analytics: true });
    await settle();
    const c = JSON.parse(localStorage.getItem('consentline_dni')!);
    expect(c.id).toMatch(/^[a-z0-9]{16}$/);
    stop();
  });

  it('storage that throws on every call: numbers still swap and restore, nothing escapes', async () => {
    const blocked = () => {
      throw new Error('blocked');
    };
    vi.stubGlobal('localStorage', { getItem: blocked, setItem: blocked, removeItem: blocked, clear() {} });
    try {
      const { store, stop } = setup();
      expect(() => localStorage.getItem('x')).toThrow('blocked');
      store.set({ analytics: true });
      await settle();
      expect($('a').textContent).toBe('Call (888) 999-0000 now');
      // The session id (in the token of a form added now) stays for the page when the click-id
      // rule changes; a new grant after a withdrawal is a new session.
      const token = async () => {
        const f = document.body.appendChild(document.createElement('form'));
        f.setAttribute('data-consentline-form', '');
        await settle();
        return f.querySelector<HTMLInputElement>('[name=consentline_token]')?.value;
      };
      const first = await token();
      expect(first).toMatch(/^cl1\.[a-z0-9]{16}$/);
      store.set({ analytics: true, advertising: true });
      await settle();
      expect(await token()).toBe(first);
      store.set({ analytics: false });
      store.set({ analytics: true });
      await settle();
      const next = await token();
      expect(next).toMatch(/^cl1\.[a-z0-9]{16}$/);
      expect(next).not.toBe(first);
      store.set({ analytics: false });
      expect($('a').textContent).toBe('Call (555) 123-4567 now');
      stop();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a custom category gates it', async () => {
    document.body.innerHTML = PAGE;
    const store = createConsentStore({ categories: [{ id: 'calls' }] });
    const stop = startNumberInsertion(store, {
      targets: ['+15551234567'],
      rules: [{ number: '+18889990000' }],
      category: 'calls',
      url: 'https://s.example/',
      referrer: '',
    });
    store.set({ analytics: true });
    await settle();
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
    store.set({ calls: true });
    await settle();
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    stop();
  });
});

describe('session pool client in the page (happy-dom, fake timers)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('assigns after consent, renews from half the lease on activity while visible, drops the number when the lease runs out unrenewed, reports exhausted, releases on withdrawal', async () => {
    vi.useFakeTimers();
    const calls: Array<[string, Record<string, unknown>]> = [];
    let status = 'ok';
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push([url, JSON.parse(init.body as string)]);
      return new Response(
        JSON.stringify({
          numbers: status === 'ok' ? { '+15551234567': '+18885550101' } : {},
          lease: 'L1',
          ttl: 10,
          status,
        }),
        { status: 200 },
      );
    });
    const events: string[] = [];
    const { store, stop } = setup('https://shop.example/', {
      rules: [{ pool: true, number: '+18889990000' }],
      pool: { url: '/pool/' },
      onEvent: (type: string) => events.push(type),
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual([]);
    store.set({ analytics: true });
    await vi.advanceTimersByTimeAsync(10);
    expect($('a').textContent).toBe('Call (888) 555-0101 now');
    expect(calls.map(([u]) => u)).toEqual(['/pool/assign']);
    expect(Object.keys(calls[0]![1]).sort()).toEqual(['context', 'session', 'targets']);
    // No activity: no renewal.
    await vi.advanceTimersByTimeAsync(6000);
    expect(calls).toHaveLength(1);
    // Activity on a hidden page: none either.
    // On document's prototype, where the SDK reads it (past markup shadowing document's members).
    const hidden = vi.spyOn(Object.getPrototypeOf(document), 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    hidden.mockRestore();
    expect(calls).toHaveLength(1);
    // Activity while visible, past half the lease: renewed at once.
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.map(([u]) => u)).toEqual(['/pool/assign', '/pool/renew']);
    expect(calls[1]![1]).toEqual({
      session: (calls[0]![1] as { session: string }).session,
      lease: 'L1',
      targets: ['+15551234567'],
    });
    // Not again before half of the renewed lease.
    document.dispatchEvent(new Event('scroll'));
    await vi.advanceTimersByTimeAsync(4000);
    document.dispatchEvent(new Event('scroll'));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(2);
    // An idle visitor: the lease runs out unrenewed and its number is no longer shown.
    await vi.advanceTimersByTimeAsync(6000);
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    expect(calls).toHaveLength(2);
    // Activity asks again (a new assign).
    status = 'exhausted';
    document.dispatchEvent(new Event('pointerdown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.map(([u]) => u).at(-1)).toBe('/pool/assign');
    expect(events).toContain('exhausted');
    // The fallback shows when the pool has no number.
    expect($('a').textContent).toBe('Call (888) 999-0000 now');
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.at(-1)).toEqual([
      '/pool/release',
      { session: (calls[0]![1] as { session: string }).session, lease: 'L1', forget: true },
    ]);
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
    stop();
  });

  it('a renewal that fails keeps the lease: it is released on withdrawal, and retried no sooner than 10 s later', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    let fail = false;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push(`${url} ${JSON.parse(init.body as string).lease ?? ''}`);
      if (fail) return new Response('', { status: 500 });
      return new Response(JSON.stringify({ numbers: { '+15551234567': '+18885550101' }, lease: 'L1', ttl: 60 }));
    });
    const { store, stop } = setup('https://shop.example/', {
      rules: [{ pool: true, number: '+18889990000' }],
      pool: { url: '/pool/', failures: 5 },
    });
    store.set({ analytics: true });
    await vi.advanceTimersByTimeAsync(10);
    fail = true;
    await vi.advanceTimersByTimeAsync(31_000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(5000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual(['/pool/assign ', '/pool/renew L1']);
    // The number stays while the lease is still valid.
    expect($('a').textContent).toBe('Call (888) 555-0101 now');
    await vi.advanceTimersByTimeAsync(6000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual(['/pool/assign ', '/pool/renew L1', '/pool/renew L1']);
    fail = false;
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.at(-1)).toBe('/pool/release L1');
    stop();
  });

  it('listens for activity (pointer, keys, wheel; the page becoming visible) only with a pool, and only while granted', async () => {
    const added = vi.spyOn(window, 'addEventListener');
    const removed = vi.spyOn(window, 'removeEventListener');
    const names = (spy: typeof added) =>
      spy.mock.calls
        .map(([n]) => n)
        .filter((n) => ['pointerdown', 'keydown', 'wheel', 'visibilitychange', 'scroll'].includes(n));
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ numbers: {}, lease: 'L1', ttl: 60 })));
    const plain = setup();
    plain.store.set({ analytics: true });
    await settle();
    expect(names(added)).toEqual([]);
    plain.stop();
    const pooled = setup('https://shop.example/', { rules: [{ pool: true }], pool: { url: '/pool/' } });
    await settle();
    expect(names(added)).toEqual([]);
    pooled.store.set({ analytics: true });
    await settle();
    expect(names(added)).toEqual(['pointerdown', 'keydown', 'wheel', 'visibilitychange']);
    removed.mockClear();
    pooled.store.set({ analytics: false });
    expect(names(removed)).toEqual(['pointerdown', 'keydown', 'wheel', 'visibilitychange']);
    pooled.stop();
    added.mockRestore();
    removed.mockRestore();
  });

  it('consent withdrawn while an assign is in flight: the late lease is released at once, nothing swapped', async () => {
    vi.useFakeTimers();
    const calls: Array<[string, Record<string, unknown>]> = [];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push([url, JSON.parse(init.body as string)]);
      return new Promise((done) =>
        setTimeout(
          () =>
            done(new Response(JSON.stringify({ numbers: { '+15551234567': '+18885550101' }, lease: 'L9', ttl: 60 }))),
          500,
        ),
      );
    });
    const { store, stop } = setup('https://shop.example/', { rules: [{ pool: true }], pool: { url: '/pool/' } });
    // Granted and withdrawn inside one task: nothing is asked, stored or swapped at all.
    store.set({ analytics: true });
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([]);
    expect(localStorage.length).toBe(0);
    store.set({ analytics: true });
    await vi.advanceTimersByTimeAsync(0);
    store.set({ analytics: false });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map(([u]) => u)).toEqual(['/pool/assign', '/pool/release']);
    expect(calls[1]![1]).toEqual({ session: calls[0]![1]['session'], lease: 'L9', forget: true });
    expect($('a').textContent).toBe('Call (555) 123-4567 now');
    expect(localStorage.getItem('consentline_dni')).toBeNull();

    // Withdrawn and granted again (a new visit id) while the assign is in flight: the late lease is
    // given back under the old id and the new visit asks for its own.
    calls.length = 0;
    store.set({ analytics: true });
    await vi.advanceTimersByTimeAsync(0);
    store.set({ analytics: false });
    store.set({ analytics: true });
    await vi.advanceTimersByTimeAsync(1200);
    const [first, again] = [calls[0]![1]['session'], JSON.parse(localStorage.getItem('consentline_dni')!).id];
    expect(first).not.toBe(again);
    expect(calls.map(([u, b]) => [u, b['session']])).toEqual([
      ['/pool/assign', first],
      ['/pool/release', first],
      ['/pool/assign', again],
    ]);
    expect($('a').textContent).toBe('Call (888) 555-0101 now');
    stop();
  });
});
