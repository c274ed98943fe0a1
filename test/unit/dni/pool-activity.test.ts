// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startNumberInsertion } from '../../../src/entries/dni';
import { matchRule } from '../../../src/dni/source';

const T = '+15551234567';
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
  const stop = startNumberInsertion(store, { targets: [T], rules: [{ pool: true, number: '+18889990000' }], pool: { url: '/pool/' }, url: 'https://shop.example/', referrer: '', ...extra });
  return { store, stop, a: () => document.getElementById('a')!.textContent };
};

describe('pool session: activity, lease gone, breaker (review 2026-12-05)', () => {
  it('a script-driven scroll (carousel/chat widget) or a synthetic event is not visitor activity: no renewal', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const { store, stop } = page(async (url) => (calls.push(url), new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 20 }))));
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

  it('a renew answered 404 (lease gone: server restart, released elsewhere) drops the number at once', async () => {
    vi.useFakeTimers();
    let gone = false;
    const { store, stop, a } = page(async (url) =>
      gone && url.endsWith('renew') ? new Response('{"error":"unknown lease"}', { status: 404 }) : new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 60 })),
    );
    store.acceptAll();
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 555-0101');
    gone = true; // e.g. the pool server restarted: +18885550101 is free and may go to the next visitor now
    await vi.advanceTimersByTimeAsync(31_000);
    document.dispatchEvent(new Event('keydown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(a()).toBe('Call (888) 999-0000');
    stop();
  });

  it('the lease is released on withdrawal even after the breaker opened on failed renewals', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    let fail = false;
    const { store, stop } = page(async (url) => {
      calls.push(url);
      return fail ? new Response('', { status: 503 }) : new Response(JSON.stringify({ numbers: { [T]: '+18885550101' }, lease: 'L1', ttl: 600 }));
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

  it('clickId and path conditions compare case-insensitively, as documented', () => {
    const c = { id: 'abcdefgh12345678', f: { t: 1, p: '/promo/spring', q: { gclid: 'x' } } };
    expect(matchRule([{ clickId: 'GCLID', number: '+18880000001' }], c)?.number).toBe('+18880000001');
    expect(matchRule([{ path: '/Promo', number: '+18880000002' }], c)?.number).toBe('+18880000002');
  });
});
